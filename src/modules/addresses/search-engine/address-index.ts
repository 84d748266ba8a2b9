// In-process address search engine: addok's algorithm (tokens → candidate documents → scoring,
// house numbers matched after retrieval) over compact structures. Documents are the streets
// (lieux-dits included) and the municipalities; house numbers live in typed arrays grouped by street.
// A lieu-dit is a BAN toponym without numbers: its own record carries `numero` 99999 (the BAL/BAN
// convention, id `<insee>_<voie>_99999`); it is a `locality` document, as in the national API.
//
// Layout (n addresses, s streets, c communes, v tokens):
// - addresses sorted by document: numero (Uint32), rep (Uint16 → interned string), lon/lat (Float32);
//   the BAN id is rebuilt from the street's id prefix, irregular ids are kept in a Map;
// - documents sorted by commune (each commune's municipality document first): name tokens (CSR),
//   commune, postcode token, position, address range;
// - sorted vocabulary (a prefix is a range of token ids), postings token → documents (CSR),
//   token → communes (CSR), one-edit deletion hashes and trigrams for typos; a grid of address
//   positions (0.01° cells, radix-sorted) for reverse.
//
// Query: clean and tokenise (normalize.ts); each word becomes a group of token alternatives (exact,
// prefix range when autocompleting the last word, typo neighbours); candidates are the documents of
// the rare street words, cut to the communes the query names (city words, postcode) when it names
// a few; common words ("rue") are only checked on the best candidates; final score =
// (text match + 0.1·importance [+ 0.1·proximity]) / (1.1 [+ 0.1]) as in addok, the text match mixing
// query coverage, name coverage and word order; the house number is then looked up in the street.
import { createRequire } from "node:module";
import { LIEU_DIT_NUMERO } from "../import-ban/ban-format.ts";
import { allowedEdits, buildDeletionIndex, buildTrigramIndex, FuzzyMatcher } from "./fuzzy.ts";
import { foldRep, nameTokens, parseQuery } from "./normalize.ts";

export interface AddressRecord {
  /** BAN id, e.g. "14118_1234_00012_bis". */
  id: string;
  /**
   * 0 when the record is a street only; `LIEU_DIT_NUMERO` (99999) when it is a lieu-dit (a toponym
   * without numbers: a `locality`); otherwise the house number.
   */
  numero: number;
  rep: string;
  nomVoie: string;
  codePostal: string;
  codeInsee: string;
  nomCommune: string;
  lon: number;
  lat: number;
}

export interface CommuneInfo {
  code: string;
  nom: string;
  codesPostaux?: readonly string[];
  population?: number;
  departement?: string;
}

/** The national API's result types; `locality` is a lieu-dit (a named place without numbers). */
export type ResultType = "housenumber" | "street" | "locality" | "municipality";

export const RESULT_TYPES: readonly ResultType[] = ["housenumber", "street", "locality", "municipality"];

export { LIEU_DIT_NUMERO };

export interface SearchOptions {
  limit?: number;
  autocomplete?: boolean;
  type?: ResultType;
  postcode?: string;
  citycode?: string;
  lat?: number;
  lon?: number;
}

export interface ReverseOptions {
  limit?: number;
  type?: ResultType;
}

/** The api-adresse feature properties, plus the position. */
export interface AddressResult {
  label: string;
  score: number;
  id: string;
  type: ResultType;
  name: string;
  housenumber?: string;
  street?: string;
  postcode: string;
  citycode: string;
  city: string;
  context: string;
  importance: number;
  lon: number;
  lat: number;
  /** Metres from the given point (search with lat/lon, reverse). */
  distance?: number;
}

/**
 * One answer of `searchHits`, before its properties are written out (`resultOf`). Two hits with the
 * same key have the same properties apart from `score` and `distance`, for the life of the index:
 * what a caller may memoise (the route's JSON per feature).
 */
export interface SearchHit {
  /** The address (housenumber) or the street, lieu-dit or municipality answered, within this index. */
  readonly key: number;
  readonly score: number;
  /** Metres from the given point (search with lat/lon). */
  readonly distance: number | undefined;
}

export interface AddressIndex {
  readonly addressCount: number;
  readonly streetCount: number;
  readonly communeCount: number;
  readonly tokenCount: number;
  search(q: string, options?: SearchOptions): AddressResult[];
  /** `search` without writing the results out: `search(q, o)` is `searchHits(q, o).map(resultOf)`. */
  searchHits(q: string, options?: SearchOptions): SearchHit[];
  /** The full result of a hit of this index. */
  resultOf(hit: SearchHit): AddressResult;
  reverse(lat: number, lon: number, options?: ReverseOptions): AddressResult[];
  /** The i-th stored address (0 ≤ i < addressCount), as a record. */
  getAddress(i: number): AddressRecord;
}

/** GeoJSON feature as api-adresse returns it. */
export function toFeature(result: AddressResult): {
  type: "Feature";
  geometry: { type: "Point"; coordinates: [number, number] };
  properties: Omit<AddressResult, "lon" | "lat">;
} {
  const { lon, lat, ...properties } = result;
  return { type: "Feature", geometry: { type: "Point", coordinates: [lon, lat] }, properties };
}

const NAME_CAP = 30_000; // postings walked for one query token
const COMMON_RATIO = 0.02; // a token in more than 2% of the documents is common: checked, not walked
const COMMON_MIN = 500;
const WALKED_GROUPS = 2; // the rarest tokens give the candidates; the others are checked on the best ones
const RARE_DF = 64; // tokens this rare are always walked
const MAX_NAMED = 30; // a query naming at most this many communes restricts the street words to them
const MAX_BEST_NAMED = 8; // communes the query names best, named even when more specific words fill MAX_NAMED
const MAX_NAMED_BY_POSTCODE = 80; // a postcode restricts the search to its communes, however many
const COMMUNE_DOCS_CAP = 5_000; // documents walked for the communes named in a query
const HARD_CAP = 200_000; // when every token is common, the rarest is walked up to this
const PRE_K = 40; // candidates kept by the first cut, then checked against the common tokens
const TOP_K = 12;
const GROUP_CACHE_SIZE = 20_000; // query words whose alternatives and communes are kept
const MAX_QUERY_LENGTH = 300;
const MAX_TOKENS = 24; // longer queries are not addresses
const GRID = 0.01; // degrees per reverse-grid cell
const GRID_W = Math.round(360 / GRID);

interface Alt {
  lo: number;
  hi: number;
  f: number;
}

interface Group {
  token: string;
  alts: Alt[];
  w: number;
  nameDf: number;
  communes: number[];
  /** The communes the word names exactly ("lo" → Saint-Lô), else those of its alternatives. */
  named: number[];
  communeDocs: number;
  numeric: boolean;
  /** A word typed before "<number> <street type>": it names the commune, not the street. */
  leading: boolean;
}

interface CommuneTable {
  code: string[];
  name: string[];
  context: string[];
  population: Float64Array;
  postcodes: string[][];
  docStart: Uint32Array;
  docEnd: Uint32Array;
}

let departementNames: Map<string, { nom: string; region: string }> | null = null;
let regionNames: Map<string, string> | null = null;

function loadTerritoryNames(): void {
  if (departementNames) return;
  departementNames = new Map();
  regionNames = new Map();
  try {
    const require = createRequire(import.meta.url);
    const deps = require("@etalab/decoupage-administratif/data/departements.json") as {
      code: string;
      nom: string;
      region: string;
    }[];
    const regs = require("@etalab/decoupage-administratif/data/regions.json") as { code: string; nom: string }[];
    for (const d of deps) departementNames.set(d.code, { nom: d.nom, region: d.region });
    for (const r of regs) regionNames.set(r.code, r.nom);
  } catch {
    // Names are optional: the context is then the département code alone.
  }
}

function departementOf(codeInsee: string): string {
  if (codeInsee.startsWith("97") || codeInsee.startsWith("98")) return codeInsee.slice(0, 3);
  return codeInsee.slice(0, 2);
}

function contextOf(dep: string): string {
  loadTerritoryNames();
  const d = departementNames?.get(dep);
  if (!d) return dep;
  const region = regionNames?.get(d.region);
  return region ? `${dep}, ${d.nom}, ${region}` : `${dep}, ${d.nom}`;
}

function pad5(n: number): string {
  const s = String(n);
  return s.length >= 5 ? s : "00000".slice(s.length) + s;
}

