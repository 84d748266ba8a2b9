import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Kysely } from "kysely";
import { type AppConfig, DEFAULT_OBJECTIFS_THD, parseObjectifsThd } from "../../shared/config/config.ts";
import type { AppDatabase } from "../../shared/db/database.ts";
import type { BroadbandTables } from "./broadband.tables.ts";
import { observatoryRoutes } from "./observatory/observatory.routes.ts";
import { quartersRoutes } from "./quarters/quarters.routes.ts";

/**
 * The broadband (THD) module's HTTP entry: registers its routes. One line per use case; add yours
 * to the list.
 */
export function broadbandModule(
  database: AppDatabase,
  config: Pick<AppConfig, "objectifsThd"> = { objectifsThd: parseObjectifsThd(DEFAULT_OBJECTIFS_THD) },
): FastifyPluginAsyncTypebox {
  const db: Kysely<BroadbandTables> = database;
  const routes: FastifyPluginAsyncTypebox[] = [
    quartersRoutes(db),
    observatoryRoutes(database, { objectifsThd: config.objectifsThd }),
  ];
  return async (app) => {
    for (const route of routes) await app.register(route);
  };
}
