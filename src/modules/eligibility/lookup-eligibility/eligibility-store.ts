import type SQLite from "better-sqlite3";
import { CompiledQuery, type Kysely } from "kysely";
import { type AppDatabase, sqliteHandleOf } from "../../../shared/db/database.ts";
import type { BroadbandTables, ClasseArcep, Techno } from "../../broadband/broadband.tables.ts";
import { latestBuildingQuarter, type QuarterRef } from "../published-quarter.ts";
import {
  buildEligibilityIndex,
  type EligibilityIndex,
  type IndexedBuilding,
  type IndexedContext,
} from "./eligibility-index.ts";
import { BUILDING_COLUMNS, type LookupBuilding } from "./lookup-building.ts";

export type { LookupBuilding } from "./lookup-building.ts";

/**
 * The reads of the eligibility hot path, as a handful of fixed SQL statements. On SQLite they are
 * prepared once on the better-sqlite3 handle; on PostgreSQL the same text is sent as one query.
 * - The latest published quarter with buildings is kept in memory, keyed by a signature of the
 *   published quarters (how many, last publication time): published quarters are immutable and
 *   buildings are only written into drafts, so that set changes only through a publication. On
 *   PostgreSQL the signature is read on every call (no staleness). On SQLite it is read again only
 *   when this process wrote anything since (`total_changes()`, which takes no lock: the next call
 *   sees a publication made here) or after OTHER_PROCESSES_MS (the bound for other processes):
 *   reading it takes a read transaction, some 5–9 µs, a sixth of a cached answer.
 * - One statement per lookup reads the buildings, their network and operator names and their
 *   eligibility rows, joined.
 * - Copper closures are kept per quarter signature and commune (a few thousand communes at most).
 * - The server's store (`keepIndex`) also holds the current quarter's buildings and rows in memory
 *   (eligibility-index.ts), built in the background once the quarter is known: lookups by address or
 *   building id then read no SQL; until it is ready, or for another quarter, they read as above.
 *   Network and operator names are read apart, again at most once per OTHER_PROCESSES_MS.
 */

export type { QuarterRef } from "../published-quarter.ts";

export interface StoredEligibilityRow {
  operateur: string;
  operateurNom: string | null;
  techno: Techno;
  classe_montant: ClasseArcep;
  classe_descendant: ClasseArcep;
  saturation: number;
}

export interface StoredBuilding {
  building: LookupBuilding;
  reseauNom: string | null;
  operateurInfraNom: string | null;
  rows: readonly StoredEligibilityRow[];
  /**
   * From the in-memory index: the codes of everything the answer shows about this building besides
   * its own identity and place, so that each part of the answer can be shared by every building with
   * the same codes for that part.
   */
  context?: BuildingContext;
}

/** An indexed building's context codes, with the scope they are meaningful in. */
export interface BuildingContext {
  /** The index, the names and the published quarters they were read with. */
  scope: string;
  codes: IndexedContext;
}

export interface IndexStatus {
  quarter: string | null;
  ready: boolean;
  buildings: number;
  rows: number;
  profiles: number;
  bytes: number;
  buildMs: number | null;
  error: string | null;
}

export interface CopperClosureRow {
  trimestre: string;
  lot: string | null;
  fermeture_commerciale: string | null;
  fermeture_technique: string | null;
  message_usager: string | null;
}

export interface PositionCandidate {
  id: string;
  lat: number;
  lon: number;
}