function addressId(prefix: string, numero: number, rep: string): string {
  return rep ? `${prefix}_${pad5(numero)}_${rep.toLowerCase()}` : `${prefix}_${pad5(numero)}`;
}

/** `id === addressId(prefix, numero, rep)`, without writing the id out for the usual numbers. */
function isRegularId(id: string, prefix: string, numero: number, rep: string): boolean {
  if (rep !== "" || !Number.isInteger(numero) || numero < 0 || numero > 99_999) {
    return id === addressId(prefix, numero, rep);
  }
  const at = prefix.length;
  if (id.length !== at + 6 || id.charCodeAt(at) !== 95 || !id.startsWith(prefix)) return false;
  let n = numero;
  for (let i = at + 5; i > at; i--) {
    if (id.charCodeAt(i) !== 48 + (n % 10)) return false;
    n = Math.floor(n / 10);
  }
  return true;
}

/** The k best (document, key) pairs pushed, best first, in preallocated arrays. */
class TopK {
  readonly docs: Uint32Array;
  readonly keys: Float64Array;
  size = 0;
  private k = 0;

  constructor(max: number) {
    this.docs = new Uint32Array(max);
    this.keys = new Float64Array(max);
  }

  reset(k: number): void {
    this.k = Math.min(k, this.docs.length);
    this.size = 0;
  }

  push(d: number, key: number): void {
    const k = this.k;
    const keys = this.keys;
    const docs = this.docs;
    if (this.size === k && key <= (keys[k - 1] as number)) return;
    let at = this.size < k ? this.size++ : k - 1;
    while (at > 0 && (keys[at - 1] as number) < key) {
      keys[at] = keys[at - 1] as number;
      docs[at] = docs[at - 1] as number;
      at--;
    }
    keys[at] = key;
    docs[at] = d;
  }
}

function firstDocs(top: TopK): number[] {
  const docs: number[] = new Array(top.size);
  for (let i = 0; i < top.size; i++) docs[i] = top.docs[i] as number;
  return docs;
}

/** Indices 0..n-1 ordered by their 32-bit key (LSD radix sort, two 16-bit passes, stable). */
function radixSortByKey(keys: Uint32Array): Uint32Array {
  const n = keys.length;
  let from = new Uint32Array(n);
  let to = new Uint32Array(n);
  for (let i = 0; i < n; i++) from[i] = i;
  for (const shift of [0, 16]) {
    const counts = new Uint32Array(65_537);
    for (let i = 0; i < n; i++) {
      const b = ((keys[i] as number) >>> shift) & 0xffff;
      counts[b + 1] = (counts[b + 1] as number) + 1;
    }
    for (let b = 1; b <= 65_536; b++) counts[b] = (counts[b] as number) + (counts[b - 1] as number);
    for (let i = 0; i < n; i++) {
      const idx = from[i] as number;
      const b = ((keys[idx] as number) >>> shift) & 0xffff;
      const at = counts[b] as number;
      to[at] = idx;
      counts[b] = at + 1;
    }
    const t = from;
    from = to;
    to = t;
  }
  return from;
}

