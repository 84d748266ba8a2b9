import cookie from "@fastify/cookie";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Kysely } from "kysely";
import type { AppConfig } from "../../shared/config/config.ts";
import type { AppDatabase } from "../../shared/db/database.ts";
import type { AccountsTables } from "./accounts.tables.ts";
import { apiKeyRoutes } from "./api-keys/api-keys.routes.ts";
import { auditLogRoutes } from "./audit-log/audit-log.routes.ts";
import { createMailer } from "./mail/mailer.ts";
import { passwordResetRoutes } from "./password-reset/password-reset.routes.ts";
import { sessionRoutes } from "./sessions/session.routes.ts";
import { oidcRoutes } from "./sign-in-oidc/oidc.routes.ts";
import { userRoutes } from "./users/users.routes.ts";

export { principalResolver } from "./authenticate/resolve-principal.ts";

/** Accounts: sessions, users, API keys, audit log. */
export function accountsModule(database: AppDatabase, config: AppConfig): FastifyPluginAsyncTypebox {
  const db: Kysely<AccountsTables> = database;
  return async (app) => {
    // Sessions set and clear their cookie here only; the principal resolver reads it from the header
    // (no parsing hook), so other modules' requests pay nothing for cookies.
    await app.register(cookie, { hook: false });
    const mailer = createMailer(db, { smtpUrl: config.smtpUrl, from: config.mailFrom });
    await app.register(sessionRoutes(db, { demo: config.demo, oidcEnabled: config.oidc !== null }));
    if (config.oidc) await app.register(oidcRoutes(db, config.oidc, config.publicUrl));
    await app.register(passwordResetRoutes(db, mailer, config.publicUrl));
    await app.register(userRoutes(db, mailer, config.publicUrl));
    await app.register(apiKeyRoutes(db));
    await app.register(auditLogRoutes(db));
  };
}