export interface EligibilityStore {
  /** The latest published quarter holding buildings; null when there is none. */
  currentQuarter(): Promise<QuarterRef | null>;
  /** The current quarter without waiting, when the last check still stands (the hot path); else undefined. */
  knownQuarter(): QuarterRef | null | undefined;
  /**
   * From the in-memory index only, without waiting: the buildings at an address id or with a
   * building id; undefined when the index does not hold `quarter` or has nothing for the id (the
   * asynchronous methods then read the database).
   */
  indexedByAddress(quarter: string, addressId: string): StoredBuilding[] | undefined;
  indexedByBuilding(quarter: string, buildingId: string): StoredBuilding[] | undefined;
  /**
   * From the in-memory index: `count` buildings at most from position `from`, in the index's order
   * (empty past its end); undefined when the index does not hold `quarter` (or names are not read).
   */
  indexedSlice(quarter: string, from: number, count: number): StoredBuilding[] | undefined;
  /** Buildings of `quarter` at an address id, sorted by id, with their eligibility rows. */
  byAddress(quarter: string, addressId: string): Promise<StoredBuilding[]>;
  byBuilding(quarter: string, buildingId: string): Promise<StoredBuilding[]>;
  /** Buildings of `quarter` with a position in a lat/lon box. */
  inBox(
    quarter: string,
    box: { latMin: number; latMax: number; lonMin: number; lonMax: number },
  ): Promise<PositionCandidate[]>;
  /** The commune's row of the latest published quarter up to `quarter`. */
  copperClosure(quarter: string, codeInsee: string): Promise<CopperClosureRow | null>;
  /**
   * From now on, keep the current quarter in memory (the server's lookups; a one-off CLI read does
   * not). Returns a function that stops it (the index is dropped, a build under way is abandoned).
   */
  keepIndex(): () => void;
  indexStatus(): IndexStatus;
  /** Resolves once the current quarter's index is built (or its build failed, see indexStatus). */
  whenIndexed(): Promise<void>;
}

/** The buildings of a quarter matching `condition`, each with its eligibility rows, with names. */
const lookupSql = (condition: string) => `select ${BUILDING_COLUMNS.map((c) => `i.${c}`).join(", ")},
    r.nom as reseau_nom, oi.nom as operateur_infra_nom,
    e.operateur as e_operateur, oe.nom as e_operateur_nom, e.techno as e_techno,
    e.classe_montant as e_classe_montant, e.classe_descendant as e_classe_descendant, e.saturation as e_saturation
  from thd_immeuble i
  left join thd_reseau r on r.code = i.reseau
  left join thd_operateur oi on oi.code = i.operateur_infra
  left join thd_eligibilite e on e.trimestre = i.trimestre and e.immeuble_id = i.id
  left join thd_operateur oe on oe.code = e.operateur
  where i.trimestre = ? and ${condition}`;

const SQL = {
  // A single page on SQLite: a few dozen quarters.
  signature: "select count(*) as n, max(publie_le) as p from thd_trimestre where statut = 'publie'",
  byAddress: lookupSql("i.adresse_id = ?"),
  byBuilding: lookupSql("i.id = ?"),
  // Served by the (trimestre, lat, lon) index.
  inBox:
    "select i.id, i.lat, i.lon from thd_immeuble i where i.trimestre = ? and i.lat >= ? and i.lat <= ? and i.lon >= ? and i.lon <= ?",
  // Published quarters from the latest down, each a (trimestre, code_insee) primary-key probe.
  networkNames: "select code, nom from thd_reseau",
  operatorNames: "select code, nom from thd_operateur",
  copperClosure: `select f.trimestre, f.lot, f.fermeture_commerciale, f.fermeture_technique, f.message_usager
    from thd_trimestre t join thd_fermeture_cuivre f on f.trimestre = t.code and f.code_insee = ?
    where t.statut = 'publie' and t.code <= ? order by t.code desc limit 1`,
} as const;
type Statement = keyof typeof SQL;

// Lookup rows come as arrays (better-sqlite3's raw mode: a third cheaper than objects), in this order.
const RESEAU_NOM = BUILDING_COLUMNS.length;
const OPERATEUR_INFRA_NOM = RESEAU_NOM + 1;
const E_OPERATEUR = RESEAU_NOM + 2;
const E_OPERATEUR_NOM = RESEAU_NOM + 3;
const E_TECHNO = RESEAU_NOM + 4;
const E_CLASSE_MONTANT = RESEAU_NOM + 5;
const E_CLASSE_DESCENDANT = RESEAU_NOM + 6;
const E_SATURATION = RESEAU_NOM + 7;
const ID = BUILDING_COLUMNS.indexOf("id");

