import { geometryText } from "../../../shared/http/geojson-text.ts";
import type { Niveau } from "../../territory/territory.tables.ts";
import type { ObservatoryDb } from "./observatory.scope.ts";

/**
 * Serialised geometries of territories, the way the territory contours endpoint gives them: the
 * stored polygon, or the centre when none is known.
 */
export async function geometriesOf(db: ObservatoryDb, niveau: Niveau, codes: string[]): Promise<Map<string, string>> {
  const geometries = new Map<string, string>();
  if (codes.length === 0) return geometries;
  const rows = await db
    .selectFrom("territoire")
    .leftJoin("territoire_contour as c", (join) =>
      join.onRef("c.niveau", "=", "territoire.niveau").onRef("c.code", "=", "territoire.code"),
    )
    .select(["territoire.code", "territoire.centre_lon", "territoire.centre_lat", "c.geometrie"])
    .where("territoire.niveau", "=", niveau)
    .where("territoire.code", "in", codes)
    .execute();
  for (const row of rows) geometries.set(row.code, geometryText(row, row.geometrie));
  return geometries;
}

/**
 * One MultiPolygon made of the polygons of several territories, as text: a plain concatenation
 * (GeoJSON allows touching polygons; no union is computed). Territories known only by their centre
 * cannot take part; null when none has a polygon.
 */
export function multiPolygonOf(geometries: Iterable<string>): string | null {
  const polygons: string[] = [];
  for (const text of geometries) {
    const geometry = JSON.parse(text) as { type: string; coordinates: unknown[] };
    if (geometry.type === "Polygon") polygons.push(JSON.stringify(geometry.coordinates));
    else if (geometry.type === "MultiPolygon") for (const p of geometry.coordinates) polygons.push(JSON.stringify(p));
  }
  return polygons.length === 0 ? null : `{"type":"MultiPolygon","coordinates":[${polygons.join(",")}]}`;
}
