import type SQLite from "better-sqlite3";
import { CompiledQuery } from "kysely";
import { type AppDatabase, sqliteHandleOf } from "../../../shared/db/database.ts";

/**
 * The building importers' database access (IPE, MCI base_imb and eligibilite): bulk writes,
 * row reads as arrays, index drop around a first load, page cache, planner statistics. Inside the
 * import's transaction (`db` is the transaction) on both engines.
 */

/** A column of a bulk statement's rows, with its PostgreSQL array type (for `unnest`). */
export type BulkColumn = readonly [name: string, pgType: "text" | "integer" | "double precision"];

export interface BulkStatementSpec {
  /** The columns of each row, in order (rows are given as arrays of values in this order). */
  columns: readonly BulkColumn[];
  /**
   * SQLite: the statement given `values`, a `values (?, …), (?, …)` list of rows (one `?` per
   * column, in the columns' order): `insert into t (…) ${values}`, or
   * `with v(…) as (${values}) update t set … from v where …` (UPDATE … FROM applies an arbitrary
   * one of several rows for the same table row: give one row per table row). A multi-row insert
   * handles a row conflicting with an earlier row of the same statement as one row per statement does.
   */
  sqlite: (values: string) => string;
  /**
   * PostgreSQL: the statement for many rows, given `source`, a FROM item `unnest($1::text[], …) as
   * v(<columns>)` whose columns are named as in `columns`.
   */
  postgres: (source: string) => string;
}

export interface BulkStatement {
  /** Runs the statement for these rows, in order; returns the number of rows the database changed. */
  run(rows: readonly (readonly unknown[])[]): Promise<number>;
  /**
   * The same for rows laid out flat, one after the other (`width` values each, in the columns'
   * order): rows `first` to `first + count - 1` of `values`. No array per row.
   */
  runValues(values: readonly unknown[], first: number, count: number): Promise<number>;
  /**
   * Rows worth gathering before `run`: few on SQLite (rows kept waiting outlive V8's cheap young
   * collections), many on PostgreSQL (one round trip per run).
   */
  readonly rowsPerRun: number;
}

/**
 * SQLite rows per statement: the per-call cost of better-sqlite3 (reset, bind, step, result
 * object) paid once for many rows. Measured on 600,000 eligibility rows: 1 row → 3.1× the time of
 * `sqlite3 .import`, 100 rows → 1.9×, 500 rows → 1.9×.
 */
export const SQLITE_ROWS_PER_STATEMENT = 128;

/** SQLite rows gathered before a run (see BulkStatement.rowsPerRun). */
const SQLITE_ROWS_PER_RUN = 1_024;

/** Rows per PostgreSQL statement: one round trip and one plan for many rows, arrays of bounded size. */
const POSTGRES_ROWS_PER_STATEMENT = 10_000;

/** `values (?, ?), (?, ?)` for `rows` rows of `width` columns. */
export function valuesPlaceholders(rows: number, width: number): string {
  const row = `(${new Array(width).fill("?").join(", ")})`;
  return `values ${new Array(rows).fill(row).join(", ")}`;
}

/**
 * One write statement run for many rows, the fastest way on each engine, inside the caller's
 * transaction (`db` is the transaction):
 * - SQLite: better-sqlite3 statements of SQLITE_ROWS_PER_STATEMENT rows (and, for the rest of a
 *   batch, of 64, 32, … 1 rows), each prepared once; the single connection is the transaction's
 *   (see `sqliteHandleOf`);
 * - PostgreSQL: one statement per 10,000 rows whose rows come from `unnest` of one array parameter
 *   per column (a handful of bound parameters whatever the number of rows).
 * Rows run in their order, statement after statement.
 */