/** Groups the joined rows by building, sorted by building id. */
function groupLookup(rows: unknown[][]): StoredBuilding[] {
  const byId = new Map<string, StoredBuilding & { rows: StoredEligibilityRow[] }>();
  for (const row of rows) {
    const id = row[ID] as string;
    let entry = byId.get(id);
    if (!entry) {
      const building: Record<string, unknown> = {};
      for (let c = 0; c < BUILDING_COLUMNS.length; c++) building[BUILDING_COLUMNS[c] as string] = row[c];
      entry = {
        building: building as unknown as LookupBuilding,
        reseauNom: row[RESEAU_NOM] as string | null,
        operateurInfraNom: row[OPERATEUR_INFRA_NOM] as string | null,
        rows: [],
      };
      byId.set(id, entry);
    }
    if (row[E_OPERATEUR] !== null && row[E_TECHNO] !== null) {
      entry.rows.push({
        operateur: row[E_OPERATEUR] as string,
        operateurNom: row[E_OPERATEUR_NOM] as string | null,
        techno: row[E_TECHNO] as Techno,
        classe_montant: row[E_CLASSE_MONTANT] as ClasseArcep,
        classe_descendant: row[E_CLASSE_DESCENDANT] as ClasseArcep,
        saturation: Number(row[E_SATURATION]),
      });
    }
  }
  // Sorted here, not by SQL: an ORDER BY could lead SQLite away from the adresse_id index.
  return [...byId.values()].sort((a, b) =>
    a.building.id < b.building.id ? -1 : a.building.id > b.building.id ? 1 : 0,
  );
}

interface Runner {
  /** Rows as objects named by the select list. */
  rows<T>(statement: Statement, parameters: unknown[]): Promise<T[]>;
  /** Rows as arrays, in the select list's order. */
  arrays(statement: Statement, parameters: unknown[]): Promise<unknown[][]>;
  /** SQLite: rows changed so far through this connection (every write of this process). */
  changes?(): number;
}

function sqliteRunner(sqlite: SQLite.Database): Runner {
  const prepared = new Map<string, SQLite.Statement>();
  const statement = (name: Statement, raw: boolean) => {
    const key = `${name}${raw ? ":raw" : ""}`;
    let s = prepared.get(key);
    if (!s) {
      s = sqlite.prepare(SQL[name]);
      if (raw) s.raw(true);
      prepared.set(key, s);
    }
    return s;
  };
  const totalChanges = sqlite.prepare("select total_changes()").pluck();
  return {
    rows: async <T>(name: Statement, parameters: unknown[]) => statement(name, false).all(...parameters) as T[],
    arrays: async (name, parameters) => statement(name, true).all(...parameters) as unknown[][],
    changes: () => totalChanges.get() as number,
  };
}

function postgresRunner(db: Kysely<BroadbandTables>): Runner {
  const texts = new Map<Statement, string>();
  for (const [name, text] of Object.entries(SQL)) {
    let n = 0;
    texts.set(
      name as Statement,
      text.replace(/\?/g, () => `$${++n}`),
    );
  }
  const rows = async <T>(name: Statement, parameters: unknown[]) =>
    (await db.executeQuery<T>(CompiledQuery.raw(texts.get(name) as string, parameters))).rows;
  return {
    rows,
    // pg keeps the select list's order in each row's keys (the aliases are unique).
    arrays: async (name, parameters) => (await rows<Record<string, unknown>>(name, parameters)).map(Object.values),
  };
}

/** How soon a publication made by another process (CLI, another worker) is seen on SQLite. */
export const OTHER_PROCESSES_MS = 1000;

const stores = new WeakMap<object, EligibilityStore>();

/** Network and operator names, read apart from the in-memory index (they live outside quarters). */
interface Names {
  generation: number;
  networks: Map<string, string>;
  operators: Map<string, string>;
  /** The index's shared profiles with their operators' names, per profile. */
  named: WeakMap<object, StoredEligibilityRow[]>;
}

/** The store over a database opened by openDatabase (one per database handle, statements kept). */
export function eligibilityStore(db: Kysely<BroadbandTables>): EligibilityStore {
  const existing = stores.get(db);
  if (existing) return existing;
  const store = createEligibilityStore(db);
  stores.set(db, store);
  return store;
}

