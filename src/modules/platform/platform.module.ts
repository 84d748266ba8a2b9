import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { AppConfig } from "../../shared/config/config.ts";
import type { AppDatabase, Dialect } from "../../shared/db/database.ts";
import { getConfigurationRoute } from "./get-configuration/get-configuration.route.ts";
import { getHealthRoute } from "./get-health/get-health.route.ts";

/** Health and identity routes of the platform itself. */
export function platformModule(db: AppDatabase, dialect: Dialect, config: AppConfig): FastifyPluginAsyncTypebox {
  return async (app) => {
    await app.register(getHealthRoute(db, dialect, config.region));
    await app.register(getConfigurationRoute(db, config));
  };
}
