import { type Kysely, sql } from "kysely";

// Frozen in time: a migration never imports application code.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("adresse_lot")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("cree_le", "text", (c) => c.notNull())
    .addColumn("termine_le", "text")
    // JSON text: [{ "nom": "adresses-14.csv", "sha256": "…" }]
    .addColumn("fichiers", "text", (c) => c.notNull())
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("lignes", "integer", (c) => c.notNull())
    .addColumn("rejets", "integer", (c) => c.notNull())
    .addColumn("statut", "text", (c) => c.notNull())
    .addColumn("message", "text")
    .addCheckConstraint("adresse_lot_statut_ck", sql`statut in ('en_cours', 'actif', 'remplace', 'echoue')`)
    .execute();
  // At most one active lot: readers always read that one.
  await db.schema
    .createIndex("adresse_lot_un_actif_idx")
    .on("adresse_lot")
    .column("statut")
    .unique()
    .where("statut", "=", "actif")
    .execute();

  await db.schema
    .createTable("adresse")
    .addColumn("lot_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("numero", "integer", (c) => c.notNull())
    .addColumn("rep", "text")
    .addColumn("nom_voie", "text", (c) => c.notNull())
    .addColumn("code_postal", "text", (c) => c.notNull())
    .addColumn("code_insee", "text", (c) => c.notNull())
    .addColumn("nom_commune", "text", (c) => c.notNull())
    .addColumn("lon", "double precision", (c) => c.notNull())
    .addColumn("lat", "double precision", (c) => c.notNull())
    .addColumn("type_position", "text")
    .addColumn("source", "text")
    .addPrimaryKeyConstraint("adresse_pk", ["lot_id", "id"])
    .execute();
  await db.schema.createIndex("adresse_lot_commune_idx").on("adresse").columns(["lot_id", "code_insee"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("adresse").execute();
  await db.schema.dropTable("adresse_lot").execute();
}
