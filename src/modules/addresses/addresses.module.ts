import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { AppDatabase } from "../../shared/db/database.ts";
import { AddressIndexService } from "./search-addresses/address-index.service.ts";
import { searchAddressesRoutes } from "./search-addresses/search-addresses.routes.ts";
import { searchAddressesCsvRoute } from "./search-addresses/search-addresses-csv.route.ts";
import type { AddressResult } from "./search-engine/address-index.ts";

/** Addresses of the active lot by BAN id (for the eligibility module, through the composition root). */
export { type AddressPoint, findActiveAddressesById } from "./read-addresses/read-addresses.repository.ts";

/** How often a server checks whether another address lot became active (import elsewhere). */
const LOT_CHECK_INTERVAL_MS = 30_000;

/**
 * The in-process index of the active address lot, built by the composition root so that other
 * modules can be given a lookup over it; `addressesModule` loads, watches and stops it.
 */
export function createAddressIndexService(database: AppDatabase): AddressIndexService {
  return new AddressIndexService(database);
}

/**
 * The geocoder over `indexes`: the `/api/adresse/search` route's engine with its default options
 * (autocomplete on, no filter). Empty while no lot is loaded.
 */
export function searchAddresses(indexes: AddressIndexService, q: string, limit: number): AddressResult[] {
  return indexes.loaded?.index.search(q, { limit, autocomplete: true }) ?? [];
}

/** Addresses: search and reverse over the active address lot, from an in-process index. */
export function addressesModule(
  database: AppDatabase,
  indexes: AddressIndexService = createAddressIndexService(database),
): FastifyPluginAsyncTypebox {
  return async (app) => {
    await indexes.refresh();
    indexes.watch(LOT_CHECK_INTERVAL_MS, (error) =>
      app.log.error({ err: error }, "index des adresses non reconstruit"),
    );
    app.addHook("onClose", async () => indexes.stop());
    await app.register(searchAddressesRoutes(indexes));
    await app.register(searchAddressesCsvRoute(indexes));
  };
}
