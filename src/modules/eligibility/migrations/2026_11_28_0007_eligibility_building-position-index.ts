import type { Kysely } from "kysely";

// Frozen in time: a migration never imports application code.
export async function up(db: Kysely<unknown>): Promise<void> {
  // GET /api/eligibilite?lat&lon looks for the nearest building in a small box (±200 m) of one
  // quarter: a range on lat inside the quarter, lon checked from the index, without a table scan.
  await db.schema
    .createIndex("thd_immeuble_position_idx")
    .on("thd_immeuble")
    .columns(["trimestre", "lat", "lon"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("thd_immeuble_position_idx").execute();
}
