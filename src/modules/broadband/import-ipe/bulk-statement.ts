import { CompiledQuery } from "kysely";
import { type AppDatabase, sqliteHandleOf } from "../../../shared/db/database.ts";

/** A column of a bulk statement's rows, with its PostgreSQL array type (for `unnest`). */
export type BulkColumn = readonly [name: string, pgType: "text" | "integer" | "double precision"];

export interface BulkStatementSpec {
  /** The columns of each row, in order (rows are given as arrays of values in this order). */
  columns: readonly BulkColumn[];
  /** SQLite: the statement for ONE row, with one `?` per column, in the columns' order. */
  sqlite: string;
  /**
   * PostgreSQL: the statement for many rows, given `source`, a FROM item `unnest($1::text[], …) as
   * v(<columns>)` whose columns are named as in `columns`.
   */
  postgres: (source: string) => string;
}

export interface BulkStatement {
  /** Runs the statement for these rows; returns the number of rows the database changed. */
  run(rows: readonly (readonly unknown[])[]): Promise<number>;
}

/** Rows per PostgreSQL statement: one round trip and one plan for many rows, arrays of bounded size. */
const POSTGRES_ROWS_PER_STATEMENT = 10_000;

/**
 * One write statement run for many rows, the fastest way on each engine, inside the caller's
 * transaction (`db` is the transaction):
 * - SQLite: the better-sqlite3 statement prepared once and run per row (no SQL compiled per batch;
 *   the single connection is the transaction's, see `sqliteHandleOf`);
 * - PostgreSQL: one statement per 10,000 rows whose rows come from `unnest` of one array parameter
 *   per column (a handful of bound parameters whatever the number of rows).
 * With the other measures of the README (« Speed »), it took the building importers from ≈ 20k to
 * 50k–90k rows/s on SQLite and ≈ 1.7× on PostgreSQL (200,000 synthetic buildings, 2 cores).
 */
export function bulkStatement(db: AppDatabase, spec: BulkStatementSpec): BulkStatement {
  const sqlite = sqliteHandleOf(db);
  if (sqlite) {
    const statement = sqlite.prepare(spec.sqlite);
    return {
      run: async (rows) => {
        let changes = 0;
        for (const row of rows) changes += statement.run(row as unknown[]).changes;
        return changes;
      },
    };
  }
  const names = spec.columns.map(([name]) => name).join(", ");
  const arrays = spec.columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(", ");
  const text = spec.postgres(`unnest(${arrays}) as v(${names})`);
  return {
    run: async (rows) => {
      let changes = 0;
      for (let start = 0; start < rows.length; start += POSTGRES_ROWS_PER_STATEMENT) {
        const end = Math.min(rows.length, start + POSTGRES_ROWS_PER_STATEMENT);
        const parameters = spec.columns.map((_, c) => {
          const column: unknown[] = new Array(end - start);
          for (let r = start; r < end; r++) column[r - start] = (rows[r] as readonly unknown[])[c];
          return column;
        });
        const result = await db.executeQuery(CompiledQuery.raw(text, parameters));
        changes += Number(result.numAffectedRows ?? 0);
      }
      return changes;
    },
  };
}

/**
 * SQLite, bulk load into a table much smaller than what is coming: drops the table's secondary
 * indexes (not its primary key) and returns the function that recreates them, from their own
 * definitions. Inside the import's transaction, a rollback restores them. Returns undefined (and
 * drops nothing) on PostgreSQL, where DROP INDEX would lock readers out for the whole import, or
 * when the table already holds at least `incomingRows` rows.
 */
export async function dropIndexesForBulkLoad(
  db: AppDatabase,
  table: string,
  incomingRows: number,
): Promise<(() => Promise<void>) | undefined> {
  const sqlite = sqliteHandleOf(db);
  if (!sqlite) return undefined;
  const existing = (sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  if (existing >= incomingRows) return undefined;
  const indexes = sqlite
    .prepare("select name, sql from sqlite_master where type = 'index' and tbl_name = ? and sql is not null")
    .all(table) as { name: string; sql: string }[];
  for (const index of indexes) sqlite.exec(`drop index "${index.name}"`);
  return async () => {
    for (const index of indexes) sqlite.exec(index.sql);
  };
}

/** SQLite page cache during a bulk import (KiB): the indexes of a million buildings do not fit in the default 2 MB. */
const IMPORT_CACHE_KIB = 262_144;

/**
 * Runs `work` with a large SQLite page cache (256 MB, used only as pages are read), then gives the
 * connection its previous setting back: random-order index inserts of a million rows otherwise
 * keep reading evicted pages back from the file. Nothing to do on PostgreSQL (shared_buffers).
 */
export async function withBulkCache<T>(db: AppDatabase, work: () => Promise<T>): Promise<T> {
  const sqlite = sqliteHandleOf(db);
  if (!sqlite) return work();
  const previous = sqlite.pragma("cache_size", { simple: true }) as number;
  sqlite.pragma(`cache_size = -${IMPORT_CACHE_KIB}`);
  try {
    return await work();
  } finally {
    sqlite.pragma(`cache_size = ${Number(previous)}`);
  }
}

/**
 * PostgreSQL: refreshes the planner's statistics of tables just bulk-loaded, inside the import's
 * transaction (ANALYZE samples the transaction's own rows). Without it, the set-based statements
 * that follow (aggregation, matching) are planned for the tables' old, near-empty size: on the demo
 * (3.9 M eligibility rows) one aggregation UPDATE ran for minutes instead of seconds. Nothing to do
 * on SQLite, whose planner reads the indexes themselves.
 */
export async function analyzeAfterBulkLoad(db: AppDatabase, tables: readonly string[]): Promise<void> {
  if (sqliteHandleOf(db)) return;
  for (const table of tables) await db.executeQuery(CompiledQuery.raw(`analyze ${table}`));
}
