import { type Kysely, sql } from "kysely";

// Frozen in time: a migration never imports application code.
export async function up(db: Kysely<unknown>): Promise<void> {
  // One version of one network's business catalogue, valid on [valide_du, valide_au) (ISO dates;
  // valide_au NULL = open-ended). Versions of a network never overlap: the service checks it in the
  // same transaction as the write. Coverage lists (JSON arrays of département / commune codes) say
  // where the network's dedicated fibre (FttO) is sold.
  await db.schema
    .createTable("catalogue_version")
    .addColumn("reseau", "text", (c) => c.notNull())
    .addColumn("version", "text", (c) => c.notNull())
    .addColumn("reseau_nom", "text", (c) => c.notNull())
    .addColumn("valide_du", "text", (c) => c.notNull())
    .addColumn("valide_au", "text")
    // 1 for the demo catalogues: plausible, not real prices; every page and export says so.
    .addColumn("exemple", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("couverture_departements", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("couverture_communes", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("note", "text")
    .addColumn("cree_le", "text", (c) => c.notNull())
    .addColumn("cree_par", "text")
    .addColumn("modifie_le", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("catalogue_version_pk", ["reseau", "version"])
    .addCheckConstraint("catalogue_version_dates_ck", sql`valide_au is null or valide_au > valide_du`)
    .execute();
  await db.schema
    .createIndex("catalogue_version_validite_idx")
    .on("catalogue_version")
    .columns(["reseau", "valide_du"])
    .execute();

  // The offers of one version, in the catalogue's own order (position). Prices excluding VAT, euros;
  // NULL prices only when the offer is sold on study (sur_devis = 1). Options as JSON text.
  await db.schema
    .createTable("catalogue_offre")
    .addColumn("reseau", "text", (c) => c.notNull())
    .addColumn("version", "text", (c) => c.notNull())
    .addColumn("code", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("nom", "text", (c) => c.notNull())
    .addColumn("famille", "text", (c) => c.notNull())
    .addColumn("debit_descendant_mbps", "double precision", (c) => c.notNull())
    .addColumn("debit_montant_mbps", "double precision", (c) => c.notNull())
    .addColumn("debit_garanti_mbps", "double precision")
    .addColumn("symetrique", "integer", (c) => c.notNull())
    .addColumn("gtr_heures", "double precision")
    .addColumn("gtr_label", "text")
    .addColumn("disponibilite_pct", "double precision")
    .addColumn("frais_acces_ht", "double precision")
    .addColumn("mensuel_ht", "double precision")
    .addColumn("engagement_mois", "integer", (c) => c.notNull())
    .addColumn("delai_livraison_jours", "integer")
    .addColumn("options", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("sur_devis", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("raison", "text")
    .addPrimaryKeyConstraint("catalogue_offre_pk", ["reseau", "version", "code"])
    .addForeignKeyConstraint(
      "catalogue_offre_version_fk",
      ["reseau", "version"],
      "catalogue_version",
      ["reseau", "version"],
      (fk) => fk.onDelete("cascade"),
    )
    .addCheckConstraint(
      "catalogue_offre_famille_ck",
      sql`famille in ('ftth', 'ftth_pro', 'ftte_passive', 'ftte_active', 'ftto')`,
    )
    .addCheckConstraint(
      "catalogue_offre_prix_ck",
      sql`sur_devis = 1 or (frais_acces_ht is not null and mensuel_ht is not null)`,
    )
    .execute();

  // One row, bumped in every catalogue write's transaction: each server process compares it (at
  // most once a second) with the generation of its in-memory snapshot to see other processes' writes.
  await db.schema
    .createTable("catalogue_generation")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("generation", "integer", (c) => c.notNull())
    .execute();
  await db
    .insertInto("catalogue_generation" as never)
    .values({ id: 1, generation: 0 } as never)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ["catalogue_generation", "catalogue_offre", "catalogue_version"]) {
    await db.schema.dropTable(table).execute();
  }
}
