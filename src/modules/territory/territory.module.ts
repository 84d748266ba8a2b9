import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Kysely } from "kysely";
import type { AppDatabase } from "../../shared/db/database.ts";
import { getTerritoryRoute } from "./get-territory/get-territory.route.ts";
import { getTerritoryContourRoute } from "./get-territory-contour/get-territory-contour.route.ts";
import { listTerritoriesRoute } from "./list-territories/list-territories.route.ts";
import { listTerritoryContoursRoute } from "./list-territory-contours/list-territory-contours.route.ts";
import type { TerritoryTables } from "./territory.tables.ts";

/** The territory module's only public entry for the HTTP layer: registers its routes. */
export function territoryModule(database: AppDatabase): FastifyPluginAsyncTypebox {
  const db: Kysely<TerritoryTables> = database;
  return async (app) => {
    await app.register(listTerritoriesRoute(db));
    await app.register(listTerritoryContoursRoute(db));
    await app.register(getTerritoryRoute(db));
    await app.register(getTerritoryContourRoute(db));
  };
}
