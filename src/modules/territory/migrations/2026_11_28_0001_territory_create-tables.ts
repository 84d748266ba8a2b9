import type { Kysely } from "kysely";

// Frozen in time: a migration never imports application code.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("territoire")
    .addColumn("niveau", "text", (c) => c.notNull())
    .addColumn("code", "text", (c) => c.notNull())
    .addColumn("nom", "text", (c) => c.notNull())
    .addColumn("nom_recherche", "text", (c) => c.notNull())
    .addColumn("population", "integer", (c) => c.notNull())
    .addColumn("region", "text")
    .addColumn("departement", "text")
    .addColumn("epci", "text")
    .addColumn("codes_postaux", "text", (c) => c.notNull())
    .addColumn("centre_lon", "double precision", (c) => c.notNull())
    .addColumn("centre_lat", "double precision", (c) => c.notNull())
    .addColumn("surface_km2", "double precision")
    .addColumn("densite_insee_niveau", "integer")
    .addColumn("source_contour", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("territoire_pk", ["niveau", "code"])
    .execute();
  await db.schema.createIndex("territoire_niveau_region_idx").on("territoire").columns(["niveau", "region"]).execute();
  await db.schema
    .createIndex("territoire_niveau_departement_idx")
    .on("territoire")
    .columns(["niveau", "departement"])
    .execute();
  await db.schema.createIndex("territoire_niveau_epci_idx").on("territoire").columns(["niveau", "epci"]).execute();

  await db.schema
    .createTable("territoire_contour")
    .addColumn("niveau", "text", (c) => c.notNull())
    .addColumn("code", "text", (c) => c.notNull())
    .addColumn("geometrie", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("territoire_contour_pk", ["niveau", "code"])
    .addForeignKeyConstraint(
      "territoire_contour_territoire_fk",
      ["niveau", "code"],
      "territoire",
      ["niveau", "code"],
      (fk) => fk.onDelete("cascade"),
    )
    .execute();

  await db.schema
    .createTable("territoire_import")
    .addColumn("region", "text", (c) => c.primaryKey())
    .addColumn("importe_le", "text", (c) => c.notNull())
    .addColumn("source_cog", "text", (c) => c.notNull())
    .addColumn("communes", "integer", (c) => c.notNull())
    .addColumn("communes_avec_polygone", "integer", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("territoire_import").execute();
  await db.schema.dropTable("territoire_contour").execute();
  await db.schema.dropTable("territoire").execute();
}
