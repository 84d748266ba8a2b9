import type { Kysely } from "kysely";

// Frozen in time: a migration never imports application code.
// One row per OpenID Connect sign-in in progress, between the redirect to the provider and its
// callback. The id is the SHA-256 of the `state` sent to the provider (never the state itself), so
// that a copy of the table cannot be used to complete someone else's sign-in.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("oidc_attente")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("nonce", "text", (c) => c.notNull())
    .addColumn("code_verifier", "text", (c) => c.notNull())
    .addColumn("retour", "text", (c) => c.notNull().defaultTo("/compte"))
    .addColumn("expire_le", "text", (c) => c.notNull())
    .execute();
  // Expired rows are purged by expiry date.
  await db.schema.createIndex("oidc_attente_expire_idx").on("oidc_attente").column("expire_le").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("oidc_attente").execute();
}
