import type { Kysely } from "kysely";

// Frozen in time: a migration never imports application code. Ids are random text (UUID or
// hashes) and times ISO-8601 text, identical on SQLite and PostgreSQL.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("utilisateur")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("email", "text", (c) => c.notNull().unique())
    .addColumn("nom", "text", (c) => c.notNull())
    .addColumn("mot_de_passe", "text")
    .addColumn("actif", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("demo", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("cree_le", "text", (c) => c.notNull())
    .addColumn("derniere_connexion", "text")
    .execute();

  await db.schema
    .createTable("utilisateur_role")
    .addColumn("utilisateur_id", "text", (c) => c.notNull().references("utilisateur.id").onDelete("cascade"))
    .addColumn("role", "text", (c) => c.notNull())
    // What the role is bound to: a network for an operator, a tiers-lieu for a manager, an
    // organisation for a partner; empty for admin and agent.
    .addColumn("perimetre", "text", (c) => c.notNull().defaultTo(""))
    .addPrimaryKeyConstraint("utilisateur_role_pk", ["utilisateur_id", "role", "perimetre"])
    .execute();

  await db.schema
    .createTable("session")
    .addColumn("id", "text", (c) => c.primaryKey()) // SHA-256 of the cookie value
    .addColumn("utilisateur_id", "text", (c) => c.notNull().references("utilisateur.id").onDelete("cascade"))
    .addColumn("jeton_csrf", "text", (c) => c.notNull())
    .addColumn("cree_le", "text", (c) => c.notNull())
    .addColumn("expire_le", "text", (c) => c.notNull())
    .addColumn("ip", "text", (c) => c.notNull())
    .addColumn("agent", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("session_utilisateur_idx").on("session").column("utilisateur_id").execute();

  await db.schema
    .createTable("jeton_reinitialisation")
    .addColumn("id", "text", (c) => c.primaryKey()) // SHA-256 of the token sent by e-mail
    .addColumn("utilisateur_id", "text", (c) => c.notNull().references("utilisateur.id").onDelete("cascade"))
    .addColumn("cree_le", "text", (c) => c.notNull())
    .addColumn("expire_le", "text", (c) => c.notNull())
    .addColumn("utilise_le", "text")
    .execute();

  await db.schema
    .createTable("cle_api")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("prefixe", "text", (c) => c.notNull().unique())
    .addColumn("empreinte", "text", (c) => c.notNull()) // SHA-256 of the whole key
    .addColumn("nom", "text", (c) => c.notNull())
    .addColumn("portees", "text", (c) => c.notNull()) // space-separated scopes
    .addColumn("proprietaire_id", "text", (c) => c.notNull().references("utilisateur.id").onDelete("cascade"))
    .addColumn("cree_le", "text", (c) => c.notNull())
    .addColumn("expire_le", "text")
    .addColumn("revoquee_le", "text")
    .addColumn("derniere_utilisation", "text")
    .execute();

  await db.schema
    .createTable("journal_audit")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("quand", "text", (c) => c.notNull())
    .addColumn("acteur", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("cible", "text", (c) => c.notNull())
    .addColumn("resultat", "text", (c) => c.notNull())
    .addColumn("ip", "text", (c) => c.notNull())
    .addColumn("details", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("journal_audit_quand_idx").on("journal_audit").column("quand").execute();

  await db.schema
    .createTable("courriel_sortant")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("destinataire", "text", (c) => c.notNull())
    .addColumn("sujet", "text", (c) => c.notNull())
    .addColumn("corps", "text", (c) => c.notNull())
    .addColumn("cree_le", "text", (c) => c.notNull())
    .addColumn("envoye_le", "text")
    .execute();

  await db.schema
    .createTable("tentative_connexion")
    .addColumn("cle", "text", (c) => c.primaryKey()) // "compte:<email>" or "ip:<address>"
    .addColumn("echecs", "integer", (c) => c.notNull())
    .addColumn("debut_fenetre", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    "tentative_connexion",
    "courriel_sortant",
    "journal_audit",
    "cle_api",
    "jeton_reinitialisation",
    "session",
    "utilisateur_role",
    "utilisateur",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
