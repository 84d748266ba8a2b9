// GeoJSON assembled as text: geometries are stored serialised and can weigh megabytes, so parsing
// them only to serialise them again would be wasted work on a hot path.

/** A stored geometry, or the point at the centre when none is stored. */
export function geometryText(centre: { centre_lon: number; centre_lat: number }, geometrie: string | null): string {
  return geometrie ?? JSON.stringify({ type: "Point", coordinates: [centre.centre_lon, centre.centre_lat] });
}

/** One Feature; `geometry` is already GeoJSON text ("null" for a feature without geometry). */
export function featureText(id: string, geometry: string, properties: Record<string, unknown>): string {
  return `{"type":"Feature","id":${JSON.stringify(id)},"geometry":${geometry},"properties":${JSON.stringify(properties)}}`;
}
