import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Kysely } from "kysely";
import type { AppConfig } from "../../shared/config/config.ts";
import type { AppDatabase } from "../../shared/db/database.ts";
import type { AccountsTables } from "./accounts.tables.ts";
import { sessionRoutes } from "./sessions/session.routes.ts";

export { principalResolver } from "./authenticate/resolve-principal.ts";

/** Accounts: sessions, users, API keys, audit log. */
export function accountsModule(database: AppDatabase, config: AppConfig): FastifyPluginAsyncTypebox {
  const db: Kysely<AccountsTables> = database;
  return async (app) => {
    await app.register(sessionRoutes(db, { demo: config.demo, oidcEnabled: config.oidc !== null }));
  };
}
