import turfArea from "@turf/area";
import type { Geometry, MultiPolygon, Polygon, Position } from "geojson";
import * as polyclip from "polyclip-ts";

export type Surface = Polygon | MultiPolygon;

export function isSurface(geometry: Geometry | null | undefined): geometry is Surface {
  return geometry?.type === "Polygon" || geometry?.type === "MultiPolygon";
}

/** Dissolves several polygons into one surface, without the inner borders. */
export function unionSurfaces(surfaces: Surface[]): Surface {
  const [first, ...rest] = surfaces;
  if (!first) throw new Error("unionSurfaces: aucune surface");
  if (rest.length === 0) return first;
  const asGeom = (s: Surface) => (s.type === "Polygon" ? [s.coordinates] : s.coordinates) as polyclip.Geom;
  const merged = polyclip.union(asGeom(first), ...rest.map(asGeom)) as Position[][][];
  return merged.length === 1 && merged[0]
    ? { type: "Polygon", coordinates: merged[0] }
    : { type: "MultiPolygon", coordinates: merged };
}

/** Geodesic area in km². */
export function areaKm2(surface: Surface): number {
  return turfArea({ type: "Feature", properties: {}, geometry: surface }) / 1e6;
}

/** Centre of the bounding box, as [lon, lat] rounded to 5 decimals (about a metre). */
export function boundingBoxCentre(surface: Surface): [number, number] {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  const rings = surface.type === "Polygon" ? [surface.coordinates] : surface.coordinates;
  for (const polygon of rings) {
    for (const ring of polygon) {
      for (const [lon, lat] of ring) {
        if (lon === undefined || lat === undefined) continue;
        minLon = Math.min(minLon, lon);
        maxLon = Math.max(maxLon, lon);
        minLat = Math.min(minLat, lat);
        maxLat = Math.max(maxLat, lat);
      }
    }
  }
  return [round5((minLon + maxLon) / 2), round5((minLat + maxLat) / 2)];
}

export function round5(n: number): number {
  return Math.round(n * 1e5) / 1e5;
}
