import { Type } from "typebox";
import { SourceContour } from "./territory.schemas.ts";

// The GeoJSON schemas of the territory routes; the text assembly is src/shared/http/geojson-text.ts.

export const GeoJsonGeometry = Type.Object(
  {
    type: Type.Enum(["Point", "Polygon", "MultiPolygon"]),
    coordinates: Type.Array(Type.Unknown()),
  },
  { description: "Géométrie GeoJSON (WGS84, longitude puis latitude)" },
);

export const FeatureProperties = {
  niveau: Type.String(),
  code: Type.String(),
  nom: Type.String(),
  sourceContour: SourceContour,
};
