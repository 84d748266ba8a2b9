import { type Kysely, sql } from "kysely";
import type { BroadbandTables, ClasseArcep, EtatFtth, Techno } from "../../broadband/broadband.tables.ts";
import type { StoredEligibilityRow } from "./eligibility-store.ts";
import { BUILDING_COLUMNS, type LookupBuilding } from "./lookup-building.ts";

/**
 * One published quarter's buildings and eligibility rows held in memory, for lookups by address id
 * or building id without a database read (about half of a first lookup's cost went to SQLite, even
 * with its pages cached: 48 µs against 4 µs from here, measured over 50,000 random address ids).
 * A published quarter never changes, so the index is exact for as long as its quarter is the one
 * served. It is compact, because a région holds millions of buildings:
 * - ids and address ids as characters in one growing array (one byte each while they are all
 *   Latin-1, as identifiers are; two otherwise), found through open-addressing hash tables
 *   (Int32Array) rather than two Maps of strings (a string object and a map entry per key);
 * - every other text column interned (communes, streets, numbers, states, dates, networks), one
 *   small integer per building;
 * - the eligibility rows as a shared "profile": buildings with the same rows (operator, technology,
 *   classes, saturation) point to one array, and there are few distinct ones.
 * Names of networks and operators are not kept here: the store resolves them at each lookup.
 */

/** Strings appended once each and found again by value; an entry is the position it was appended at. */
export class KeyTable {
  private units: Uint8Array | Uint16Array = new Uint8Array(1 << 16);
  private used = 0;
  private starts: Uint32Array;
  private count = 0;
  // Open addressing: a slot holds the latest entry with its key (or -1); `next` chains the others.
  private slots: Int32Array;
  private next: Int32Array;
  private nulls: Uint8Array;
  private keyed = 0;

  /** `capacity`: the expected number of entries (the arrays grow past it, at a cost). */
  constructor(capacity = 1024) {
    const entries = Math.max(16, capacity);
    this.starts = new Uint32Array(entries + 1);
    this.next = new Int32Array(entries);
    this.nulls = new Uint8Array(entries);
    this.slots = new Int32Array(2 ** Math.ceil(Math.log2(entries * 2 + 1))).fill(-1);
  }

  /** Appends `key` (null: an entry nobody can find, keeping positions aligned); returns its position. */
  add(key: string | null): number {
    const entry = this.count;
    if (entry >= this.next.length) {
      const entries = this.next.length * 2;
      this.starts = grow(this.starts, entries + 1);
      this.next = grow(this.next, entries);
      this.nulls = grow(this.nulls, entries);
    }
    const length = key?.length ?? 0;
    if (this.used + length > this.units.length) {
      this.units = grow(this.units, Math.max(this.units.length * 2, this.used + length));
    }
    for (let i = 0; i < length; i++) {
      const unit = (key as string).charCodeAt(i);
      // Beyond Latin-1: two bytes per character from now on.
      if (unit > 0xff && this.units instanceof Uint8Array) this.units = Uint16Array.from(this.units);
      this.units[this.used + i] = unit;
    }
    this.starts[entry] = this.used;
    this.used += length;
    this.starts[entry + 1] = this.used;
    this.count++;
    this.next[entry] = -1;
    this.nulls[entry] = key === null ? 1 : 0;
    if (key === null) return entry;
    if (++this.keyed * 2 > this.slots.length) this.rehash();
    const slot = this.slotOf(key);
    this.next[entry] = this.slots[slot] as number;
    this.slots[slot] = entry;
    return entry;
  }

  /** Positions holding `key`, latest first; empty when none. */
  find(key: string): number[] {
    const found: number[] = [];
    for (let entry = this.slots[this.slotOf(key)] as number; entry !== -1; entry = this.next[entry] as number) {
      found.push(entry);
    }
    return found;
  }

  /** The string at a position (null for a null entry). */
  at(entry: number): string | null {
    if (this.nulls[entry] === 1) return null;
    const start = this.starts[entry] as number;
    return String.fromCharCode.apply(null, this.units.subarray(start, this.starts[entry + 1]) as unknown as number[]);
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held by the typed arrays. */
  get bytes(): number {
    return (
      this.units.byteLength +
      this.starts.byteLength +
      this.slots.byteLength +
      this.next.byteLength +
      this.nulls.byteLength
    );
  }

  /** Shrinks the growing arrays to their content once every key is in. */
  seal(): void {
    this.units = this.units.slice(0, this.used);
    this.starts = this.starts.slice(0, this.count + 1);
    this.next = this.next.slice(0, this.count);
    this.nulls = this.nulls.slice(0, this.count);
  }

  /** The slot of `key`: the one holding an entry with that key, or the empty one where it would go. */
  private slotOf(key: string): number {
    const mask = this.slots.length - 1;
    for (let slot = hash(key) & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot] as number;
      if (entry === -1 || this.holds(entry, key)) return slot;
    }
  }

