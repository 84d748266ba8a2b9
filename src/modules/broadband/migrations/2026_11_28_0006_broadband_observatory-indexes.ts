import type { Kysely } from "kysely";

// Frozen in time: a migration never imports application code.
export async function up(db: Kysely<unknown>): Promise<void> {
  // The observatory's time series read every quarter of a territory's communes: from the commune
  // (through `territoire`) to its quarters, which the primary key (trimestre first) cannot serve.
  await db.schema
    .createIndex("thd_stat_commune_commune_idx")
    .on("thd_stat_commune")
    .columns(["code_insee", "trimestre"])
    .execute();
  // Per-commune count of commercial operators selling FttH (from MCI `eligibilite`), for the
  // « zone fibrée » condition "a service offer across the zone"; NULL when not measured.
  await db.schema.alterTable("thd_stat_commune").addColumn("ftth_operateurs_commerciaux", "integer").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("thd_stat_commune").dropColumn("ftth_operateurs_commerciaux").execute();
  await db.schema.dropIndex("thd_stat_commune_commune_idx").execute();
}
