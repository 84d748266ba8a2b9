import { mkdirSync } from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, type KyselyPlugin, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import type { DatabaseConfig } from "../config/config.ts";

export type Dialect = DatabaseConfig["dialect"];

/**
 * The database handle shared by the modules. Each module narrows it to its own tables
 * (`Kysely<TerritoryTables>`), so that no shared code has to know every module's schema.
 */
// biome-ignore lint/suspicious/noExplicitAny: the union of all modules' tables is only known to each module
export type AppDatabase = Kysely<any>;

export interface OpenedDatabase {
  db: AppDatabase;
  dialect: Dialect;
  close(): Promise<void>;
}

// COUNT(*) and BIGINT come back from pg as strings (they may exceed 2^53); our counts never do.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number.parseFloat(value));

export function openDatabase(config: DatabaseConfig): OpenedDatabase {
  if (config.dialect === "sqlite") {
    if (config.filename !== ":memory:") mkdirSync(path.dirname(config.filename), { recursive: true });
    const sqlite = new SQLite(config.filename);
    // WAL lets readers go on while an import writes; foreign keys are off by default in SQLite.
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = NORMAL");
    sqlite.pragma("foreign_keys = ON");
    sqlite.pragma("busy_timeout = 5000");
    const db: AppDatabase = new Kysely({
      dialect: new SqliteDialect({ database: sqlite }),
      plugins: [new SqliteHandlePlugin(sqlite)],
    });
    return { db, dialect: "sqlite", close: () => db.destroy() };
  }
  const pool = new pg.Pool({
    connectionString: config.connectionString,
    max: 10,
  });
  // An idle connection can be cut by the server (restart, database dropped): without a listener,
  // pg re-emits that as an uncaught error and the whole process stops. The pool reconnects.
  pool.on("error", (error) => console.error(`Connexion PostgreSQL inactive perdue : ${error.message}`));
  const db: AppDatabase = new Kysely({
    dialect: new PostgresDialect({ pool }),
  });
  return { db, dialect: "postgres", close: () => db.destroy() };
}

/** Splits rows into chunks that stay under both engines' bound-parameter limits. */
export function chunkRows<T>(rows: readonly T[], columnsPerRow: number, maxParameters = 30_000): T[][] {
  const size = Math.max(1, Math.floor(maxParameters / Math.max(1, columnsPerRow)));
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size));
  return chunks;
}

/**
 * Carries the better-sqlite3 handle behind a Kysely instance. Kysely's SqliteDialect has ONE
 * connection, and a transaction (`db.transaction().execute(trx => …)`) holds it until it ends;
 * plugins are inherited by transactions, so `sqliteHandleOf(trx)` reaches the same handle. Bulk
 * importers use it to run one prepared statement per row inside the transaction, several times
 * faster than compiling multi-row INSERTs through Kysely for millions of rows: that is why it is
 * exposed at all. The plugin changes neither queries nor results.
 */
class SqliteHandlePlugin implements KyselyPlugin {
  constructor(readonly sqlite: SQLite.Database) {}
  transformQuery: KyselyPlugin["transformQuery"] = (args) => args.node;
  transformResult: KyselyPlugin["transformResult"] = async (args) => args.result;
}

/**
 * The better-sqlite3 database behind a Kysely instance or transaction opened by `openDatabase`
 * (undefined on PostgreSQL). Raw statements on it run inside the caller's current transaction: use
 * it only while holding `db` (inside the transaction's callback), never concurrently with it.
 */
export function sqliteHandleOf(db: AppDatabase): SQLite.Database | undefined {
  for (const plugin of db.getExecutor().plugins) if (plugin instanceof SqliteHandlePlugin) return plugin.sqlite;
  return undefined;
}
