import { Type } from "typebox";
import { ErrorResponse } from "../../../shared/http/error-response.schema.ts";
import { ListTerritoriesParams } from "../list-territories/list-territories.schema.ts";
import { FeatureProperties, GeoJsonGeometry } from "../territory.geojson.ts";
import { CodeParam, DensiteInsee } from "../territory.schemas.ts";

export const ListTerritoryContoursQuery = Type.Object({
  region: Type.Optional(CodeParam),
  departement: Type.Optional(CodeParam),
  epci: Type.Optional(CodeParam),
});

export const ContourCollection = Type.Object({
  type: Type.Literal("FeatureCollection"),
  features: Type.Array(
    Type.Object({
      type: Type.Literal("Feature"),
      id: Type.String(),
      geometry: GeoJsonGeometry,
      properties: Type.Object({
        ...FeatureProperties,
        population: Type.Integer(),
        surfaceKm2: Type.Union([Type.Number(), Type.Null()]),
        densitePopulation: Type.Union([Type.Number(), Type.Null()]),
        densiteInsee: Type.Union([DensiteInsee, Type.Null()]),
      }),
    }),
  ),
});

export const listTerritoryContoursSchema = {
  summary: "Les contours des territoires d'un niveau, pour une carte (GeoJSON FeatureCollection)",
  description: "Un territoire sans contour connu est représenté par son centre (Point).",
  tags: ["territoires"],
  params: ListTerritoriesParams,
  querystring: ListTerritoryContoursQuery,
  produces: ["application/geo+json"],
  response: { 200: ContourCollection, 400: ErrorResponse },
};