function lowerBound(vocab: readonly string[], value: string): number {
  let lo = 0;
  let hi = vocab.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((vocab[mid] as string) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function csr(count: number, pairs: { from: number[]; to: number[] }) {
  const offsets = new Uint32Array(count + 1);
  for (const f of pairs.from) offsets[f + 1] = (offsets[f + 1] as number) + 1;
  for (let i = 1; i <= count; i++) offsets[i] = (offsets[i] as number) + (offsets[i - 1] as number);
  const data = new Uint32Array(offsets[count] as number);
  const fill = offsets.slice(0, count);
  for (let i = 0; i < pairs.from.length; i++) {
    const f = pairs.from[i] as number;
    const at = fill[f] as number;
    data[at] = pairs.to[i] as number;
    fill[f] = at + 1;
  }
  return { offsets, data };
}

const EARTH = 6_371_008.8;
const RAD = Math.PI / 180;

function metres(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH * Math.asin(Math.min(1, Math.sqrt(a)));
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Builds the index. `communes` (optional) gives names, postcodes, population and département. */
export function buildAddressIndex(records: Iterable<AddressRecord>, communes?: readonly CommuneInfo[]): AddressIndex {
  const builder = createAddressIndexBuilder();
  for (const r of records) builder.add(r);
  return builder.build(communes);
}

/**
 * `buildAddressIndex` fed one record at a time: a loader adds the rows of each page it reads and
 * lets them go, instead of holding every record until the build (what the collector paid for).
 */
export interface AddressIndexBuilder {
  add(record: AddressRecord): void;
  /** The index of the records added, in the order added; the builder is spent. */
  build(communes?: readonly CommuneInfo[]): AddressIndex;
}

export function createAddressIndexBuilder(): AddressIndexBuilder {
  // Pass 1: streets and communes seen in the records; addresses in arrival order.
  const streetByKey = new Map<string, number>();
  const sName: string[] = [];
  const sCommuneCode: string[] = [];
  const sPostcode: string[] = [];
  const sPrefix: string[] = [];
  const sSelfId: string[] = [];
  const sSelfLon: number[] = [];
  const sSelfLat: number[] = [];
  const sLieuDit: number[] = [];
  const communeSeen = new Map<string, { name: string; postcodes: Set<string> }>();
  const aStreet: number[] = [];
  const aNum: number[] = [];
  const aRep: number[] = [];
  const aLon: number[] = [];
  const aLat: number[] = [];
  const aOddId = new Map<number, string>();
  const repIndex = new Map<string, number>([["", 0]]);
  const repStrings: string[] = [""];

  // Records come grouped by street (BAN ids): the previous record's street is checked first.
  let lastInsee = "";
  let lastVoie = "";
  let lastStreet = -1;

  function add(r: AddressRecord): void {
    let s: number | undefined;
    if (lastStreet >= 0 && r.nomVoie === lastVoie && r.codeInsee === lastInsee) s = lastStreet;
    else s = streetByKey.get(`${r.codeInsee}|${r.nomVoie}`);
    if (s === undefined) {
      const key = `${r.codeInsee}|${r.nomVoie}`;
      s = sName.length;
      streetByKey.set(key, s);
      sName.push(r.nomVoie);
      sCommuneCode.push(r.codeInsee);
      sPostcode.push(r.codePostal);
      const parts = r.id.split("_");
      sPrefix.push(parts.length >= 3 ? `${parts[0]}_${parts[1]}` : "");
      sSelfId.push("");
      sSelfLon.push(Number.NaN);
      sSelfLat.push(Number.NaN);
      sLieuDit.push(0);
      let c = communeSeen.get(r.codeInsee);
      if (!c) {
        c = { name: r.nomCommune, postcodes: new Set() };
        communeSeen.set(r.codeInsee, c);
      }
      c.postcodes.add(r.codePostal);
    }
    if (!(r.numero > 0) || r.numero === LIEU_DIT_NUMERO) {
      // The street's or lieu-dit's own record. A lieu-dit's id is its toponym's, as the national
      // API gives it (`14654_b001`), not the BAL row's `14654_b001_99999`.
      const lieuDit = r.numero === LIEU_DIT_NUMERO;
      if (lieuDit) sLieuDit[s] = 1;
      sSelfId[s] = lieuDit && sPrefix[s] ? (sPrefix[s] as string) : r.id;
      sSelfLon[s] = r.lon;
      sSelfLat[s] = r.lat;
      remember(r, s);
      return;
    }
    let rep = repIndex.get(r.rep);
    if (rep === undefined) {
      rep = repStrings.length;
      repIndex.set(r.rep, rep);
      repStrings.push(r.rep);
    }
    const i = aNum.length;
    aStreet.push(s);
    aNum.push(r.numero);
    aRep.push(rep);
    aLon.push(r.lon);
    aLat.push(r.lat);
    if (!isRegularId(r.id, sPrefix[s] as string, r.numero, r.rep)) aOddId.set(i, r.id);
    remember(r, s);
  }

  function remember(r: AddressRecord, s: number): void {
    lastInsee = r.codeInsee;
    lastVoie = r.nomVoie;
    lastStreet = s;
  }

  return {
    add,
    build: (communes) =>
      buildFromFirstPass(
        {
          sName,
          sCommuneCode,
          sPostcode,
          sPrefix,
          sSelfId,
          sSelfLon,
          sSelfLat,
          sLieuDit,
          communeSeen,
          aStreet,
          aNum,
          aRep,
          aLon,
          aLat,
          aOddId,
          repStrings,
        },
        communes,
      ),
  };
}

/** What the first pass over the records gathered (see createAddressIndexBuilder). */
interface FirstPass {
  sName: string[];
  sCommuneCode: string[];
  sPostcode: string[];
  sPrefix: string[];
  sSelfId: string[];
  sSelfLon: number[];
  sSelfLat: number[];
  sLieuDit: number[];
  communeSeen: Map<string, { name: string; postcodes: Set<string> }>;
  aStreet: number[];
  aNum: number[];
  aRep: number[];
  aLon: number[];
  aLat: number[];
  aOddId: Map<number, string>;
  repStrings: string[];
}

function buildFromFirstPass(first: FirstPass, communes?: readonly CommuneInfo[]): AddressIndex {
  const {
    sName,
    sCommuneCode,
    sPostcode,
    sPrefix,
    sSelfId,
    sSelfLon,
    sSelfLat,
    sLieuDit,
    communeSeen,
    aStreet,
    aNum,
    aRep,
    aLon,
    aLat,
    aOddId,
    repStrings,
  } = first;
  const communeInfo = new Map<string, CommuneInfo>();
  for (const c of communes ?? []) communeInfo.set(c.code, c);
  if (repStrings.length > 65_535) throw new Error("too many distinct house-number suffixes");

  // Communes sorted by code; documents = for each commune, its municipality then its streets.
  const communeCodes = [...communeSeen.keys()].sort();
  const communeIndex = new Map<string, number>();
  communeCodes.forEach((code, i) => {
    communeIndex.set(code, i);
  });
  const nCommunes = communeCodes.length;
  const streetsByCommune: number[][] = communeCodes.map(() => []);
  for (let s = 0; s < sName.length; s++) {
    (streetsByCommune[communeIndex.get(sCommuneCode[s] as string) as number] as number[]).push(s);
  }
  const nStreets = sName.length;
  const nDocs = nCommunes + nStreets;
  const docStreet = new Int32Array(nDocs);
  const docCommune = new Uint32Array(nDocs);
  const streetDoc = new Uint32Array(nStreets);
  const ct: CommuneTable = {
    code: communeCodes,
    name: [],
    context: [],
    population: new Float64Array(nCommunes),
    postcodes: [],
    docStart: new Uint32Array(nCommunes),
    docEnd: new Uint32Array(nCommunes),
  };
  {
    let d = 0;
    communeCodes.forEach((code, c) => {
      const seen = communeSeen.get(code) as { name: string; postcodes: Set<string> };
      const info = communeInfo.get(code);
      ct.name.push(info?.nom ?? seen.name);
      const postcodes = new Set([...(info?.codesPostaux ?? []), ...seen.postcodes]);
      ct.postcodes.push([...postcodes].sort());
      ct.context.push(contextOf(info?.departement ?? departementOf(code)));
      ct.population[c] = info?.population ?? Number.NaN;
      ct.docStart[c] = d;
      docStreet[d] = -1;
      docCommune[d] = c;
      d++;
      for (const s of streetsByCommune[c] as number[]) {
        docStreet[d] = s;
        docCommune[d] = c;
        streetDoc[s] = d;
        d++;
      }
      ct.docEnd[c] = d;
    });
  }

  // Vocabulary (temporary ids, then sorted ids).
  const tempId = new Map<string, number>();
  const tempTokens: string[] = [];
  const intern = (t: string) => {
    let id = tempId.get(t);
    if (id === undefined) {
      id = tempTokens.length;
      tempId.set(t, id);
      tempTokens.push(t);
    }
    return id;
  };
  const nameTokenCache = new Map<string, number[]>();
  const tokenIdsOf = (name: string) => {
    let ids = nameTokenCache.get(name);
    if (!ids) {
      ids = [...new Set(nameTokens(name))].map(intern);
      nameTokenCache.set(name, ids);
    }
    return ids;
  };
  const docTokLists: number[][] = new Array(nDocs);
  for (let d = 0; d < nDocs; d++) {
    const s = docStreet[d] as number;
    docTokLists[d] = tokenIdsOf(s < 0 ? (ct.name[docCommune[d] as number] as string) : (sName[s] as string));
  }
  nameTokenCache.clear();
  const communeTokLists: number[][] = [];
  for (let c = 0; c < nCommunes; c++) {
    const ids = new Set(nameTokens(ct.name[c] as string).map(intern));
    for (const p of ct.postcodes[c] as string[]) ids.add(intern(p));
    communeTokLists.push([...ids]);
  }
  const docPostcodeTemp = new Int32Array(nDocs);
  for (let d = 0; d < nDocs; d++) {
    const s = docStreet[d] as number;
    docPostcodeTemp[d] = s < 0 ? -1 : intern(sPostcode[s] as string);
  }
  const order = tempTokens
    .map((_, i) => i)
    .sort((a, b) => {
      const x = tempTokens[a] as string;
      const y = tempTokens[b] as string;
      return x < y ? -1 : x > y ? 1 : 0;
    });
  const remap = new Uint32Array(tempTokens.length);
  const vocab: string[] = new Array(tempTokens.length);
  order.forEach((old, i) => {
    remap[old] = i;
    vocab[i] = tempTokens[old] as string;
  });
  const vocabIndex = new Map<string, number>();
  vocab.forEach((t, i) => {
    vocabIndex.set(t, i);
  });
  tempId.clear();

  // Document → name tokens, token → documents, commune ↔ tokens.
  const docTokOff = new Uint32Array(nDocs + 1);
  for (let d = 0; d < nDocs; d++) docTokOff[d + 1] = (docTokOff[d] as number) + (docTokLists[d] as number[]).length;
  const docTok = new Uint32Array(docTokOff[nDocs] as number);
  const postFrom: number[] = [];
  const postTo: number[] = [];
  for (let d = 0; d < nDocs; d++) {
    let at = docTokOff[d] as number;
    for (const old of docTokLists[d] as number[]) {
      const t = remap[old] as number;
      docTok[at++] = t;
      postFrom.push(t);
      postTo.push(d);
    }
  }
  docTokLists.length = 0;
  const postings = csr(vocab.length, { from: postFrom, to: postTo });
  postFrom.length = 0;
  postTo.length = 0;
  const cFrom: number[] = [];
  const cTo: number[] = [];
  const ctFrom: number[] = [];
  const ctTo: number[] = [];
  communeTokLists.forEach((ids, c) => {
    for (const old of ids) {
      const t = remap[old] as number;
      cFrom.push(t);
      cTo.push(c);
      ctFrom.push(c);
      ctTo.push(t);
    }
  });
  const tokenCommunes = csr(vocab.length, { from: cFrom, to: cTo });
  const communeTokens = csr(nCommunes, { from: ctFrom, to: ctTo });
  const docPostcode = new Int32Array(nDocs);
  for (let d = 0; d < nDocs; d++) {
    const old = docPostcodeTemp[d] as number;
    docPostcode[d] = old < 0 ? -1 : (remap[old] as number);
  }
  const idf = new Float32Array(vocab.length);
  for (let t = 0; t < vocab.length; t++) {
    const df = (postings.offsets[t + 1] as number) - (postings.offsets[t] as number);
    idf[t] = Math.log(1 + nDocs / (1 + df));
  }
  const trigrams = buildTrigramIndex(vocab);

  // Addresses sorted by document (counting sort).
  const nAddr = aNum.length;
  const docAddrOff = new Uint32Array(nDocs + 1);
  for (let i = 0; i < nAddr; i++) {
    const d = streetDoc[aStreet[i] as number] as number;
    docAddrOff[d + 1] = (docAddrOff[d + 1] as number) + 1;
  }
  for (let d = 0; d < nDocs; d++) docAddrOff[d + 1] = (docAddrOff[d + 1] as number) + (docAddrOff[d] as number);
  const fill = docAddrOff.slice(0, nDocs);
  const addrNum = new Uint32Array(nAddr);
  const addrRep = new Uint16Array(nAddr);
  const addrLon = new Float32Array(nAddr);
  const addrLat = new Float32Array(nAddr);
  const oddIds = new Map<number, string>();
  for (let i = 0; i < nAddr; i++) {
    const d = streetDoc[aStreet[i] as number] as number;
    const at = fill[d] as number;
    fill[d] = at + 1;
    addrNum[at] = aNum[i] as number;
    addrRep[at] = aRep[i] as number;
    addrLon[at] = aLon[i] as number;
    addrLat[at] = aLat[i] as number;
    const odd = aOddId.get(i);
    if (odd !== undefined) oddIds.set(at, odd);
  }
  aStreet.length = aNum.length = aRep.length = aLon.length = aLat.length = 0;
  const repKeys = repStrings.map(foldRep);
  // Streets whose numbers come in ascending order (BAN ids sort by number): in a long one, a number
  // is found by bisection rather than by a scan of the whole street.
  const docNumbersSorted = new Uint8Array(nDocs);
  for (let d = 0; d < nDocs; d++) {
    const end = docAddrOff[d + 1] as number;
    let sorted = 1;
    for (let i = (docAddrOff[d] as number) + 1; i < end; i++) {
      if ((addrNum[i] as number) < (addrNum[i - 1] as number)) {
        sorted = 0;
        break;
      }
    }
    docNumbersSorted[d] = sorted;
  }

  // Document positions: the street's own record, else the mean of its numbers; commune = mean.
  const docLon = new Float32Array(nDocs);
  const docLat = new Float32Array(nDocs);
  const docImportance = new Float32Array(nDocs);
  const cSumLon = new Float64Array(nCommunes);
  const cSumLat = new Float64Array(nCommunes);
  const cCount = new Float64Array(nCommunes);
  for (let d = 0; d < nDocs; d++) {
    const s = docStreet[d] as number;
    if (s < 0) continue;
    const start = docAddrOff[d] as number;
    const end = docAddrOff[d + 1] as number;
    let lon = sSelfLon[s] as number;
    let lat = sSelfLat[s] as number;
    if (Number.isNaN(lon)) {
      let sx = 0;
      let sy = 0;
      for (let i = start; i < end; i++) {
        sx += addrLon[i] as number;
        sy += addrLat[i] as number;
      }
      lon = sx / Math.max(1, end - start);
      lat = sy / Math.max(1, end - start);
    }
    docLon[d] = lon;
    docLat[d] = lat;
    const c = docCommune[d] as number;
    cSumLon[c] = (cSumLon[c] as number) + lon * Math.max(1, end - start);
    cSumLat[c] = (cSumLat[c] as number) + lat * Math.max(1, end - start);
    cCount[c] = (cCount[c] as number) + Math.max(1, end - start);
  }
  for (let c = 0; c < nCommunes; c++) {
    const d = ct.docStart[c] as number;
    const n = Math.max(1, cCount[c] as number);
    docLon[d] = (cSumLon[c] as number) / n;
    docLat[d] = (cSumLat[c] as number) / n;
    // BAN importance; without a population, about 2.5 inhabitants per address.
    if (Number.isNaN(ct.population[c] as number)) ct.population[c] = Math.round((cCount[c] as number) * 2.5);
  }
  // Lieux-dits: toponyms without numbers (a lieu-dit that has numbers is a street, as in the BAN).
  const docLocality = new Uint8Array(nDocs);
  for (let d = 0; d < nDocs; d++) {
    const s = docStreet[d] as number;
    if (s >= 0 && sLieuDit[s] === 1 && docAddrOff[d] === docAddrOff[d + 1]) docLocality[d] = 1;
  }
  sLieuDit.length = 0;
  for (let d = 0; d < nDocs; d++) {
    const pop = ct.population[docCommune[d] as number] as number;
    // The BAN's importance counts a lieu-dit as one number (ban-plateforme buildLocality).
    const nb = docLocality[d] === 1 ? 1 : (docAddrOff[d + 1] as number) - (docAddrOff[d] as number);
    const s = docStreet[d] as number;
    docImportance[d] =
      s < 0 ? Math.min(1, Math.log(1 + pop / 3) / 20) : Math.min(1, (Math.log(1 + pop / 3) + Math.log(1 + nb)) / 20);
  }

  // Reverse grid: address points, then streets that have no numbers (lieux-dits).
  const extra: number[] = [];
  for (let d = 0; d < nDocs; d++) {
    if ((docStreet[d] as number) >= 0 && docAddrOff[d] === docAddrOff[d + 1]) extra.push(d);
  }
  const nPoints = nAddr + extra.length;
  const pointCells = new Uint32Array(nPoints);
  const cellOf = (lat: number, lon: number) =>
    Math.floor((lat + 90) / GRID) * GRID_W + Math.floor(((((lon + 180) % 360) + 360) % 360) / GRID);
  for (let p = 0; p < nPoints; p++) {
    const isAddr = p < nAddr;
    const d = isAddr ? 0 : (extra[p - nAddr] as number);
    const lat = isAddr ? (addrLat[p] as number) : (docLat[d] as number);
    const lon = isAddr ? (addrLon[p] as number) : (docLon[d] as number);
    pointCells[p] = cellOf(lat, lon);
  }
  const order32 = radixSortByKey(pointCells);
  const gridPoints = new Uint32Array(nPoints);
  const cellKeysList: number[] = [];
  const cellStartList: number[] = [];
  for (let i = 0; i < nPoints; i++) {
    let p = order32[i] as number;
    const cell = pointCells[p] as number;
    if (p >= nAddr) p = nAddr + (extra[p - nAddr] as number);
    gridPoints[i] = p;
    if (cellKeysList.length === 0 || cellKeysList[cellKeysList.length - 1] !== cell) {
      cellKeysList.push(cell);
      cellStartList.push(i);
    }
  }
  cellStartList.push(nPoints);
  const cellKeys = Float64Array.from(cellKeysList);
  const cellStart = Uint32Array.from(cellStartList);

  const streetNames = sName;
  const streetPostcodes = sPostcode;
  const streetPrefix = sPrefix;
  const streetSelfId = sSelfId;
  const fuzzy = new FuzzyMatcher(trigrams, vocab, buildDeletionIndex(vocab));

  // Query scratch space.
  const acc = new Float32Array(nDocs);
  const stamp = new Uint32Array(nDocs);
  const gmark = new Uint32Array(nDocs);
  const touched = new Uint32Array(nDocs);
  const cityAcc = new Float32Array(nCommunes);
  const cstamp = new Uint32Array(nCommunes);
  let epoch = 0;
  let gepoch = 0;
  const top1 = new TopK(1000);
  const top2 = new TopK(300);

  const postcodeCommunes = new Map<string, number[]>();
  ct.postcodes.forEach((list, c) => {
    for (const p of list) {
      const arr = postcodeCommunes.get(p) ?? [];
      arr.push(c);
      postcodeCommunes.set(p, arr);
    }
  });

  // Groups depend only on the word and the index: kept for the next queries ("rue", "saint", a
  // postcode recur in most), never modified once made.
  const groupCache = new Map<string, Group>();

  function cachedGroup(token: string, prefix: string, typos = true): Group {
    // Most words are whole and typo-tolerant: the word itself is their key (no string built).
    const key = prefix === "" && typos ? token : `${token}|${prefix}|${typos ? 1 : 0}`;
    let g = groupCache.get(key);
    if (g === undefined) {
      g = makeGroup(token, prefix, typos);
      if (groupCache.size >= GROUP_CACHE_SIZE) groupCache.clear();
      groupCache.set(key, g);
    }
    return g;
  }

  function makeGroup(token: string, prefix: string, typos = true): Group {
    const alts: Alt[] = [];
    const exact = vocabIndex.get(token);
    if (exact !== undefined) alts.push({ lo: exact, hi: exact + 1, f: 1 });
    if (prefix.length >= 2) {
      const lo = lowerBound(vocab, prefix);
      const hi = lowerBound(vocab, `${prefix}\uffff`);
      if (hi > lo) alts.push({ lo, hi, f: 0.9 });
    }
    if (alts.length === 0 && typos) {
      const edits = allowedEdits(token);
      for (const c of fuzzy.candidates(token, edits)) {
        alts.push({ lo: c.id, hi: c.id + 1, f: c.distance === 1 ? 0.8 : 0.65 });
      }
    }
    let nameDf = 0;
    const communeSet = new Set<number>();
    let exactCommunes = 0;
    for (const a of alts) {
      nameDf += (postings.offsets[a.hi] as number) - (postings.offsets[a.lo] as number);
      const end = tokenCommunes.offsets[a.hi] as number;
      for (let p = tokenCommunes.offsets[a.lo] as number; p < end && communeSet.size <= 500; p++) {
        communeSet.add(tokenCommunes.data[p] as number);
      }
      if (exact !== undefined && a.lo === exact && a.hi === exact + 1) exactCommunes = communeSet.size;
    }
    const communesMatched = [...communeSet];
    let communeDocs = 0;
    for (const c of communesMatched) communeDocs += (ct.docEnd[c] as number) - (ct.docStart[c] as number);
    const df = nameDf + communeDocs;
    const w = alts.length === 0 ? 1 : Math.max(0.3, Math.log(1 + nDocs / (1 + df)));
    return {
      token,
      alts,
      w,
      nameDf,
      communes: communesMatched,
      named: exactCommunes > 0 ? communesMatched.slice(0, exactCommunes) : communesMatched,
      communeDocs,
      numeric: /^\d+$/.test(token),
      leading: false,
    };
  }

  function altFactor(g: Group, t: number): number {
    const alts = g.alts;
    if (alts.length === 1) {
      const a = alts[0] as Alt;
      return t >= a.lo && t < a.hi ? a.f : 0;
    }
    let best = 0;
    for (const a of g.alts) if (t >= a.lo && t < a.hi && a.f > best) best = a.f;
    return best;
  }

  function add(d: number, v: number): void {
    if (stamp[d] !== epoch) {
      stamp[d] = epoch;
      acc[d] = 0;
      touched[touchedCount++] = d;
    }
    acc[d] = (acc[d] as number) + v;
  }
  let touchedCount = 0;

  /** Weighted match of a document against the groups; fills the per-group match kinds. */
  function matchDoc(d: number, groups: Group[], kinds: Uint8Array, onlyGroups: number[] | null): number {
    const start = docTokOff[d] as number;
    const end = docTokOff[d + 1] as number;
    const c = docCommune[d] as number;
    const cs = communeTokens.offsets[c] as number;
    const ce = communeTokens.offsets[c + 1] as number;
    const pc = docPostcode[d] as number;
    let used = 0;
    let total = 0;
    const n = onlyGroups ? onlyGroups.length : groups.length;
    for (let k = 0; k < n; k++) {
      const gi = onlyGroups ? (onlyGroups[k] as number) : k;
      const g = groups[gi] as Group;
      kinds[gi] = 0;
      namePos[gi] = -1;
      if (g.alts.length === 0) continue;
      let best = 0;
      let bestAt = -1;
      for (let i = start; i < end; i++) {
        let f = altFactor(g, docTok[i] as number);
        if (f > 0 && used & (1 << (i - start))) f *= 0.5;
        if (f > best) {
          best = f;
          bestAt = i - start;
        }
      }
      // The commune's words against the group: the same for every document of the commune, and
      // the best candidates of a query mostly share one commune.
      let city: number;
      if (qCityMemoCommune[gi] === c) city = qCityMemoValue[gi] as number;
      else {
        city = 0;
        for (let i = cs; i < ce; i++) {
          const f = altFactor(g, communeTokens.data[i] as number);
          if (f > city) city = f;
        }
        qCityMemoCommune[gi] = c;
        qCityMemoValue[gi] = city;
      }
      if (pc >= 0) {
        const f = altFactor(g, pc);
        if (f > city) city = f;
      }
      if (best > 0 && best >= city) {
        used |= 1 << bestAt;
        total += g.w * best;
        kinds[gi] = 1;
        namePos[gi] = bestAt;
        nameMask = used;
      } else if (city > 0) {
        total += g.w * city;
        kinds[gi] = 2;
      }
    }
    nameMask = used;
    return total;
  }
  let nameMask = 0;
  const namePos = new Int32Array(MAX_TOKENS * 2 + 8);

  /** Share of the commune's name words matched by the query words read as the city. */
  function cityCoverage(d: number, groups: Group[], kinds: Uint8Array): number {
    const c = docCommune[d] as number;
    const cs = communeTokens.offsets[c] as number;
    const ce = communeTokens.offsets[c + 1] as number;
    if (ce <= cs) return 0;
    let matched = 0;
    for (let i = cs; i < ce; i++) {
      const t = communeTokens.data[i] as number;
      for (let gi = 0; gi < groups.length; gi++) {
        if (kinds[gi] === 2 && altFactor(groups[gi] as Group, t) > 0) {
          matched++;
          break;
        }
      }
    }
    return matched / (ce - cs);
  }

  /** The street's first address with this number and suffix, or -1. */
  function findNumber(d: number, numero: number, rep: string): number {
    const end = docAddrOff[d + 1] as number;
    let i = docAddrOff[d] as number;
    if (end - i > 32 && docNumbersSorted[d] === 1) {
      let hi = end;
      while (i < hi) {
        const mid = (i + hi) >>> 1;
        if ((addrNum[mid] as number) < numero) i = mid + 1;
        else hi = mid;
      }
      for (; i < end && addrNum[i] === numero; i++) if (repKeys[addrRep[i] as number] === rep) return i;
      return -1;
    }
    for (; i < end; i++) {
      if (addrNum[i] === numero && repKeys[addrRep[i] as number] === rep) return i;
    }
    return -1;
  }

  function idOfAddress(i: number, d: number): string {
    return (
      oddIds.get(i) ??
      addressId(
        streetPrefix[docStreet[d] as number] as string,
        addrNum[i] as number,
        repStrings[addrRep[i] as number] as string,
      )
    );
  }

  function docOfAddress(i: number): number {
    let lo = 0;
    let hi = nDocs;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((docAddrOff[mid + 1] as number) <= i) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  function streetId(d: number): string {
    const s = docStreet[d] as number;
    const self = streetSelfId[s] as string;
    if (self) return self;
    const prefix = streetPrefix[s] as string;
    return prefix || `${ct.code[docCommune[d] as number]}_${s}`;
  }

  function makeResult(d: number, addr: number, score: number, type: ResultType): AddressResult {
    const c = docCommune[d] as number;
    const s = docStreet[d] as number;
    const city = ct.name[c] as string;
    const citycode = ct.code[c] as string;
    const context = ct.context[c] as string;
    const importance = round(docImportance[d] as number, 5);
    if (s < 0) {
      const postcode = (ct.postcodes[c] as string[])[0] ?? "";
      return {
        label: city,
        score,
        id: citycode,
        type: "municipality",
        name: city,
        postcode,
        citycode,
        city,
        context,
        importance,
        lon: round(docLon[d] as number, 6),
        lat: round(docLat[d] as number, 6),
      };
    }
    const street = streetNames[s] as string;
    const postcode = streetPostcodes[s] as string;
    if (addr >= 0 && type === "housenumber") {
      const hn = `${addrNum[addr]}${repStrings[addrRep[addr] as number]}`;
      return {
        label: `${hn} ${street} ${postcode} ${city}`,
        score,
        id: idOfAddress(addr, d),
        type: "housenumber",
        name: `${hn} ${street}`,
        housenumber: hn,
        street,
        postcode,
        citycode,
        city,
        context,
        importance,
        lon: round(addrLon[addr] as number, 6),
        lat: round(addrLat[addr] as number, 6),
      };
    }
    if (docLocality[d] === 1) {
      // As api-adresse writes a lieu-dit: its name, postcode and city; no street, no number.
      return {
        label: `${street} ${postcode} ${city}`,
        score,
        id: streetId(d),
        type: "locality",
        name: street,
        postcode,
        citycode,
        city,
        context,
        importance,
        lon: round(docLon[d] as number, 6),
        lat: round(docLat[d] as number, 6),
      };
    }
    return {
      label: `${street} ${postcode} ${city}`,
      score,
      id: streetId(d),
      type: "street",
      name: street,
      street,
      postcode,
      citycode,
      city,
      context,
      importance,
      lon: round(docLon[d] as number, 6),
      lat: round(docLat[d] as number, 6),
    };
  }

  // Per-query state shared with the walking helpers (declared once: no closure per query).
  let qGroups: Group[] = [];
  // Per-group scratch, reused by every query (a query has at most MAX_TOKENS + 8 groups).
  const MAX_GROUPS = MAX_TOKENS * 2 + 8;
  const qWalked = new Uint8Array(MAX_GROUPS);
  const qGroupStamp = new Uint32Array(MAX_GROUPS);
  const qKinds = new Uint8Array(MAX_GROUPS);
  const qCityMemoCommune = new Int32Array(MAX_GROUPS);
  const qCityMemoValue = new Float64Array(MAX_GROUPS);
  let qFilterCommunes: Set<number> | null = null;
  let qFilterPostcodes: Set<string> | null = null;
  let qType: ResultType | undefined;

  function passes(d: number): boolean {
    if (qFilterCommunes && !qFilterCommunes.has(docCommune[d] as number)) return false;
    const s = docStreet[d] as number;
    if (qFilterPostcodes && s >= 0 && !qFilterPostcodes.has(streetPostcodes[s] as string)) return false;
    if (qType === "municipality") return s < 0;
    if (qType === "locality") return docLocality[d] === 1;
    if (qType === "street" || qType === "housenumber") return s >= 0 && docLocality[d] === 0;
    return true;
  }

  function walkDocs(start: number, end: number): void {
    for (let d = start; d < end; d++) add(d, 0);
  }

  /**
   * The communes that the query's words name with the most weight (cityAcc of this query), ties
   * included; none when more than MAX_BEST_NAMED tie (the query names none in particular).
   */
  function bestNamedCommunes(groups: readonly Group[]): number[] {
    let best = 0;
    for (const g of groups) for (const c of g.named) best = Math.max(best, cityAcc[c] as number);
    const found = new Set<number>();
    for (const g of groups) for (const c of g.named) if ((cityAcc[c] as number) >= best - 1e-9) found.add(c);
    // Too many ties name no commune in particular ("val blanc auge": every "-en-Auge").
    return found.size <= MAX_BEST_NAMED ? [...found] : [];
  }

  function walkGroup(gi: number, cap: number): void {
    const g = qGroups[gi] as Group;
    if (qGroupStamp[gi] === 0) qGroupStamp[gi] = ++gepoch;
    const mark = qGroupStamp[gi] as number;
    let n = 0;
    for (const a of g.alts) {
      const end = postings.offsets[a.hi] as number;
      for (let p = postings.offsets[a.lo] as number; p < end && n < cap; p++, n++) {
        const d = postings.data[p] as number;
        if (gmark[d] === mark) continue;
        gmark[d] = mark;
        add(d, g.w * a.f);
      }
    }
    qWalked[gi] = 1;
  }

  function walkRestricted(gi: number, ranges: number[]): number {
    let streets = 0;
    const g = qGroups[gi] as Group;
    if (qGroupStamp[gi] === 0) qGroupStamp[gi] = ++gepoch;
    const mark = qGroupStamp[gi] as number;
    const data = postings.data;
    for (const a of g.alts) {
      if (a.hi - a.lo > 16) {
        // A prefix with many completions: scan the communes' documents instead.
        for (let r = 0; r < ranges.length; r += 2) {
          const end = ranges[r + 1] as number;
          for (let d = ranges[r] as number; d < end; d++) {
            const te = docTokOff[d + 1] as number;
            for (let i = docTokOff[d] as number; i < te; i++) {
              const t = docTok[i] as number;
              if (t < a.lo || t >= a.hi) continue;
              if (gmark[d] !== mark) {
                gmark[d] = mark;
                add(d, g.w * a.f);
                if ((docStreet[d] as number) >= 0) streets++;
              }
              break;
            }
          }
        }
        continue;
      }
      for (let t = a.lo; t < a.hi; t++) {
        const ps = postings.offsets[t] as number;
        const pe = postings.offsets[t + 1] as number;
        for (let r = 0; r < ranges.length; r += 2) {
          const start = ranges[r] as number;
          const end = ranges[r + 1] as number;
          let lo = ps;
          let hi = pe;
          while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if ((data[mid] as number) < start) lo = mid + 1;
            else hi = mid;
          }
          for (let p = lo; p < pe; p++) {
            const d = data[p] as number;
            if (d >= end) break;
            if (gmark[d] === mark) continue;
            gmark[d] = mark;
            add(d, g.w * a.f);
            if ((docStreet[d] as number) >= 0) streets++;
          }
        }
      }
    }
    qWalked[gi] = 1;
    return streets;
  }

  function searchHits(q: string, options: SearchOptions = {}): SearchHit[] {
    if (typeof q !== "string") return [];
    const limit = Math.max(1, Math.min(100, Math.floor(options.limit ?? 5) || 5));
    const autocomplete = options.autocomplete ?? true;
    const parsed = parseQuery(q.length > MAX_QUERY_LENGTH ? q.slice(0, MAX_QUERY_LENGTH) : q);
    if (parsed.tokens.length === 0 || parsed.tokens.length > MAX_TOKENS) return [];
    const hasGeo =
      typeof options.lat === "number" &&
      typeof options.lon === "number" &&
      Number.isFinite(options.lat) &&
      Number.isFinite(options.lon);
    const qLat = hasGeo ? (options.lat as number) : 0;
    const qLon = hasGeo ? (options.lon as number) : 0;
    const cosLat = Math.cos(qLat * RAD);

    const groups: Group[] = parsed.tokens.map((t, i) =>
      cachedGroup(t, autocomplete && i === parsed.tokens.length - 1 ? parsed.lastPrefix : ""),
    );
    // Words before the address count only when they name a commune (a city typed first).
    for (const token of parsed.leading.slice(-8)) {
      const g = cachedGroup(token, "", false);
      if (g.communes.length > 0) groups.push({ ...g, leading: true });
    }
    if (groups.every((g) => g.alts.length === 0)) return [];
    let totalW = 0;
    for (const g of groups) totalW += g.w;

    // Filters.
    let filterCommunes: Set<number> | null = null;
    if (options.citycode) {
      filterCommunes = new Set();
      for (const code of options.citycode.split(/[\s,]+/)) {
        const c = communeIndex.get(code);
        if (c !== undefined) filterCommunes.add(c);
      }
    }
    let filterPostcodes: Set<string> | null = null;
    if (options.postcode) {
      filterPostcodes = new Set(options.postcode.split(/[\s,]+/));
      const fromPostcode = new Set<number>();
      for (const p of filterPostcodes) for (const c of postcodeCommunes.get(p) ?? []) fromPostcode.add(c);
      filterCommunes = filterCommunes ? new Set([...filterCommunes].filter((c) => fromPostcode.has(c))) : fromPostcode;
    }
    const type = options.type;
    const filtering = filterCommunes !== null || filterPostcodes !== null || type !== undefined;

    // Candidate generation: documents of the rare name tokens; the communes named in the query
    // (city words, postcodes) give a per-commune bonus instead of walking all their streets.
    epoch++;
    if (epoch === 0xffffffff) {
      stamp.fill(0);
      cstamp.fill(0);
      epoch = 1;
    }
    touchedCount = 0;
    const byDf = groups
      .map((_, i) => i)
      .filter((i) => (groups[i] as Group).alts.length > 0)
      .sort((a, b) => (groups[a] as Group).nameDf - (groups[b] as Group).nameDf);
    const walked = qWalked;
    walked.fill(0, 0, groups.length);
    qGroups = groups;
    qGroupStamp.fill(0, 0, groups.length);
    qCityMemoCommune.fill(-1, 0, groups.length);
    qFilterCommunes = filterCommunes;
    qFilterPostcodes = filterPostcodes;
    qType = type;
    for (const g of groups) {
      for (const c of g.communes) {
        if (cstamp[c] !== epoch) {
          cstamp[c] = epoch;
          cityAcc[c] = 0;
        }
        cityAcc[c] = (cityAcc[c] as number) + g.w;
      }
    }
    if (filterCommunes) {
      let size = 0;
      for (const c of filterCommunes) size += (ct.docEnd[c] as number) - (ct.docStart[c] as number);
      if (size <= HARD_CAP) for (const c of filterCommunes) walkDocs(ct.docStart[c] as number, ct.docEnd[c] as number);
    }
    const commonDf = Math.min(NAME_CAP, Math.max(COMMON_MIN, nDocs * COMMON_RATIO));
    // Candidates: when the query names a few communes (city words, postcode), the street words'
    // documents inside those communes (postings are sorted by document, documents by commune)
    // plus the rarest street word everywhere; otherwise the two rarest street words. Words that name
    // a commune add a bonus to its documents (cityAcc). Common words are checked later.
    // The communes named: the filter's, else those of the most specific city words and postcodes
    // ("mordanbel", "61860") while they stay few, leaving out broad ones ("mer" in every "-sur-Mer").
    const named = new Set<number>();
    if (filterCommunes && filterCommunes.size <= MAX_NAMED) for (const c of filterCommunes) named.add(c);
    else {
      // A postcode first, whatever the number of its communes (up to 32 in Normandy): a street word
      // that also names a commune ("bourg" → Vieux-Bourg) must not push it out.
      const isPostcode = (g: Group) => (g.numeric && g.token.length === 5 ? 1 : 0);
      const specific = groups
        .filter((g) => g.named.length > 0)
        .sort((a, b) => isPostcode(b) - isPostcode(a) || a.named.length - b.named.length);
      let leftOut = false;
      for (const g of specific) {
        if (named.size + g.named.length > (isPostcode(g) ? MAX_NAMED_BY_POSTCODE : MAX_NAMED)) {
          if (isPostcode(g)) continue;
          leftOut = true;
          break;
        }
        for (const c of g.named) named.add(c);
      }
      // A street word may name communes too, and be the most specific ("le val blanc saint pierre en
      // auge": "val" names 23 communes, leaving no room for "auge"): the communes that the most of
      // the query names (cityAcc, the weight of the words naming each) are named whatever the order.
      if (leftOut) for (const c of bestNamedCommunes(specific)) named.add(c);
    }
    const restricted = named.size > 0;
    let walkedStreet = 0;
    let walkedTotal = 0;
    let namedDocs = 0;
    for (const c of named) namedDocs += (ct.docEnd[c] as number) - (ct.docStart[c] as number);
    if (restricted) {
      const ranges: number[] = [];
      for (const c of named) ranges.push(ct.docStart[c] as number, ct.docEnd[c] as number);
      for (const gi of byDf) {
        const g = groups[gi] as Group;
        // Common words too when the named communes are small: "rue saint jean 14000" must find the
        // Rue Saint-Jean of Caen, whose words are all common; the walk is bounded by the communes.
        if (g.nameDf === 0 || (g.nameDf > commonDf && namedDocs > COMMUNE_DOCS_CAP)) continue;
        // A word that found streets of the named communes counts, even if it is also in commune names.
        walkedStreet += walkRestricted(gi, ranges);
      }
    }
    // Streets found inside communes named by a postcode: trust it, walk nothing else. Communes
    // named by words only may be a misreading ("rue saint pierre" names Saint-Pierre-sur-Dives):
    // walk the rarest street word everywhere too.
    const postcodeNamed = groups.some((g) => g.numeric && g.token.length === 5 && g.communes.length > 0);
    const trusted = restricted && walkedStreet > 0 && postcodeNamed;
    const passes01 = trusted ? [] : [0, 1];
    for (const pass of passes01) {
      for (const gi of byDf) {
        const g = groups[gi] as Group;
        if (g.nameDf === 0 || g.communes.length > 0 !== (pass === 1)) continue;
        const budget = restricted ? (pass === 0 ? walkedTotal : 1) : pass === 0 ? walkedStreet : walkedTotal;
        const limitWalk = restricted ? 1 : WALKED_GROUPS;
        const maxDf = restricted ? Math.min(commonDf, 4 * RARE_DF) : commonDf;
        const rare = g.nameDf <= RARE_DF;
        if (rare || (budget < limitWalk && g.nameDf <= maxDf)) {
          walkGroup(gi, NAME_CAP);
          if (pass === 0) walkedStreet++;
          if (!rare) walkedTotal++; // rare words are cheap: they do not use the budget
        }
      }
    }
    if (walkedStreet === 0 || touchedCount === 0) {
      let size = 0;
      for (const c of named) size += (ct.docEnd[c] as number) - (ct.docStart[c] as number);
      if (named.size > 0 && size <= COMMUNE_DOCS_CAP) {
        for (const c of named) walkDocs(ct.docStart[c] as number, ct.docEnd[c] as number);
      } else {
        // Every street word is common: walk the rarest one anyway (bounded).
        const rarest = byDf.find((gi) => walked[gi] === 0 && (groups[gi] as Group).nameDf > 0);
        if (rarest !== undefined) walkGroup(rarest, touchedCount === 0 ? HARD_CAP : NAME_CAP);
      }
    }
    if (touchedCount === 0) return [];

    // Pre-ranking in two cuts: generated weight + commune bonus + proximity, then common tokens.
    const common = byDf.filter((gi) => walked[gi] === 0);
    const kinds = qKinds;
    kinds.fill(0, 0, groups.length);
    const k1 = common.length > 0 ? Math.max(PRE_K, limit * 10) : Math.max(TOP_K, limit * 3);
    top1.reset(k1);
    for (let i = 0; i < touchedCount; i++) {
      const d = touched[i] as number;
      if (filtering && !passes(d)) continue;
      const c = docCommune[d] as number;
      let key = (acc[d] as number) + (cstamp[c] === epoch ? (cityAcc[c] as number) : 0);
      key -= 0.02 * ((docTokOff[d + 1] as number) - (docTokOff[d] as number));
      key += 0.01 * (docImportance[d] as number);
      if (hasGeo) {
        const dx = ((docLon[d] as number) - qLon) * cosLat * 111.32;
        const dy = ((docLat[d] as number) - qLat) * 110.57;
        key += 0.3 * totalW * Math.exp(-(dx * dx + dy * dy) / 2500);
      }
      top1.push(d, key);
    }
    let topDocs: number[];
    if (common.length === 0) topDocs = firstDocs(top1);
    else {
      top2.reset(Math.max(TOP_K, limit * 3));
      for (let i = 0; i < top1.size; i++) {
        const d = top1.docs[i] as number;
        top2.push(d, (top1.keys[i] as number) + matchDoc(d, groups, kinds, common));
      }
      topDocs = firstDocs(top2);
    }

    // Final scoring.
    const scored: { d: number; addr: number; score: number; rank: number; type: ResultType }[] = [];
    for (const d of topDocs) {
      const matched = matchDoc(d, groups, kinds, null);
      const mask = nameMask;
      const start = docTokOff[d] as number;
      const end = docTokOff[d + 1] as number;
      let nameTotal = 0;
      let nameMatched = 0;
      for (let i = start; i < end; i++) {
        const w = idf[docTok[i] as number] as number;
        nameTotal += w;
        if (mask & (1 << (i - start))) nameMatched += w;
      }
      let matchedW = matched;
      const isStreet = (docStreet[d] as number) >= 0;
      // House number: the leading one, else a number of the query that matched nothing.
      let wanted = parsed.housenumber;
      if (!wanted) {
        for (const n of parsed.looseNumbers) {
          const gi = parsed.tokens.indexOf(n.token);
          if (gi >= 0 && kinds[gi] === 0) {
            wanted = n;
            matchedW += (groups[gi] as Group).w; // the number is accounted for as a house number
            break;
          }
        }
      }
      let addr = -1;
      let resultType: ResultType = isStreet ? (docLocality[d] === 1 ? "locality" : "street") : "municipality";
      if (wanted && isStreet && type !== "street") {
        addr = findNumber(d, wanted.numero, wanted.rep);
        if (addr >= 0) resultType = "housenumber";
      }
      if (type === "housenumber" && resultType !== "housenumber") continue;
      const queryCoverage = totalW > 0 ? Math.min(1, matchedW / totalW) : 0;
      // A municipality is fully named by its postcode too ("14000" → Caen).
      const nameCoverage = isStreet
        ? nameTotal > 0
          ? nameMatched / nameTotal
          : 0
        : Math.max(nameTotal > 0 ? nameMatched / nameTotal : 0, queryCoverage);
      // Word order: consecutive query words found consecutively in the name ("rue jean moulin").
      let pairs = 0;
      let nameGroups = 0;
      for (let gi = 0; gi < parsed.tokens.length; gi++) {
        const at = namePos[gi] as number;
        if (at < 0) continue;
        nameGroups++;
        if (gi + 1 < parsed.tokens.length && namePos[gi + 1] === at + 1) pairs++;
      }
      const order = nameGroups > 1 ? pairs / (nameGroups - 1) : 1;
      let str = 0.62 * queryCoverage + 0.33 * nameCoverage + 0.05 * order;
      // Commune named in full ("Duclair", not the "Duclair" of Sainte-Marguerite-sur-Duclair).
      str += 0.03 * cityCoverage(d, groups, kinds);
      // "Le Ménil-Scelleur 1 route de Vieux-Pont": the words before the number name the commune; a
      // street named after them ("Route du Ménil-Scelleur" in Vieux-Pont) is the wrong reading.
      for (let gi = parsed.tokens.length; gi < groups.length; gi++) {
        if ((groups[gi] as Group).leading && kinds[gi] === 1) {
          str -= 0.05;
          break;
        }
      }
      if (wanted && addr < 0) str -= isStreet ? 0.05 : 0.15; // a municipality has no house number
      let score = str + 0.1 * (docImportance[d] as number);
      let ceiling = 1.1;
      let lat = docLat[d] as number;
      let lon = docLon[d] as number;
      if (addr >= 0) {
        lat = addrLat[addr] as number;
        lon = addrLon[addr] as number;
      }
      if (hasGeo) {
        const km = metres(qLat, qLon, lat, lon) / 1000;
        score += km < 100 ? 0.1 * Math.exp(-((km / 50) ** 2)) : 0;
        ceiling += 0.1;
      }
      score = Math.max(0, Math.min(1, score / ceiling));
      scored.push({ d, addr, score, rank: score, type: resultType });
    }
    scored.sort((a, b) => b.rank - a.rank);
    const hits: SearchHit[] = [];
    for (const s of scored) {
      if (s.score < 0.2) continue;
      // Key: the address when a number was found (addr ≥ 0 exactly then), else the document.
      const key = s.addr >= 0 ? s.addr : nAddr + s.d;
      // From the position as written in the result (6 decimals), as the distance always was.
      const distance = hasGeo ? Math.round(metres(qLat, qLon, keyLat(key), keyLon(key))) : undefined;
      hits.push({ key, score: round(s.score, 4), distance });
      if (hits.length === limit) break;
    }
    return hits;
  }

  function keyLat(key: number): number {
    return key < nAddr ? round(addrLat[key] as number, 6) : round(docLat[key - nAddr] as number, 6);
  }

  function keyLon(key: number): number {
    return key < nAddr ? round(addrLon[key] as number, 6) : round(docLon[key - nAddr] as number, 6);
  }

  function resultOf(hit: SearchHit): AddressResult {
    const key = hit.key;
    if (!Number.isInteger(key) || key < 0 || key >= nAddr + nDocs) throw new RangeError(`no answer with key ${key}`);
    // makeResult reads the type only to tell a housenumber; a document's own type is its own.
    const result =
      key < nAddr
        ? makeResult(docOfAddress(key), key, hit.score, "housenumber")
        : makeResult(key - nAddr, -1, hit.score, "street");
    if (hit.distance !== undefined) result.distance = hit.distance;
    return result;
  }

  function search(q: string, options?: SearchOptions): AddressResult[] {
    const hits = searchHits(q, options);
    const results: AddressResult[] = new Array(hits.length);
    for (let i = 0; i < hits.length; i++) results[i] = resultOf(hits[i] as SearchHit);
    return results;
  }

  // Reverse state shared with visitCell (declared once: no closure per query).
  let rLat = 0;
  let rLon = 0;
  let rType: ResultType | undefined;
  let rNeed = 1;
  let rBest: { p: number; dist: number }[] = [];

  function findCell(key: number): number {
    let lo = 0;
    let hi = cellKeys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cellKeys[mid] as number) < key) lo = mid + 1;
      else hi = mid;
    }
    return lo < cellKeys.length && cellKeys[lo] === key ? lo : -1;
  }

  function visit(x: number, y: number): void {
    const ci = findCell(y * GRID_W + ((x + GRID_W) % GRID_W));
    if (ci < 0) return;
    const best = rBest;
    const end = cellStart[ci + 1] as number;
    for (let i = cellStart[ci] as number; i < end; i++) {
      const p = gridPoints[i] as number;
      if (p >= nAddr) {
        if (rType === "housenumber") continue;
        // A lieu-dit answers type=locality only, a numberless street type=street only.
        const locality = docLocality[p - nAddr] === 1;
        if ((rType === "locality" && !locality) || (rType === "street" && locality)) continue;
      } else if (rType === "locality") continue;
      const plat = p < nAddr ? (addrLat[p] as number) : (docLat[p - nAddr] as number);
      const plon = p < nAddr ? (addrLon[p] as number) : (docLon[p - nAddr] as number);
      const dist = metres(rLat, rLon, plat, plon);
      if (best.length >= rNeed && dist >= (best[best.length - 1] as { dist: number }).dist) continue;
      let at = best.length;
      best.push({ p, dist });
      while (at > 0 && (best[at - 1] as { dist: number }).dist > dist) {
        best[at] = best[at - 1] as { p: number; dist: number };
        at--;
      }
      best[at] = { p, dist };
      if (best.length > rNeed) best.pop();
    }
  }

  function reverse(lat: number, lon: number, options: ReverseOptions = {}): AddressResult[] {
    if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return [];
    const limit = Math.max(1, Math.min(100, Math.floor(options.limit ?? 1) || 1));
    const type = options.type;
    const wantDocs = type === "street" || type === "municipality";
    // Nearest points, ring by ring around the point's cell, enough to fill `limit` distinct results.
    const need = wantDocs ? limit * 50 : limit;
    const best: { p: number; dist: number }[] = [];
    const cy = Math.floor((lat + 90) / GRID);
    const cx = Math.floor(((((lon + 180) % 360) + 360) % 360) / GRID);
    const cellMetresY = GRID * 110_574;
    const cellMetresX = GRID * 111_320 * Math.max(0.05, Math.cos(lat * RAD));
    const minCell = Math.min(cellMetresX, cellMetresY);
    rLat = lat;
    rLon = lon;
    rType = type;
    rNeed = need;
    rBest = best;
    for (let r = 0; r <= 60; r++) {
      if (best.length >= need && (r - 1) * minCell > (best[best.length - 1] as { dist: number }).dist) break;
      if (r === 0) visit(cx, cy);
      else {
        for (let x = cx - r; x <= cx + r; x++) {
          visit(x, cy - r);
          visit(x, cy + r);
        }
        for (let y = cy - r + 1; y <= cy + r - 1; y++) {
          visit(cx - r, y);
          visit(cx + r, y);
        }
      }
    }
    const results: AddressResult[] = [];
    const seen = new Set<number>();
    for (const { p, dist } of best) {
      const score = round(Math.exp(-dist / 1000), 4);
      let result: AddressResult;
      if (p < nAddr) {
        const d = docOfAddress(p);
        if (type === "street" || type === "municipality") {
          const target = type === "street" ? d : (ct.docStart[docCommune[d] as number] as number);
          if (seen.has(target)) continue;
          seen.add(target);
          result = makeResult(target, -1, score, type);
        } else {
          result = makeResult(d, p, score, "housenumber");
        }
      } else {
        const d = p - nAddr;
        const target = type === "municipality" ? (ct.docStart[docCommune[d] as number] as number) : d;
        if (seen.has(target)) continue;
        seen.add(target);
        result = makeResult(target, -1, score, type === "municipality" ? "municipality" : "street");
      }
      result.distance = Math.round(dist);
      results.push(result);
      if (results.length === limit) break;
    }
    return results;
  }

  function getAddress(i: number): AddressRecord {
    if (!Number.isInteger(i) || i < 0 || i >= nAddr) throw new RangeError(`no address at index ${i}`);
    const d = docOfAddress(i);
    const s = docStreet[d] as number;
    const c = docCommune[d] as number;
    return {
      id: idOfAddress(i, d),
      numero: addrNum[i] as number,
      rep: repStrings[addrRep[i] as number] as string,
      nomVoie: streetNames[s] as string,
      codePostal: streetPostcodes[s] as string,
      codeInsee: ct.code[c] as string,
      nomCommune: ct.name[c] as string,
      lon: addrLon[i] as number,
      lat: addrLat[i] as number,
    };
  }

  return {
    addressCount: nAddr,
    streetCount: nStreets,
    communeCount: nCommunes,
    tokenCount: vocab.length,
    search(q, options) {
      try {
        return search(q, options);
      } catch {
        return [];
      }
    },
    searchHits(q, options) {
      try {
        return searchHits(q, options);
      } catch {
        return [];
      }
    },
    resultOf,
    reverse(lat, lon, options) {
      try {
        return reverse(lat, lon, options);
      } catch {
        return [];
      }
    },
    getAddress,
  };
}
