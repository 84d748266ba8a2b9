import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Kysely } from "kysely";
import type { AppDatabase } from "../../shared/db/database.ts";
import type { BroadbandTables } from "../broadband/broadband.tables.ts";
import { addressAnomalyRoutes } from "./address-anomalies/address-anomalies.routes.ts";
import { type AddressesById, type AddressLookup, noAddressesById } from "./address-lookup.ts";
import { type AuditRecorder, noAudit } from "./audit-port.ts";
import type { BatchAddressLookup } from "./batch-eligibility/batch-address-lookup.ts";
import { type BatchRoutesOptions, batchEligibilityRoutes } from "./batch-eligibility/batch-eligibility.routes.ts";
import { lookupEligibilityRoutes } from "./lookup-eligibility/lookup-eligibility.routes.ts";
import { catalogueRoutes } from "./service-catalogues/catalogue.routes.ts";
import { createCatalogueService } from "./service-catalogues/catalogue-service.ts";

/**
 * The eligibility server's HTTP entry (issue 6): reads the broadband module's buildings and
 * eligibility rows, and geocodes free text with `lookupAddress` (given by the composition root).
 * One line per use case; add yours to the list.
 */
export function eligibilityModule(
  database: AppDatabase,
  lookupAddress: AddressLookup,
  // The multi-site batch: a full-address geocoder (no autocompletion, filters) and its upload limits.
  batch: BatchRoutesOptions & { lookup?: BatchAddressLookup } = {},
  // The audit log (the accounts module's), for catalogue, anomaly and batch writes.
  record: AuditRecorder = noAudit,
  // Addresses by BAN id (the addresses module's): an address id without a building gets the nearest one.
  addressesById: AddressesById = noAddressesById,
): FastifyPluginAsyncTypebox {
  const db: Kysely<BroadbandTables> = database;
  // One catalogue service per process: its snapshot is shared by the lookup, the batch and its own routes.
  const catalogues = createCatalogueService(database);
  const routes: FastifyPluginAsyncTypebox[] = [
    lookupEligibilityRoutes(db, lookupAddress, catalogues, { addressesById }),
  ];
  routes.push(addressAnomalyRoutes(database, lookupAddress, record));
  routes.push(...catalogueRoutes(catalogues, record));
  routes.push(
    batchEligibilityRoutes(
      {
        db: database,
        catalogues,
        lookup: batch.lookup ?? ((q, { limit }) => lookupAddress(q, limit)),
        addressesById,
      },
      { record, ...batch },
    ),
  );
  return async (app) => {
    for (const route of routes) await app.register(route);
  };
}
