import { Type } from "typebox";
import { SourceContour } from "./territory.schemas.ts";
import type { TerritoireRow } from "./territory.tables.ts";

// GeoJSON is assembled as text: geometries are stored serialised and can weigh megabytes, so parsing
// them only to serialise them again would be wasted work on a hot path.

export const GeoJsonGeometry = Type.Object(
  {
    type: Type.Enum(["Point", "Polygon", "MultiPolygon"]),
    coordinates: Type.Array(Type.Unknown()),
  },
  { description: "Géométrie GeoJSON (WGS84, longitude puis latitude)" },
);

export function geometryText(row: Pick<TerritoireRow, "centre_lon" | "centre_lat">, geometrie: string | null): string {
  return (
    geometrie ??
    JSON.stringify({
      type: "Point",
      coordinates: [row.centre_lon, row.centre_lat],
    })
  );
}

export function featureText(id: string, geometry: string, properties: Record<string, unknown>): string {
  return `{"type":"Feature","id":${JSON.stringify(id)},"geometry":${geometry},"properties":${JSON.stringify(properties)}}`;
}

export const FeatureProperties = {
  niveau: Type.String(),
  code: Type.String(),
  nom: Type.String(),
  sourceContour: SourceContour,
};