  private holds(entry: number, key: string): boolean {
    const start = this.starts[entry] as number;
    if ((this.starts[entry + 1] as number) - start !== key.length) return false;
    for (let i = 0; i < key.length; i++) if (this.units[start + i] !== key.charCodeAt(i)) return false;
    return true;
  }

  private rehash(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2).fill(-1);
    const mask = this.slots.length - 1;
    // Only the heads move: the chain behind each head is the same key.
    for (const head of old) {
      if (head === -1) continue;
      let slot = hashUnits(this.units, this.starts[head] as number, this.starts[head + 1] as number) & mask;
      while (this.slots[slot] !== -1) slot = (slot + 1) & mask;
      this.slots[slot] = head;
    }
  }
}

/** FNV-1a over UTF-16 code units (a Latin-1 character is its own code unit). */
function hash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function hashUnits(units: Uint8Array | Uint16Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ (units[i] as number), 0x01000193);
  return h >>> 0;
}

type Growable = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array;
function grow<T extends Growable>(array: T, length: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(length);
  bigger.set(array);
  return bigger;
}

/** A text column: each distinct value once, a number per building (16 bits until it needs 32). */
class InternedColumn {
  readonly values: (string | null)[] = [null];
  private readonly codes = new Map<string, number>();
  private at: Uint16Array | Uint32Array;

  constructor(capacity: number) {
    this.at = new Uint16Array(capacity);
  }

  set(row: number, value: string | null): void {
    let code = 0;
    if (value !== null) {
      code = this.codes.get(value) ?? -1;
      if (code === -1) {
        code = this.values.length;
        this.values.push(value);
        this.codes.set(value, code);
        if (code === 0x10000 && this.at instanceof Uint16Array) this.at = Uint32Array.from(this.at);
      }
    }
    if (row >= this.at.length) this.at = grow(this.at, this.at.length * 2);
    this.at[row] = code;
  }

  code(row: number): number {
    return this.at[row] as number;
  }

  value(row: number): string | null {
    return this.values[this.at[row] as number] as string | null;
  }

  seal(rows: number): void {
    this.at = this.at.slice(0, rows);
    this.codes.clear();
  }

  get bytes(): number {
    return this.at.byteLength;
  }
}

const TEXT_COLUMNS = [
  "code_insee",
  "numero",
  "rep",
  "nom_voie",
  "type",
  "reseau",
  "operateur_infra",
  "etat_ftth",
  "reference_pm",
  "etat_pm",
  "date_mes_commerciale",
  "date_prevue",
] as const;
type TextColumn = (typeof TEXT_COLUMNS)[number];

/** The rows of a building without names (the store adds them), shared by every building alike. */
type Profile = readonly Omit<StoredEligibilityRow, "operateurNom">[];

export interface IndexProgress {
  buildings: number;
  rows: number;
}

let indexSerial = 0;

/** The index of one quarter; `byAddress` and `byBuilding` give what the SQL store gives, names aside. */
export class EligibilityIndex {
  private readonly ids: KeyTable;
  private readonly addresses: KeyTable;
  private readonly text: Record<TextColumn, InternedColumn>;
  private lon: Float64Array;
  private lat: Float64Array;
  private nbLocaux: Float64Array;
  private profileOf: Uint16Array | Uint32Array;
  /**
   * Tuples of the text columns' codes, interned in turn: what an answer's part depends on is then one
   * number, looked up without making and hashing a string per request. FttH facts: FttH state, PM
   * state, commercial opening and planned dates.
   */
  private readonly fibreOf: InternedColumn;
  /** What the offers depend on besides the date: commune, network and FttH state. */
  private readonly placeOf: InternedColumn;
  private readonly profiles: Profile[] = [];
  private readonly profileCodes = new Map<string, number>();
  private rowCount = 0;
  /** Distinguishes this index from any other built in the process (its codes mean nothing elsewhere). */
  readonly serial = ++indexSerial;

  /** `capacity`: the expected number of buildings (counted first: no regrowth on the way). */
  constructor(
    readonly quarter: string,
    capacity = 1024,
  ) {
    const n = Math.max(16, capacity);
    this.ids = new KeyTable(n);
    this.addresses = new KeyTable(n);
    this.text = Object.fromEntries(TEXT_COLUMNS.map((c) => [c, new InternedColumn(n)])) as Record<
      TextColumn,
      InternedColumn
    >;
    this.lon = new Float64Array(n);
    this.lat = new Float64Array(n);
    this.nbLocaux = new Float64Array(n);
    this.profileOf = new Uint16Array(n);
    this.fibreOf = new InternedColumn(n);
    this.placeOf = new InternedColumn(n);
  }

