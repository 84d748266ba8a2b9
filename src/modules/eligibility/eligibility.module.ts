import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Kysely } from "kysely";
import type { AppDatabase } from "../../shared/db/database.ts";
import type { BroadbandTables } from "../broadband/broadband.tables.ts";
import type { AddressLookup } from "./address-lookup.ts";
import { lookupEligibilityRoutes } from "./lookup-eligibility/lookup-eligibility.routes.ts";

/**
 * The eligibility server's HTTP entry (issue 6): reads the broadband module's buildings and
 * eligibility rows, and geocodes free text with `lookupAddress` (given by the composition root).
 * One line per use case; add yours to the list.
 */
export function eligibilityModule(database: AppDatabase, lookupAddress: AddressLookup): FastifyPluginAsyncTypebox {
  const db: Kysely<BroadbandTables> = database;
  const routes: FastifyPluginAsyncTypebox[] = [lookupEligibilityRoutes(db, lookupAddress)];
  return async (app) => {
    for (const route of routes) await app.register(route);
  };
}
