import type SQLite from "better-sqlite3";
import { CompiledQuery, type Kysely, PostgresAdapter, sql } from "kysely";
import { type AppDatabase, chunkRows, sqliteHandleOf } from "../../../shared/db/database.ts";
import { ADRESSE_COLUMNS, type AddressTables, type AdresseLotTable } from "../addresses.tables.ts";
import type { BanRow } from "./parse-ban.ts";

export type AddressDb = Kysely<AddressTables>;

export async function findActiveLot(db: AddressDb): Promise<AdresseLotTable | undefined> {
  return db.selectFrom("adresse_lot").selectAll().where("statut", "=", "actif").executeTakeFirst();
}

export async function findLot(db: AddressDb, id: string): Promise<AdresseLotTable | undefined> {
  return db.selectFrom("adresse_lot").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function createLot(
  db: AddressDb,
  lot: Pick<AdresseLotTable, "id" | "cree_le" | "fichiers" | "sha256">,
): Promise<void> {
  await db
    .insertInto("adresse_lot")
    .values({ ...lot, termine_le: null, lignes: 0, rejets: 0, statut: "en_cours", message: null })
    .execute();
}

/**
 * Inserts rows of one lot in one transaction. SQLite: multi-row statements, chunked under the
 * bound-parameter limit, prepared once per row count on the better-sqlite3 handle (through Kysely,
 * each chunk's statement of thousands of placeholders was compiled again: an eighth of the import). PostgreSQL: one statement per 10,000 rows taking one array per column
 * (`unnest`), several times faster there than thousands of placeholders. Returns the number of rows
 * actually inserted (an id already present in the lot, from another file, is skipped).
 */
export async function insertAddresses(db: AddressDb, lotId: string, rows: readonly BanRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  return db.transaction().execute(async (trx) => {
    let inserted = 0;
    if (postgres) {
      for (let start = 0; start < rows.length; start += PG_CHUNK) {
        const chunk = rows.slice(start, start + PG_CHUNK);
        const columns = PG_COLUMN_TYPES.map((_, c) => chunk.map((row) => row[c]));
        const result = await trx.executeQuery(CompiledQuery.raw(PG_UNNEST_INSERT, [lotId, ...columns]));
        inserted += Number(result.numAffectedRows ?? 0n);
      }
      return inserted;
    }
    // Inside this transaction's callback, the handle runs in the transaction (see sqliteHandleOf).
    const sqlite = sqliteHandleOf(trx as unknown as AppDatabase);
    for (const chunk of chunkRows(rows, ADRESSE_COLUMNS.length)) {
      const text = insertSql(trx, chunk.length);
      const parameters: unknown[] = new Array(chunk.length * ADRESSE_COLUMNS.length);
      let p = 0;
      for (const row of chunk) {
        parameters[p++] = lotId;
        for (let i = 0; i < row.length; i++) parameters[p++] = row[i];
      }
      if (sqlite) inserted += preparedInsert(sqlite, text).run(parameters).changes;
      else {
        const result = await trx.executeQuery(CompiledQuery.raw(text, parameters));
        inserted += Number(result.numAffectedRows ?? 0n);
      }
    }
    return inserted;
  });
}

const PG_CHUNK = 10_000;
/** Types of the `adresse` columns after `lot_id`, in `BanRow` order. */
const PG_COLUMN_TYPES = [
  "text",
  "integer",
  "text",
  "text",
  "text",
  "text",
  "text",
  "double precision",
  "double precision",
  "text",
  "text",
] as const;
const PG_UNNEST_INSERT = `insert into adresse (${ADRESSE_COLUMNS.join(", ")}) select $1, * from unnest(${PG_COLUMN_TYPES.map(
  (type, i) => `$${i + 2}::${type}[]`,
).join(", ")}) on conflict do nothing`;

const preparedInserts = new WeakMap<SQLite.Database, Map<string, SQLite.Statement>>();
function preparedInsert(sqlite: SQLite.Database, text: string): SQLite.Statement {
  let byText = preparedInserts.get(sqlite);
  if (!byText) {
    byText = new Map();
    preparedInserts.set(sqlite, byText);
  }
  let statement = byText.get(text);
  if (!statement) {
    statement = sqlite.prepare(text);
    byText.set(text, statement);
  }
  return statement;
}

// The statement text depends only on the row count and the dialect: compile it once through Kysely
// (which knows the placeholder syntax) and reuse it with fresh parameters.
const insertSqlCache = new WeakMap<object, Map<number, string>>();
function insertSql(db: Kysely<AddressTables>, rowCount: number): string {
  const key = db.getExecutor().adapter;
  let byCount = insertSqlCache.get(key);
  if (!byCount) {
    byCount = new Map();
    insertSqlCache.set(key, byCount);
  }
  let text = byCount.get(rowCount);
  if (!text) {
    const placeholderRow = Object.fromEntries(ADRESSE_COLUMNS.map((c) => [c, null])) as never;
    text = db
      .insertInto("adresse")
      .values(Array.from({ length: rowCount }, () => placeholderRow))
      .onConflict((oc) => oc.doNothing())
      .compile().sql;
    byCount.set(rowCount, text);
  }
  return text;
}

/**
 * The swap, in one short transaction: the new lot becomes `actif`, the previous one `remplace`.
 * Returns the previous active lot id, whose rows the caller then deletes.
 */
export async function activateLot(
  db: AddressDb,
  lotId: string,
  counts: { lignes: number; rejets: number; termine_le: string },
): Promise<string | undefined> {
  return db.transaction().execute(async (trx) => {
    const previous = await trx.selectFrom("adresse_lot").select("id").where("statut", "=", "actif").executeTakeFirst();
    if (previous)
      await trx.updateTable("adresse_lot").set({ statut: "remplace" }).where("id", "=", previous.id).execute();
    await trx
      .updateTable("adresse_lot")
      .set({ statut: "actif", ...counts })
      .where("id", "=", lotId)
      .execute();
    return previous?.id;
  });
}

export async function failLot(
  db: AddressDb,
  lotId: string,
  details: { message: string; lignes: number; rejets: number; termine_le: string },
): Promise<void> {
  await db
    .updateTable("adresse_lot")
    .set({ statut: "echoue", ...details })
    .where("id", "=", lotId)
    .execute();
  await deleteLotRows(db, lotId);
}

export async function deleteLotRows(db: AddressDb, lotId: string): Promise<void> {
  await db.deleteFrom("adresse").where("lot_id", "=", lotId).execute();
}

/**
 * Lots left `en_cours` by a process that died more than `staleAfterMs` ago become `echoue`, and the
 * rows of failed or replaced lots are removed (normally already done right after each import).
 */
export async function cleanUpLots(db: AddressDb, now: Date, staleAfterMs = 6 * 3600_000): Promise<void> {
  const staleBefore = new Date(now.getTime() - staleAfterMs).toISOString();
  await db
    .updateTable("adresse_lot")
    .set({ statut: "echoue", message: "import interrompu (processus arrêté)" })
    .where("statut", "=", "en_cours")
    .where("cree_le", "<", staleBefore)
    .execute();
  await db
    .deleteFrom("adresse")
    .where("lot_id", "in", (eb) =>
      eb.selectFrom("adresse_lot").select("id").where("statut", "in", ["echoue", "remplace"]),
    )
    .execute();
}

/** Number of addresses served (the active lot), optionally for one commune. */
export async function countActiveAddresses(db: AddressDb, codeInsee?: string): Promise<number> {
  let query = db
    .selectFrom("adresse")
    .innerJoin("adresse_lot", "adresse_lot.id", "adresse.lot_id")
    .select(sql<number>`count(*)`.as("n"))
    .where("adresse_lot.statut", "=", "actif");
  if (codeInsee) query = query.where("adresse.code_insee", "=", codeInsee);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}