  get buildings(): number {
    return this.ids.size;
  }

  get rows(): number {
    return this.rowCount;
  }

  /** Distinct eligibility profiles (sets of rows). */
  get profileCount(): number {
    return this.profiles.length;
  }

  /** Bytes of the typed arrays (the interned values and profiles, small, are not counted). */
  get bytes(): number {
    let total = this.ids.bytes + this.addresses.bytes;
    for (const column of TEXT_COLUMNS) total += this.text[column].bytes;
    return (
      total +
      this.lon.byteLength +
      this.lat.byteLength +
      this.nbLocaux.byteLength +
      this.profileOf.byteLength +
      this.fibreOf.bytes +
      this.placeOf.bytes
    );
  }

  add(building: LookupBuilding, rows: Profile): void {
    const at = this.ids.add(building.id);
    this.addresses.add(building.adresse_id);
    if (at >= this.lon.length) {
      const length = this.lon.length * 2;
      this.lon = grow(this.lon, length);
      this.lat = grow(this.lat, length);
      this.nbLocaux = grow(this.nbLocaux, length);
      this.profileOf = grow(this.profileOf, length);
    }
    const t = this.text;
    for (const column of TEXT_COLUMNS) t[column].set(at, building[column]);
    const etatFtth = t.etat_ftth.code(at);
    this.fibreOf.set(
      at,
      `${etatFtth}|${t.etat_pm.code(at)}|${t.date_mes_commerciale.code(at)}|${t.date_prevue.code(at)}`,
    );
    this.placeOf.set(at, `${t.code_insee.code(at)}|${t.reseau.code(at)}|${etatFtth}`);
    // SQLite has no NaN (it stores NULL), PostgreSQL's double precision could: a null either way.
    this.lon[at] = building.lon ?? Number.NaN;
    this.lat[at] = building.lat ?? Number.NaN;
    this.nbLocaux[at] = Number(building.nb_locaux);
    const profile = this.intern(rows);
    if (profile === 0x10000 && this.profileOf instanceof Uint16Array) this.profileOf = Uint32Array.from(this.profileOf);
    this.profileOf[at] = profile;
    this.rowCount += rows.length;
  }

  seal(): void {
    const n = this.ids.size;
    this.ids.seal();
    this.addresses.seal();
    for (const column of TEXT_COLUMNS) this.text[column].seal(n);
    this.lon = this.lon.slice(0, n);
    this.lat = this.lat.slice(0, n);
    this.nbLocaux = this.nbLocaux.slice(0, n);
    this.profileOf = this.profileOf.slice(0, n);
    this.fibreOf.seal(n);
    this.placeOf.seal(n);
    this.profileCodes.clear();
  }

  byAddress(addressId: string): IndexedBuilding[] {
    return this.addresses
      .find(addressId)
      .map((at) => this.building(at))
      .sort((a, b) => (a.building.id < b.building.id ? -1 : a.building.id > b.building.id ? 1 : 0));
  }

  byBuilding(buildingId: string): IndexedBuilding[] {
    return this.ids.find(buildingId).map((at) => this.building(at));
  }

  /** The buildings from position `from` (0 to `buildings`), `count` of them at most, in the index's order. */
  slice(from: number, count: number): IndexedBuilding[] {
    const found: IndexedBuilding[] = [];
    for (let at = from, end = Math.min(this.buildings, from + count); at < end; at++) found.push(this.building(at));
    return found;
  }

  private building(at: number): IndexedBuilding {
    const t = this.text;
    const lon = this.lon[at] as number;
    const lat = this.lat[at] as number;
    const building: LookupBuilding = {
      trimestre: this.quarter,
      id: this.ids.at(at) as string,
      adresse_id: this.addresses.at(at),
      code_insee: t.code_insee.value(at) as string,
      numero: t.numero.value(at),
      rep: t.rep.value(at),
      nom_voie: t.nom_voie.value(at),
      lon: Number.isNaN(lon) ? null : lon,
      lat: Number.isNaN(lat) ? null : lat,
      type: t.type.value(at),
      nb_locaux: this.nbLocaux[at] as number,
      reseau: t.reseau.value(at),
      operateur_infra: t.operateur_infra.value(at),
      etat_ftth: t.etat_ftth.value(at) as EtatFtth | null,
      reference_pm: t.reference_pm.value(at),
      etat_pm: t.etat_pm.value(at),
      date_mes_commerciale: t.date_mes_commerciale.value(at),
      date_prevue: t.date_prevue.value(at),
    };
    const profile = this.profileOf[at] as number;
    const context: IndexedContext = {
      profile,
      reseau: t.reseau.code(at),
      operateurInfra: t.operateur_infra.code(at),
      fibre: this.fibreOf.code(at),
      commune: t.code_insee.code(at),
      place: this.placeOf.code(at),
    };
    return { building, rows: this.profiles[profile] as Profile, context };
  }