/** A store of its own (tests compare an indexed store with a plain one on the same database). */
export function createEligibilityStore(db: Kysely<BroadbandTables>): EligibilityStore {
  const sqlite = sqliteHandleOf(db as AppDatabase);
  const run = sqlite ? sqliteRunner(sqlite) : postgresRunner(db);
  let known: { signature: string; quarter: QuarterRef | null } | undefined;
  // Bumped with `known`: a publication (even of an older quarter) may change a copper closure.
  let knownGeneration = 0;
  let closures = new Map<string, CopperClosureRow | null>();
  let checkedChanges: number | undefined;
  let checkedAt = 0;

  // The in-memory index (server only): wanted from keepIndex() on; one build at a time.
  let indexWanted = false;
  let index: EligibilityIndex | null = null;
  let building: { quarter: string; done: Promise<void> } | null = null;
  let failure: { quarter: string; message: string } | null = null;
  let buildMs: number | null = null;
  let names: Names | null = null;
  let namesReadAt = 0;
  let namesReading: Promise<void> | null = null;

  async function readNames(): Promise<void> {
    const [networks, operators] = await Promise.all([
      run.rows<{ code: string; nom: string }>("networkNames", []),
      run.rows<{ code: string; nom: string }>("operatorNames", []),
    ]);
    const next = {
      networks: new Map(networks.map((r) => [r.code, r.nom])),
      operators: new Map(operators.map((r) => [r.code, r.nom])),
    };
    const same = (a: Map<string, string>, b: Map<string, string>) =>
      a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
    if (!names || !same(names.networks, next.networks) || !same(names.operators, next.operators)) {
      names = { generation: (names?.generation ?? 0) + 1, ...next, named: new WeakMap() };
    }
    namesReadAt = Date.now();
  }

  /** Names no older than OTHER_PROCESSES_MS: read again in the background, not on the request's path. */
  function currentNames(): Names | null {
    if (Date.now() - namesReadAt >= OTHER_PROCESSES_MS && !namesReading) {
      namesReading = readNames()
        .catch(() => {})
        .finally(() => {
          namesReading = null;
        });
    }
    return names;
  }

  function ensureIndex(quarter: QuarterRef | null): void {
    if (!indexWanted || !quarter) return;
    if (index?.quarter === quarter.code || building?.quarter === quarter.code) return;
    if (failure?.quarter === quarter.code) return;
    const started = performance.now();
    const target = quarter.code;
    building = {
      quarter: target,
      done: (async () => {
        try {
          await readNames();
          const built = await buildEligibilityIndex(db, target, {
            cancelled: () => !indexWanted || building?.quarter !== target,
          });
          if (built && indexWanted && building?.quarter === target) {
            index = built;
            buildMs = performance.now() - started;
            failure = null;
          }
        } catch (error) {
          // The SQL reads go on serving; the status says why (a closed database when the server stops).
          failure = { quarter: target, message: error instanceof Error ? error.message : String(error) };
        } finally {
          if (building?.quarter === target) building = null;
        }
      })(),
    };
  }

  // The scope of the index's context codes, made again only when one of its parts changes.
  let scope = { index: 0, names: 0, generation: 0, text: "" };
  function scopeOf(index: EligibilityIndex, names: Names): string {
    if (scope.index !== index.serial || scope.names !== names.generation || scope.generation !== knownGeneration) {
      const text = `${index.serial}|${names.generation}|${knownGeneration}`;
      scope = { index: index.serial, names: names.generation, generation: knownGeneration, text };
    }
    return scope.text;
  }

  /** An index building with its names: what the SQL store would have read. */
  function named(from: EligibilityIndex, found: IndexedBuilding[]): StoredBuilding[] | null {
    const current = currentNames();
    if (!current) return null;
    const contextScope = scopeOf(from, current);
    return found.map(({ building: b, rows, context }) => {
      let withNames = current.named.get(rows);
      if (!withNames) {
        withNames = rows.map((r) => ({ ...r, operateurNom: current.operators.get(r.operateur) ?? null }));
        current.named.set(rows, withNames);
      }
      return {
        building: b,
        reseauNom: b.reseau === null ? null : (current.networks.get(b.reseau) ?? null),
        operateurInfraNom: b.operateur_infra === null ? null : (current.operators.get(b.operateur_infra) ?? null),
        rows: withNames,
        context: { scope: contextScope, codes: context },
      };
    });
  }

  const store: EligibilityStore = {
    knownQuarter() {
      // SQLite: nothing written by this process since the last check (total_changes(), no lock
      // taken), and that check is recent: the quarter stands. Writes from other processes (CLI,
      // other workers) are seen within OTHER_PROCESSES_MS; PostgreSQL reads the signature each time.
      const changes = run.changes?.();
      if (known && changes !== undefined && changes === checkedChanges && Date.now() - checkedAt < OTHER_PROCESSES_MS) {
        return known.quarter;
      }
      return undefined;
    },
    async currentQuarter() {
      const stands = store.knownQuarter();
      if (stands !== undefined) return stands;
      const changes = run.changes?.();
      const now = Date.now();
      checkedChanges = changes;
      checkedAt = now;
      const [row] = await run.rows<{ n: number; p: string | null }>("signature", []);
      const signature = `${row?.n ?? 0}|${row?.p ?? ""}`;
      if (known?.signature === signature) return known.quarter;
      // Read only when the published quarters change: no need for a prepared statement.
      known = { signature, quarter: await latestBuildingQuarter(db) };
      knownGeneration++;
      closures = new Map();
      ensureIndex(known.quarter);
      return known.quarter;
    },
    indexedByAddress(quarter, addressId) {
      if (index?.quarter !== quarter) return undefined;
      const found = named(index, index.byAddress(addressId));
      return found && found.length > 0 ? found : undefined;
    },
    indexedByBuilding(quarter, buildingId) {
      if (index?.quarter !== quarter) return undefined;
      const found = named(index, index.byBuilding(buildingId));
      return found && found.length > 0 ? found : undefined;
    },
    indexedSlice(quarter, from, count) {
      if (index?.quarter !== quarter) return undefined;
      return named(index, index.slice(from, count)) ?? undefined;
    },
    async byAddress(quarter, addressId) {
      if (index?.quarter === quarter) {
        const found = named(index, index.byAddress(addressId));
        if (found) return found;
      }
      return groupLookup(await run.arrays("byAddress", [quarter, addressId]));
    },
    async byBuilding(quarter, buildingId) {
      if (index?.quarter === quarter) {
        const found = named(index, index.byBuilding(buildingId));
        if (found) return found;
      }
      return groupLookup(await run.arrays("byBuilding", [quarter, buildingId]));
    },
    inBox: (quarter, { latMin, latMax, lonMin, lonMax }) =>
      run.rows<PositionCandidate>("inBox", [quarter, latMin, latMax, lonMin, lonMax]),
    async copperClosure(quarter, codeInsee) {
      // The map is replaced when the published quarters change (currentQuarter), so entries stay exact.
      const key = `${quarter}|${codeInsee}`;
      const cached = closures.get(key);
      if (cached !== undefined) return cached;
      const map = closures;
      const row = (await run.rows<CopperClosureRow>("copperClosure", [codeInsee, quarter]))[0] ?? null;
      if (map.size >= 50_000) map.clear();
      map.set(key, row);
      return row;
    },
    keepIndex() {
      indexWanted = true;
      // Built as soon as the quarter is known: at the first lookup, or when the caller asks for the
      // quarter (the server does once it listens).
      ensureIndex(known?.quarter ?? null);
      return () => {
        indexWanted = false;
        index = null;
      };
    },
    indexStatus: () => ({
      quarter: index?.quarter ?? building?.quarter ?? failure?.quarter ?? null,
      ready: index !== null,
      buildings: index?.buildings ?? 0,
      rows: index?.rows ?? 0,
      profiles: index?.profileCount ?? 0,
      bytes: index?.bytes ?? 0,
      buildMs,
      error: failure?.message ?? null,
    }),
    async whenIndexed() {
      ensureIndex(await store.currentQuarter());
      await building?.done;
    },
  };
  return store;
}