export function bulkStatement(db: AppDatabase, spec: BulkStatementSpec): BulkStatement {
  const width = spec.columns.length;
  const sqlite = sqliteHandleOf(db);
  if (sqlite) {
    const perStatement = SQLITE_ROWS_PER_STATEMENT;
    // Per row count: the statement and its (reused) parameter array.
    const prepared = new Map<number, { statement: SQLite.Statement; parameters: unknown[] }>();
    const statementOf = (rows: number) => {
      let found = prepared.get(rows);
      if (!found) {
        found = {
          statement: sqlite.prepare(spec.sqlite(valuesPlaceholders(rows, width))),
          parameters: new Array(rows * width),
        };
        prepared.set(rows, found);
      }
      return found;
    };
    /** Runs rows [start, end) through statements of `perStatement` rows, then powers of two; `copy` fills the parameters of `count` rows from row `from`. */
    const runRows = (
      start: number,
      end: number,
      copy: (parameters: unknown[], from: number, count: number) => void,
    ): number => {
      let changes = 0;
      while (start < end) {
        const left = end - start;
        // Full statements, then powers of two for the rest: a handful of statements prepared.
        let count = perStatement;
        if (left < perStatement) {
          count = 1;
          while (count * 2 <= left) count *= 2;
        }
        const { statement, parameters } = statementOf(count);
        copy(parameters, start, count);
        changes += statement.run(parameters).changes;
        start += count;
      }
      return changes;
    };
    return {
      rowsPerRun: SQLITE_ROWS_PER_RUN,
      run: async (rows) =>
        runRows(0, rows.length, (parameters, from, count) => {
          let p = 0;
          for (let r = from; r < from + count; r++) {
            const row = rows[r] as readonly unknown[];
            for (let c = 0; c < width; c++) parameters[p++] = row[c];
          }
        }),
      runValues: async (values, first, count) =>
        runRows(first, first + count, (parameters, from, rows) => {
          const end = rows * width;
          const base = from * width;
          for (let p = 0; p < end; p++) parameters[p] = values[base + p];
        }),
    };
  }
  const names = spec.columns.map(([name]) => name).join(", ");
  const arrays = spec.columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(", ");
  const text = spec.postgres(`unnest(${arrays}) as v(${names})`);
  /** Runs rows [start, end) in statements of POSTGRES_ROWS_PER_STATEMENT rows; `cell(r, c)` gives a value. */
  const runRows = async (start: number, end: number, cell: (r: number, c: number) => unknown): Promise<number> => {
    let changes = 0;
    for (let from = start; from < end; from += POSTGRES_ROWS_PER_STATEMENT) {
      const to = Math.min(end, from + POSTGRES_ROWS_PER_STATEMENT);
      const parameters = spec.columns.map((_, c) => {
        const column: unknown[] = new Array(to - from);
        for (let r = from; r < to; r++) column[r - from] = cell(r, c);
        return column;
      });
      const result = await db.executeQuery(CompiledQuery.raw(text, parameters));
      changes += Number(result.numAffectedRows ?? 0);
    }
    return changes;
  };
  return {
    rowsPerRun: POSTGRES_ROWS_PER_STATEMENT,
    run: (rows) => runRows(0, rows.length, (r, c) => (rows[r] as readonly unknown[])[c]),
    runValues: (values, first, count) => runRows(first, first + count, (r, c) => values[r * width + c]),
  };
}

/**
 * Rows of a SELECT as arrays of values, in the order of its columns: straight from better-sqlite3
 * (no object per row; `all` rather than `iterate`, whose per-row step costs more than holding the
 * array) or from pg. `query` uses `?` placeholders; they become `$1`, `$2`… on PostgreSQL (the
 * query must hold no other `?`).
 */
export async function selectRows<T extends unknown[]>(
  db: AppDatabase,
  query: string,
  parameters: readonly unknown[],
): Promise<T[]> {
  const sqlite = sqliteHandleOf(db);
  if (sqlite)
    return sqlite
      .prepare(query)
      .raw()
      .all(...parameters) as T[];
  let n = 0;
  const result = await db.executeQuery<Record<string, unknown>>(
    CompiledQuery.raw(
      query.replace(/\?/g, () => `$${++n}`),
      [...parameters],
    ),
  );
  return result.rows.map((row) => Object.values(row) as T);
}

/**
 * Text (or integer) columns of many rows, one array per column, in the same row order: `query` is
 * `select <columns> from …` (`?` placeholders). On SQLite the rows come back as one concatenated
 * string per column (group_concat), split here: several times faster than an array and a string
 * per row and value for hundreds of thousands of rows. Integers come back as their decimal text;
 * do not use it for floating-point columns. A value holding U+0001 (the separator) or equal to
 * U+0002 (the null marker) makes it read the rows one by one instead, as on PostgreSQL.
 */
export async function selectTextColumns(
  db: AppDatabase,
  columns: readonly string[],
  fromWhere: string,
  parameters: readonly unknown[],
): Promise<(string | null)[][]> {
  const sqlite = sqliteHandleOf(db);
  if (sqlite) {
    const NULL = "\u0002";
    const width = columns.length;
    const row = sqlite
      .prepare(
        `select count(*), ${columns.map((c) => `count(${c})`).join(", ")},
          ${columns.map((c) => `group_concat(coalesce(${c}, char(2)), char(1))`).join(", ")}
        from ${fromWhere}`,
      )
      .raw()
      .get(...parameters) as [number, ...(number | string | null)[]];
    const count = row[0];
    if (count === 0) return columns.map(() => []);
    const result: (string | null)[][] = [];
    for (let c = 0; c < width; c++) {
      const values: (string | null)[] = (row[1 + width + c] as string).split("\u0001");
      // A separator inside a value: more pieces than rows; a value that is exactly the null
      // marker: fewer values than count(column). Either way, read the rows one by one.
      if (values.length !== count) break;
      let nonNull = 0;
      for (let i = 0; i < count; i++) {
        if (values[i] === NULL) values[i] = null;
        else nonNull++;
      }
      if (nonNull !== row[1 + c]) break;
      result.push(values);
    }
    if (result.length === width) return result;
  }
  const rows = await selectRows<unknown[]>(db, `select ${columns.join(", ")} from ${fromWhere}`, parameters);
  return columns.map((_, c) => rows.map((r) => (r[c] === null || r[c] === undefined ? null : String(r[c]))));
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
