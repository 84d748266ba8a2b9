import { type Kysely, sql } from "kysely";
import { chunkRows } from "../../../shared/db/database.ts";
import type { BroadbandTables, ThdStatCommuneTable } from "../broadband.tables.ts";

type StatColumn = Exclude<keyof ThdStatCommuneTable, "trimestre" | "code_insee" | "source">;

/** A row of thd_stat_commune as one source gives it: only the columns that source knows. */
export type StatCommuneRow = Pick<ThdStatCommuneTable, "trimestre" | "code_insee" | "source" | "locaux"> &
  Partial<Pick<ThdStatCommuneTable, StatColumn>>;

/**
 * Writes per-commune figures of one source into thd_stat_commune. Several sources may describe the
 * same commune and quarter (ARCEP FttH deployment, MCI statistics, buildings): a row already there
 * keeps the columns this source does not give, takes the ones it gives (`columns`), and its
 * `source` becomes the list of its sources ("arcep-ftth-communes+mci-statistiques").
 */
export async function upsertStatCommunes(
  db: Kysely<BroadbandTables>,
  rows: readonly StatCommuneRow[],
  columns: readonly StatColumn[],
): Promise<void> {
  if (rows.length === 0) return;
  const width = 4 + columns.length;
  for (const chunk of chunkRows(rows, width)) {
    const values = chunk.map((row) => {
      const value: Record<string, unknown> = {
        trimestre: row.trimestre,
        code_insee: row.code_insee,
        source: row.source,
        // Required for a new row; updated on an existing one only when `columns` names it.
        locaux: row.locaux,
      };
      for (const c of columns) value[c] = row[c] ?? null;
      return value as unknown as ThdStatCommuneTable;
    });
    await db
      .insertInto("thd_stat_commune")
      .values(values)
      .onConflict((oc) =>
        oc.columns(["trimestre", "code_insee"]).doUpdateSet((eb) => {
          const set: Record<string, unknown> = {
            source: sql`case when ('+' || thd_stat_commune.source || '+') like ('%+' || excluded.source || '+%') then thd_stat_commune.source else thd_stat_commune.source || '+' || excluded.source end`,
          };
          for (const c of columns) set[c] = eb.ref(`excluded.${c}`);
          return set;
        }),
      )
      .execute();
  }
}

/**
 * Before a source re-imports a quarter with another file: the rows only this source wrote go, so
 * that a commune dropped from the new file does not keep the old figures.
 */
export async function deleteStatCommunesOfSource(
  db: Kysely<BroadbandTables>,
  trimestre: string,
  source: string,
): Promise<void> {
  await db.deleteFrom("thd_stat_commune").where("trimestre", "=", trimestre).where("source", "=", source).execute();
}
