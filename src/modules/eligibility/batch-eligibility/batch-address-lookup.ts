import type { GeocodedAddress } from "../address-lookup.ts";

/**
 * The geocoder as the batch needs it (a port, given by the composition root like AddressLookup):
 * full addresses rather than typing (no autocompletion), optionally filtered by postcode or INSEE
 * commune code. Best first; empty when nothing matches or no address index is loaded.
 */
export type BatchAddressLookup = (
  q: string,
  options: { limit: number; postcode?: string; citycode?: string },
) => GeocodedAddress[];
