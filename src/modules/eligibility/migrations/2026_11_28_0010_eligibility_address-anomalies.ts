import type { Kysely } from "kysely";

// Frozen in time: a migration never imports application code. Address anomalies reported by
// anyone, answered by the responsible network's operator (issue 6). Ids are random text, times
// ISO-8601 text, booleans integer 0/1, as in the other tables.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("anomalie_adresse")
    .addColumn("id", "text", (c) => c.primaryKey())
    // SHA-256 of the follow token given once to the reporter: a database leak does not open the follow pages.
    .addColumn("jeton_empreinte", "text", (c) => c.notNull().unique())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("adresse_libelle", "text")
    .addColumn("adresse_id", "text")
    .addColumn("immeuble_id", "text")
    .addColumn("lat", "double precision")
    .addColumn("lon", "double precision")
    .addColumn("code_insee", "text")
    // thd_reseau code of the network that must answer; NULL when none was found (agents dispatch those).
    .addColumn("reseau", "text")
    // How the network was found: immeuble, adresse, proximite, departement or aucun.
    .addColumn("rattachement", "text", (c) => c.notNull())
    .addColumn("statut", "text", (c) => c.notNull())
    // Personal data: shown only to the responsible operator, agents and admins; erased after closing.
    .addColumn("contact_email", "text")
    .addColumn("cree_le", "text", (c) => c.notNull())
    .addColumn("modifie_le", "text", (c) => c.notNull())
    .addColumn("clos_le", "text")
    .execute();
  // The inbox filters by network and status, newest first.
  await db.schema
    .createIndex("anomalie_adresse_reseau_idx")
    .on("anomalie_adresse")
    .columns(["reseau", "statut", "cree_le"])
    .execute();
  await db.schema.createIndex("anomalie_adresse_cree_idx").on("anomalie_adresse").column("cree_le").execute();

  await db.schema
    .createTable("anomalie_adresse_evenement")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("anomalie_id", "text", (c) => c.notNull().references("anomalie_adresse.id").onDelete("cascade"))
    .addColumn("quand", "text", (c) => c.notNull())
    // "signalement" (the report itself) or "reponse" (an answer, with or without a status change).
    .addColumn("nature", "text", (c) => c.notNull())
    .addColumn("auteur_id", "text")
    .addColumn("auteur_nom", "text", (c) => c.notNull())
    .addColumn("auteur_role", "text", (c) => c.notNull())
    .addColumn("statut_avant", "text")
    .addColumn("statut_apres", "text", (c) => c.notNull())
    .addColumn("message", "text")
    .addColumn("public", "integer", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("anomalie_adresse_evenement_anomalie_idx")
    .on("anomalie_adresse_evenement")
    .columns(["anomalie_id", "quand"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("anomalie_adresse_evenement").execute();
  await db.schema.dropTable("anomalie_adresse").execute();
}
