/** One geocoder answer, as the eligibility server needs it. */
export interface GeocodedAddress {
  id: string;
  label: string;
  /** 0..1, higher is better. */
  score: number;
  lon: number;
  lat: number;
}

/**
 * The geocoder, seen from the eligibility module (a port: the addresses module provides it, wired
 * in the composition root, so that this module never imports the addresses module). Best first;
 * an empty list when nothing matches or no address index is loaded.
 */
export type AddressLookup = (q: string, limit: number) => GeocodedAddress[];
