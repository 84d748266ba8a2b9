/**
 * The rule every eligibility use case applies to a position: the nearest building within
 * MAX_DISTANCE_M (haversine), ties to the smaller id, searched first in a ±MAX_DISTANCE_M box
 * (served by the (trimestre, lat, lon) index).
 */

/** How far a point may be from a building. */
export const MAX_DISTANCE_M = 200;
const METRES_PER_DEGREE = 111_320;

/** Great-circle distance in metres (haversine; enough for a few hundred metres). */
export function distanceMetres(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Half the box's height and width in degrees at latitude `lat`. */
export function boxHalfSides(lat: number): { dLat: number; dLon: number } {
  return {
    dLat: MAX_DISTANCE_M / METRES_PER_DEGREE,
    dLon: MAX_DISTANCE_M / (METRES_PER_DEGREE * Math.max(0.01, Math.cos((lat * Math.PI) / 180))),
  };
}

export interface Box {
  latMin: number;
  latMax: number;
  lonMin: number;
  lonMax: number;
}

/** The box around a point that holds every building within MAX_DISTANCE_M of it. */
export function boxAround(lat: number, lon: number): Box {
  const { dLat, dLon } = boxHalfSides(lat);
  return { latMin: lat - dLat, latMax: lat + dLat, lonMin: lon - dLon, lonMax: lon + dLon };
}

/** Whether a candidate at `distance` beats the nearest so far (ties go to the smaller id). */
export function isNearer(
  distance: number,
  id: string,
  nearest: { distance: number; id: string } | null | undefined,
): boolean {
  return !nearest || distance < nearest.distance || (distance === nearest.distance && id < nearest.id);
}

/** The nearest of `candidates` within MAX_DISTANCE_M of (lat, lon), with its distance; null if none. */
export function nearestWithin<T extends { id: string; lat: number | null; lon: number | null }>(
  lat: number,
  lon: number,
  candidates: Iterable<T>,
): { candidate: T; distance: number } | null {
  let nearest: { candidate: T; distance: number; id: string } | null = null;
  for (const candidate of candidates) {
    if (candidate.lat === null || candidate.lon === null) continue;
    const distance = distanceMetres(lat, lon, candidate.lat, candidate.lon);
    if (distance > MAX_DISTANCE_M) continue;
    if (isNearer(distance, candidate.id, nearest)) nearest = { candidate, distance, id: candidate.id };
  }
  return nearest && { candidate: nearest.candidate, distance: nearest.distance };
}
