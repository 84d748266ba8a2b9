import { Type } from "typebox";
import { ErrorResponse } from "../../../shared/http/error-response.schema.ts";
import { TerritoryParams } from "../get-territory/get-territory.schema.ts";
import { FeatureProperties, GeoJsonGeometry } from "../territory.geojson.ts";

export const ContourFeature = Type.Object(
  {
    type: Type.Literal("Feature"),
    id: Type.String(),
    geometry: GeoJsonGeometry,
    properties: Type.Object(FeatureProperties),
  },
  {
    description: "Le contour (Polygon ou MultiPolygon), ou le centre (Point) quand le contour n'est pas disponible",
  },
);

export const getTerritoryContourSchema = {
  summary: "Le contour d'un territoire (GeoJSON Feature)",
  tags: ["territoires"],
  params: TerritoryParams,
  produces: ["application/geo+json"],
  response: { 200: ContourFeature, 400: ErrorResponse, 404: ErrorResponse },
};