  /** Rows come in primary-key order (operator, technology): the same set always gives the same key. */
  private intern(rows: Profile): number {
    let key = "";
    for (const r of rows) {
      key += `${r.operateur}\u0001${r.techno}\u0001${r.classe_montant}\u0001${r.classe_descendant}\u0001${r.saturation}\u0002`;
    }
    let code = this.profileCodes.get(key);
    if (code === undefined) {
      code = this.profiles.length;
      this.profiles.push(Object.freeze(rows.map((r) => Object.freeze({ ...r }))));
      this.profileCodes.set(key, code);
    }
    return code;
  }
}

/**
 * What decides an answer's parts besides a building's own identity and place, as codes of this index
 * (meaningful only with its `index` serial): buildings with the same network codes share the network
 * part, the same FttH facts the fibre part (at a given date), the same profile the technologies, the
 * same commune the copper closure, and so on. Each part has few distinct values in a région, where
 * whole contexts (all of these together) number in the hundreds of thousands.
 */
export interface IndexedContext {
  /** The building's eligibility profile (its rows). */
  profile: number;
  reseau: number;
  operateurInfra: number;
  /** FttH state, PM state, commercial opening and planned dates, as one code. */
  fibre: number;
  commune: number;
  /** Commune, network and FttH state, as one code (with the FttH verdict, what the offers depend on). */
  place: number;
}

/** A building as the index gives it: its rows without names, and the codes of its context. */
export interface IndexedBuilding {
  building: LookupBuilding;
  rows: Profile;
  context: IndexedContext;
}

/**
 * Buildings read per step (two indexed range reads), between which requests are answered. Measured on
 * the Normandy demo while the index builds: 1,000 per step keeps a light route at p99 22 ms (1,100
 * requests/s), where 5,000 held it at 130 ms (200 requests/s); the build takes the same 16–17 s.
 */
export const INDEX_CHUNK = 1000;

/**
 * Reads `quarter` into a new index, a chunk of buildings at a time in primary-key order, yielding
 * to the event loop between chunks so that requests keep being answered meanwhile. `cancelled` is
 * checked between chunks (a newer quarter was published, or the server stops).
 */
export async function buildEligibilityIndex(
  db: Kysely<BroadbandTables>,
  quarter: string,
  options: { chunk?: number; cancelled?: () => boolean; onProgress?: (progress: IndexProgress) => void } = {},
): Promise<EligibilityIndex | null> {
  const chunk = options.chunk ?? INDEX_CHUNK;
  const { n } = await db
    .selectFrom("thd_immeuble")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("trimestre", "=", quarter)
    .executeTakeFirstOrThrow();
  const index = new EligibilityIndex(quarter, Number(n));
  let after: string | null = null;
  for (;;) {
    if (options.cancelled?.()) return null;
    let query = db.selectFrom("thd_immeuble").select(BUILDING_COLUMNS).where("trimestre", "=", quarter);
    if (after !== null) query = query.where("id", ">", after);
    const buildings: LookupBuilding[] = await query.orderBy("id").limit(chunk).execute();
    if (buildings.length === 0) break;
    const first = (buildings[0] as LookupBuilding).id;
    const last = (buildings[buildings.length - 1] as LookupBuilding).id;
    // The same order (the primary key's), so the range holds exactly this chunk's rows.
    const rows = await db
      .selectFrom("thd_eligibilite")
      .select(["immeuble_id", "operateur", "techno", "classe_montant", "classe_descendant", "saturation"])
      .where("trimestre", "=", quarter)
      .where(sql<boolean>`immeuble_id >= ${first} and immeuble_id <= ${last}`)
      .orderBy("immeuble_id")
      .orderBy("operateur")
      .orderBy("techno")
      .execute();
    const byBuilding = new Map<string, Omit<StoredEligibilityRow, "operateurNom">[]>();
    for (const row of rows) {
      let list = byBuilding.get(row.immeuble_id);
      if (!list) {
        list = [];
        byBuilding.set(row.immeuble_id, list);
      }
      list.push({
        operateur: row.operateur,
        techno: row.techno as Techno,
        classe_montant: row.classe_montant as ClasseArcep,
        classe_descendant: row.classe_descendant as ClasseArcep,
        saturation: Number(row.saturation),
      });
    }
    for (const building of buildings) index.add(building, byBuilding.get(building.id) ?? []);
    options.onProgress?.({ buildings: index.buildings, rows: index.rows });
    if (buildings.length < chunk) break;
    after = last;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  index.seal();
  return index;
}
