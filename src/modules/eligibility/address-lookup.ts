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

/** An address known by its BAN id: its label and position. */
export type AddressPoint = Omit<GeocodedAddress, "score">;

/**
 * Addresses by BAN id, from the addresses module (a port, like AddressLookup): for an address id
 * with no building of its own, the nearest building to its position answers. Ids it does not know
 * are absent from the map.
 */
export type AddressesById = (ids: readonly string[]) => Promise<Map<string, AddressPoint>>;

/** No address known by id (a module wired without the addresses module). */
export const noAddressesById: AddressesById = async () => new Map();
