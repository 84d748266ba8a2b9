import type { Position } from "geojson";

/** A commune's outline as polygons (outer ring first, then holes) with their bounding box. */
export interface CommuneShape {
  polygons: Position[][][];
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

export function shapeOf(polygons: Position[][][]): CommuneShape {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (const polygon of polygons) {
    for (const [lon, lat] of polygon[0] ?? []) {
      if (lon === undefined || lat === undefined) continue;
      if (lon < minLon) minLon = lon;
      if (lon > maxLon) maxLon = lon;
      if (lat < minLat) minLat = lat;
      if (lat > maxLat) maxLat = lat;
    }
  }
  return { polygons, minLon, minLat, maxLon, maxLat };
}

function inRing(ring: Position[], lon: number, lat: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i] as Position;
    const b = ring[j] as Position;
    const ax = a[0] as number;
    const ay = a[1] as number;
    const bx = b[0] as number;
    const by = b[1] as number;
    if (ay > lat !== by > lat && lon < ((bx - ax) * (lat - ay)) / (by - ay) + ax) inside = !inside;
  }
  return inside;
}

export function inShape(shape: CommuneShape, lon: number, lat: number): boolean {
  if (lon < shape.minLon || lon > shape.maxLon || lat < shape.minLat || lat > shape.maxLat) return false;
  for (const polygon of shape.polygons) {
    const [outer, ...holes] = polygon;
    if (outer && inRing(outer, lon, lat) && !holes.some((h) => inRing(h, lon, lat))) return true;
  }
  return false;
}
