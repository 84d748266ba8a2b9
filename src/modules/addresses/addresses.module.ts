import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { AppDatabase } from "../../shared/db/database.ts";
import { AddressIndexService } from "./search-addresses/address-index.service.ts";
import { searchAddressesRoutes } from "./search-addresses/search-addresses.routes.ts";
import { searchAddressesCsvRoute } from "./search-addresses/search-addresses-csv.route.ts";

/** How often a server checks whether another address lot became active (import elsewhere). */
const LOT_CHECK_INTERVAL_MS = 30_000;

/** Addresses: search and reverse over the active address lot, from an in-process index. */
export function addressesModule(database: AppDatabase): FastifyPluginAsyncTypebox {
  return async (app) => {
    const indexes = new AddressIndexService(database);
    await indexes.refresh();
    indexes.watch(LOT_CHECK_INTERVAL_MS, (error) =>
      app.log.error({ err: error }, "index des adresses non reconstruit"),
    );
    app.addHook("onClose", async () => indexes.stop());
    await app.register(searchAddressesRoutes(indexes));
    await app.register(searchAddressesCsvRoute(indexes));
  };
}
