import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { type Kysely, sql } from "kysely";
import type { BroadbandTables } from "../../broadband/broadband.tables.ts";
import { CLASSES_ARCEP, type ClasseArcep, type EtatFtth, type Techno } from "../../broadband/broadband.tables.ts";
import { type AddressesById, noAddressesById } from "../address-lookup.ts";
import {
  type BuildingEligibility,
  type EligibilityRow,
  evaluateBuilding,
  TECHNO_ORDER,
} from "../eligibility-rules/eligibility-rules.ts";
import { boxHalfSides, distanceMetres, isNearer, MAX_DISTANCE_M } from "../nearest-building.ts";
import type {
  CatalogueOffer,
  CatalogueSnapshot,
  PremiseOffersQuery,
} from "../service-catalogues/catalogue-offers.port.ts";
import type { BatchAddressLookup } from "./batch-address-lookup.ts";
import type { ColumnMapping } from "./batch-input.ts";
import { BuildingGrid } from "./building-grid.ts";

/** Like the one-site lookup: ambiguous when the runner-up is this close, or the best this weak. */
export const AMBIGUOUS_GAP = 0.05;
export const WEAK_SCORE = 0.6;
/** Below this score the best answer is too unsure to report a site's eligibility on it. */
export const MIN_SCORE = 0.4;
const GEOCODE_LIMIT = 5;
const GEOCODE_SLICE = 200;
/** IN lists and VALUES lists stay well under both engines' parameter limits. */
const IN_CHUNK = 500;
/**
 * Above this many positions to search in one job, the quarter's buildings are put on an in-memory
 * grid (about 2 s for the demo's 1.16 M) instead of one box query per point (0.35 ms each).
 */
const GRID_THRESHOLD = 5_000;

export type Cell = string | number | null;

/** Result columns appended to the input columns, in this order. */
export const RESULT_COLUMNS = [
  "statut",
  "raison",
  "remarque",
  "adresse_trouvee",
  "score",
  "adresse_id",
  "methode",
  "distance_m",
  "immeuble_id",
  "immeubles_a_l_adresse",
  "code_insee",
  "reseau",
  "operateur_infrastructure",
  "fibre",
  "fibre_date",
  "meilleur_debit",
  "meilleures_technologies",
  ...TECHNO_ORDER.map((t) => `techno_${t}`),
  "fermeture_cuivre",
  "offres",
  "offre_moins_chere",
  "prix_mensuel_ht",
  "offre_meilleur_debit_garanti",
  "debit_garanti_mbps",
  "offre_meilleure_gtr",
  "gtr_heures",
  "raccordement_complexe",
] as const;
export type ResultColumn = (typeof RESULT_COLUMNS)[number];
const COLUMN_INDEX = new Map<string, number>(RESULT_COLUMNS.map((c, i) => [c, i]));
export const STATUT_RESOLU = "resolu";
export const STATUT_ECHEC = "echec";

/** Per-line failure reasons, in French: part of the API (tested, counted per reason). */
export const REASONS = {
  adresseVide: "adresse vide",
  adresseCourte: "adresse trop courte (au moins 3 caractères)",
  adresseIntrouvable: "adresse introuvable",
  adresseIncertaine: "adresse introuvable (meilleure réponse trop incertaine)",
  identifiantVide: "identifiant d'adresse vide",
  identifiantInconnu: "identifiant d'adresse inconnu, et aucun immeuble connu avec cet identifiant",
  coordonneesManquantes: "coordonnées manquantes",
  coordonneesInvalides: "coordonnées invalides",
  horsRegion: "coordonnées hors de la région",
  aucunImmeubleProche: `aucun immeuble à moins de ${MAX_DISTANCE_M} m`,
  aucunImmeubleAdresse: `aucun immeuble connu à cette adresse ni à moins de ${MAX_DISTANCE_M} m`,
} as const;

const FIBRE_LABELS = {
  raccordable: "raccordable",
  raccordable_sur_demande: "raccordable sur demande",
  prevu: "prévue",
  non_prevu: "non prévue",
} as const;

interface BuildingRow {
  id: string;
  adresse_id: string | null;
  code_insee: string;
  numero: string | null;
  rep: string | null;
  nom_voie: string | null;
  lat: number | null;
  lon: number | null;
  reseau: string | null;
  operateur_infra: string | null;
  etat_ftth: EtatFtth | null;
  etat_pm: string | null;
  date_mes_commerciale: string | null;
  date_prevue: string | null;
}

const BUILDING_COLUMNS = [
  "id",
  "adresse_id",
  "code_insee",
  "numero",
  "rep",
  "nom_voie",
  "lat",
  "lon",
  "reseau",
  "operateur_infra",
  "etat_ftth",
  "etat_pm",
  "date_mes_commerciale",
  "date_prevue",
] as const;

export interface CopperClosure {
  fermetureCommerciale: string | null;
  fermetureTechnique: string | null;
  message: string | null;
}

/** What a whole job reads once: its quarter, names, copper closures, the catalogues' snapshot. */
export interface JobContext {
  trimestre: string;
  dateReference: string;
  networks: Map<string, string>;
  operators: Map<string, string>;
  closures: Map<string, CopperClosure>;
  /** Bounding box of the quarter's buildings (with a margin), for « hors de la région ». */
  bounds: { minLat: number; maxLat: number; minLon: number; maxLon: number } | null;
  catalogues: CatalogueSnapshot;
  /** Positions searched by box queries so far, and the grid once they are too many (or coordinates are given). */
  pointsQueried: number;
  grid: BuildingGrid | null;
}

export async function loadJobContext(
  db: Kysely<BroadbandTables>,
  trimestre: string,
  dateReference: string,
  mapping: ColumnMapping,
  catalogues: CatalogueSnapshot,
): Promise<JobContext> {
  const networks = new Map(
    (await db.selectFrom("thd_reseau").select(["code", "nom"]).execute()).map((n) => [n.code, n.nom] as const),
  );
  const operators = new Map(
    (await db.selectFrom("thd_operateur").select(["code", "nom"]).execute()).map((o) => [o.code, o.nom] as const),
  );
  // Each commune's copper closure: its row of the latest published quarter up to the job's one.
  const closures = new Map<string, CopperClosure>();
  const rows = await db
    .selectFrom("thd_fermeture_cuivre as f")
    .innerJoin("thd_trimestre as t", "t.code", "f.trimestre")
    .select(["f.code_insee", "f.fermeture_commerciale", "f.fermeture_technique", "f.message_usager"])
    .where("t.statut", "=", "publie")
    .where("f.trimestre", "<=", trimestre)
    .orderBy("f.trimestre", "desc")
    .execute();
  for (const row of rows) {
    if (closures.has(row.code_insee)) continue;
    closures.set(row.code_insee, {
      fermetureCommerciale: row.fermeture_commerciale,
      fermetureTechnique: row.fermeture_technique,
      message: row.message_usager,
    });
  }
  let bounds: JobContext["bounds"] = null;
  if (mapping.mode === "position") {
    const box = await db
      .selectFrom("thd_immeuble")
      .select(({ fn }) => [
        fn.min<number>("lat").as("minLat"),
        fn.max<number>("lat").as("maxLat"),
        fn.min<number>("lon").as("minLon"),
        fn.max<number>("lon").as("maxLon"),
      ])
      .where("trimestre", "=", trimestre)
      .executeTakeFirst();
    // About 5 km of margin: a site on the edge of the région is still "in" it.
    if (box && box.minLat !== null) {
      bounds = {
        minLat: Number(box.minLat) - 0.05,
        maxLat: Number(box.maxLat) + 0.05,
        minLon: Number(box.minLon) - 0.07,
        maxLon: Number(box.maxLon) + 0.07,
      };
    }
  }
  // Coordinates given: every line needs the nearest building.
  const grid = mapping.mode === "position" ? await BuildingGrid.load(db, trimestre) : null;
  return { trimestre, dateReference, networks, operators, closures, bounds, catalogues, pointsQueried: 0, grid };
}

/** Decimal degrees, with a French decimal comma (and the exponent some exports write) accepted. */
function parseCoordinate(text: string | undefined): number | null {
  const value = (text ?? "").trim().replace(",", ".");
  if (!/^[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?$/i.test(value)) return null;
  return Number(value);
}

type Target =
  | { kind: "failed"; reason: string; remarque?: string; geocoded?: Geocoded }
  | {
      kind: "address";
      addressId: string;
      geocoded: Geocoded | null;
      lat: number | null;
      lon: number | null;
      /** An address given by id (not geocoded) and known to the addresses module: its label. */
      label?: string;
    }
  | { kind: "position"; lat: number; lon: number };

interface Geocoded {
  id: string;
  label: string;
  score: number;
  ambiguous: string | null;
}

/** What one input line asks for: an address id to read (after geocoding), or a position. */
function targetOf(row: string[], mapping: ColumnMapping, lookup: BatchAddressLookup, ctx: JobContext): Target {
  if (mapping.mode === "id") {
    const id = (row[mapping.id] ?? "").trim();
    return id === ""
      ? { kind: "failed", reason: REASONS.identifiantVide }
      : { kind: "address", addressId: id, geocoded: null, lat: null, lon: null };
  }
  if (mapping.mode === "position") {
    const latText = row[mapping.lat] ?? "";
    const lonText = row[mapping.lon] ?? "";
    if (latText.trim() === "" || lonText.trim() === "")
      return { kind: "failed", reason: REASONS.coordonneesManquantes };
    const lat = parseCoordinate(latText);
    const lon = parseCoordinate(lonText);
    if (lat === null || lon === null || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
      return { kind: "failed", reason: REASONS.coordonneesInvalides };
    }
    const b = ctx.bounds;
    if (!b || lat < b.minLat || lat > b.maxLat || lon < b.minLon || lon > b.maxLon) {
      return { kind: "failed", reason: REASONS.horsRegion };
    }
    return { kind: "position", lat, lon };
  }
  const q = mapping.adresse
    .map((i) => (row[i] ?? "").trim())
    .filter((part) => part !== "")
    .join(" ")
    .replace(/\s+/g, " ");
  if (q === "") return { kind: "failed", reason: REASONS.adresseVide };
  if (q.length < 3) return { kind: "failed", reason: REASONS.adresseCourte };
  const postcode = mapping.postcode !== null ? (row[mapping.postcode] ?? "").trim() : "";
  const citycode = mapping.citycode !== null ? (row[mapping.citycode] ?? "").trim().toUpperCase() : "";
  const results = lookup(q.slice(0, 200), {
    limit: GEOCODE_LIMIT,
    ...(/^\d{5}$/.test(postcode) ? { postcode } : {}),
    ...(/^[0-9][0-9AB]\d{3}$/.test(citycode) ? { citycode } : {}),
  });
  const [best, runnerUp] = results;
  if (!best) return { kind: "failed", reason: REASONS.adresseIntrouvable };
  if (best.score < MIN_SCORE) {
    return {
      kind: "failed",
      reason: REASONS.adresseIncertaine,
      remarque: `meilleure réponse : ${best.label} (score ${best.score.toFixed(2)})`,
    };
  }
  const ambiguous =
    best.score < WEAK_SCORE || (runnerUp !== undefined && best.score - runnerUp.score <= AMBIGUOUS_GAP)
      ? `adresse ambiguë, autres réponses : ${results
          .slice(1, 3)
          .map((r) => `${r.label} (${r.score.toFixed(2)})`)
          .join(" ; ")}`
      : null;
  return {
    kind: "address",
    addressId: best.id,
    geocoded: { id: best.id, label: best.label, score: best.score, ambiguous: results.length > 1 ? ambiguous : null },
    lat: best.lat,
    lon: best.lon,
  };
}

function chunks<T>(items: readonly T[], size = IN_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

async function buildingsByAddress(
  db: Kysely<BroadbandTables>,
  trimestre: string,
  addressIds: string[],
): Promise<Map<string, BuildingRow[]>> {
  const result = new Map<string, BuildingRow[]>();
  for (const part of chunks(addressIds)) {
    const rows = (await db
      .selectFrom("thd_immeuble")
      .select(BUILDING_COLUMNS)
      .where("trimestre", "=", trimestre)
      .where("adresse_id", "in", part)
      .execute()) as BuildingRow[];
    for (const row of rows) {
      const list = result.get(row.adresse_id as string) ?? [];
      list.push(row);
      result.set(row.adresse_id as string, list);
    }
  }
  for (const list of result.values()) list.sort(byId);
  return result;
}

/**
 * The nearest building within MAX_DISTANCE_M of each point: one query per 500 points, a VALUES
 * list joined to the quarter's buildings on a ±200 m box (served by the (trimestre, lat, lon)
 * index), then the exact distance here. Ties go to the smaller id, as in the one-site lookup.
 * CROSS JOIN keeps the points as the outer loop: with a plain JOIN of 500 points, SQLite's planner
 * walks the whole quarter once and the points inside it (18 s instead of 0.2 s per query).
 */
async function nearestBuildings(
  db: Kysely<BroadbandTables>,
  trimestre: string,
  points: { lat: number; lon: number }[],
): Promise<({ building: BuildingRow; distance: number } | null)[]> {
  const nearest: ({ building: BuildingRow; distance: number } | null)[] = points.map(() => null);
  const { dLat } = boxHalfSides(0);
  const indexed = points.map((p, n) => ({ ...p, n }));
  for (const part of chunks(indexed)) {
    // Numbers checked finite, written as literals: no parameter typing issue in a VALUES list.
    const values = sql.join(
      part.map((p) => {
        const { dLon } = boxHalfSides(p.lat);
        return sql`(${sql.lit(p.n)}, ${sql.raw(String(p.lat))}, ${sql.raw(String(p.lon))}, ${sql.raw(String(dLon))})`;
      }),
    );
    const result = await sql<BuildingRow & { n: number }>`
      with q(n, lat, lon, dlon) as (values ${values})
      select q.n as n, ${sql.join(BUILDING_COLUMNS.map((c) => sql.ref(`i.${c}`)))}
      from q
      cross join thd_immeuble i
      where i.trimestre = ${trimestre}
        and i.lat between q.lat - ${sql.raw(String(dLat))} and q.lat + ${sql.raw(String(dLat))}
        and i.lon between q.lon - q.dlon and q.lon + q.dlon`.execute(db);
    for (const row of result.rows) {
      const n = Number(row.n);
      const point = points[n];
      if (!point || row.lat === null || row.lon === null) continue;
      const distance = distanceMetres(point.lat, point.lon, Number(row.lat), Number(row.lon));
      if (distance > MAX_DISTANCE_M) continue;
      const current = nearest[n];
      if (isNearer(distance, row.id, current && { distance: current.distance, id: current.building.id })) {
        const { n: _n, ...building } = row;
        nearest[n] = { building: { ...building, lat: Number(row.lat), lon: Number(row.lon) }, distance };
      }
    }
  }
  return nearest;
}

async function buildingsById(
  db: Kysely<BroadbandTables>,
  trimestre: string,
  ids: string[],
): Promise<Map<string, BuildingRow>> {
  const result = new Map<string, BuildingRow>();
  for (const part of chunks(ids)) {
    const rows = (await db
      .selectFrom("thd_immeuble")
      .select(BUILDING_COLUMNS)
      .where("trimestre", "=", trimestre)
      .where("id", "in", part)
      .execute()) as BuildingRow[];
    for (const row of rows) result.set(row.id, { ...row, lat: Number(row.lat), lon: Number(row.lon) });
  }
  return result;
}

/** Nearest buildings by box queries while they are few, on the in-memory grid beyond. */
async function nearestOf(
  db: Kysely<BroadbandTables>,
  ctx: JobContext,
  points: { lat: number; lon: number }[],
): Promise<({ building: BuildingRow; distance: number } | null)[]> {
  if (points.length === 0) return [];
  if (!ctx.grid && ctx.pointsQueried + points.length > GRID_THRESHOLD) {
    ctx.grid = await BuildingGrid.load(db, ctx.trimestre);
  }
  const grid = ctx.grid;
  if (!grid) {
    ctx.pointsQueried += points.length;
    return nearestBuildings(db, ctx.trimestre, points);
  }
  const hits = points.map((p) => grid.nearest(p.lat, p.lon, MAX_DISTANCE_M, distanceMetres));
  const buildings = await buildingsById(db, ctx.trimestre, [...new Set(hits.flatMap((hit) => (hit ? [hit.id] : [])))]);
  return hits.map((hit) => {
    const building = hit ? buildings.get(hit.id) : undefined;
    return hit && building ? { building, distance: hit.distance } : null;
  });
}

async function eligibilityRows(
  db: Kysely<BroadbandTables>,
  trimestre: string,
  buildingIds: string[],
): Promise<Map<string, EligibilityRow[]>> {
  const result = new Map<string, EligibilityRow[]>();
  for (const part of chunks(buildingIds)) {
    const rows = await db
      .selectFrom("thd_eligibilite")
      .select(["immeuble_id", "operateur", "techno", "classe_montant", "classe_descendant", "saturation"])
      .where("trimestre", "=", trimestre)
      .where("immeuble_id", "in", part)
      .execute();
    for (const row of rows) {
      const list = result.get(row.immeuble_id) ?? [];
      list.push({
        operateur: row.operateur,
        techno: row.techno,
        classe_montant: row.classe_montant,
        classe_descendant: row.classe_descendant,
        saturation: Number(row.saturation),
      });
      result.set(row.immeuble_id, list);
    }
  }
  return result;
}

const rank = (c: ClasseArcep | null | undefined) => (c ? CLASSES_ARCEP.indexOf(c) : -1);

/**
 * Among the buildings at one address, the one reported: FttH available first, then the best
 * download class, then the smallest id (the one-site lookup lists them all; a line holds one).
 */
function preferred(candidates: { building: BuildingRow; eligibility: BuildingEligibility }[]) {
  return [...candidates].sort(
    (a, b) =>
      Number(b.eligibility.ftth.disponible) - Number(a.eligibility.ftth.disponible) ||
      rank(b.eligibility.meilleur?.descendant) - rank(a.eligibility.meilleur?.descendant) ||
      byId(a.building, b.building),
  )[0];
}

function addressLabel(b: BuildingRow): string {
  return [[b.numero, b.rep].filter(Boolean).join(" "), b.nom_voie, b.code_insee].filter(Boolean).join(" ");
}

function offerLabel(o: CatalogueOffer): string {
  return `${o.nom} (${o.reseauNom})${o.surDevis ? ", sur devis" : ""}`;
}

/**
 * The best offer per criterion: lowest monthly price, highest guaranteed rate, shortest repair time;
 * among the offers that can be ordered now (those to come, FttH planned, are left out).
 */
export function bestOffers(offres: readonly CatalogueOffer[]) {
  let cheapest: CatalogueOffer | null = null;
  let fastest: CatalogueOffer | null = null;
  let quickestRepair: CatalogueOffer | null = null;
  const price = (o: CatalogueOffer) => o.mensuelHt ?? Number.POSITIVE_INFINITY;
  for (const o of offres) {
    if (o.aVenir) continue;
    if (!o.surDevis && o.mensuelHt !== null) {
      if (
        !cheapest ||
        price(o) < price(cheapest) ||
        (price(o) === price(cheapest) && (o.fraisAccesHt ?? 0) < (cheapest.fraisAccesHt ?? 0))
      )
        cheapest = o;
    }
    if (o.debitGarantiMbps !== null) {
      if (
        !fastest ||
        o.debitGarantiMbps > (fastest.debitGarantiMbps ?? 0) ||
        (o.debitGarantiMbps === fastest.debitGarantiMbps && price(o) < price(fastest))
      )
        fastest = o;
    }
    if (o.gtrHeures !== null) {
      if (
        !quickestRepair ||
        o.gtrHeures < (quickestRepair.gtrHeures ?? Number.POSITIVE_INFINITY) ||
        (o.gtrHeures === quickestRepair.gtrHeures && price(o) < price(quickestRepair))
      )
        quickestRepair = o;
    }
  }
  return { cheapest, fastest, quickestRepair };
}

function ftthForCatalogue(etat: BuildingEligibility["ftth"]["etat"]): PremiseOffersQuery["ftth"] {
  return etat === "raccordable" || etat === "raccordable_sur_demande"
    ? "ouverte"
    : etat === "prevu"
      ? "prevue"
      : "non_prevue";
}

export interface ResolvedLine {
  cells: Cell[];
  /** The French reason when the site could not be resolved. */
  failure: string | null;
}

function emptyCells(): Cell[] {
  return RESULT_COLUMNS.map(() => null);
}

function set(cells: Cell[], column: ResultColumn, value: Cell): void {
  cells[COLUMN_INDEX.get(column) as number] = value;
}

function failed(reason: string, remarque?: string, geocoded?: Geocoded | null): ResolvedLine {
  const cells = emptyCells();
  set(cells, "statut", STATUT_ECHEC);
  set(cells, "raison", reason);
  if (remarque) set(cells, "remarque", remarque);
  if (geocoded) {
    set(cells, "adresse_trouvee", geocoded.label);
    set(cells, "score", Number(geocoded.score.toFixed(4)));
    set(cells, "adresse_id", geocoded.id);
  }
  return { cells, failure: reason };
}

/**
 * Resolves a block of input lines in bulk: geocoding in process, then a few set-based reads
 * (buildings by address id, nearest buildings by position, eligibility rows), the pure rules,
 * and the catalogues' offers. One result per line, in order; never throws for a bad line.
 */
export async function resolveLines(
  db: Kysely<BroadbandTables>,
  ctx: JobContext,
  lookup: BatchAddressLookup,
  mapping: ColumnMapping,
  rows: readonly string[][],
  addressesById: AddressesById = noAddressesById,
): Promise<ResolvedLine[]> {
  // Geocoding is synchronous CPU work (~0.1 ms a line), and better-sqlite3 queries too: the event
  // loop is given back every GEOCODE_SLICE lines and after each read, so that a request arriving
  // meanwhile waits tens of milliseconds, not a whole block.
  const targets: Target[] = [];
  for (let start = 0; start < rows.length; start += GEOCODE_SLICE) {
    for (const row of rows.slice(start, start + GEOCODE_SLICE)) targets.push(targetOf(row, mapping, lookup, ctx));
    await yieldToEventLoop();
  }
  const addressIds = [...new Set(targets.flatMap((t) => (t.kind === "address" ? [t.addressId] : [])))];
  const atAddress = await buildingsByAddress(db, ctx.trimestre, addressIds);
  await yieldToEventLoop();
  // Address ids given (not geocoded) without a building of their own: their position, for the
  // nearest building, as for a geocoded address.
  const withoutBuilding = targets.filter(
    (t): t is Extract<Target, { kind: "address" }> =>
      t.kind === "address" && t.geocoded === null && !atAddress.has(t.addressId),
  );
  if (withoutBuilding.length > 0) {
    const points = await addressesById(withoutBuilding.map((t) => t.addressId));
    for (const t of withoutBuilding) {
      const point = points.get(t.addressId);
      if (!point) continue;
      t.lat = point.lat;
      t.lon = point.lon;
      t.label = point.label;
    }
    await yieldToEventLoop();
  }

  // Positions to search: coordinates given, or a geocoded address without a building of its own.
  const positionOf = new Map<number, number>();
  const points: { lat: number; lon: number }[] = [];
  targets.forEach((t, i) => {
    if (
      t.kind === "position" ||
      (t.kind === "address" && !atAddress.has(t.addressId) && t.lat !== null && t.lon !== null)
    ) {
      positionOf.set(i, points.length);
      points.push({ lat: t.lat as number, lon: t.lon as number });
    }
  });
  const nearest = await nearestOf(db, ctx, points);
  await yieldToEventLoop();

  const candidatesOf = (i: number): { buildings: BuildingRow[]; distance: number | null } => {
    const t = targets[i];
    if (t?.kind === "address") {
      const found = atAddress.get(t.addressId);
      if (found) return { buildings: found, distance: null };
    }
    const p = positionOf.get(i);
    const hit = p === undefined ? null : nearest[p];
    return hit ? { buildings: [hit.building], distance: Math.round(hit.distance) } : { buildings: [], distance: null };
  };
  const buildingIds = new Set<string>();
  for (let i = 0; i < targets.length; i++) for (const b of candidatesOf(i).buildings) buildingIds.add(b.id);
  const eligibility = await eligibilityRows(db, ctx.trimestre, [...buildingIds]);
  await yieldToEventLoop();

  return targets.map((target, i): ResolvedLine => {
    if (target.kind === "failed") return failed(target.reason, target.remarque, target.geocoded);
    const { buildings, distance } = candidatesOf(i);
    const geocoded = target.kind === "address" ? target.geocoded : null;
    if (buildings.length === 0) {
      const reason =
        target.kind === "position"
          ? REASONS.aucunImmeubleProche
          : geocoded || target.label !== undefined
            ? REASONS.aucunImmeubleAdresse
            : REASONS.identifiantInconnu;
      return failed(reason, geocoded?.ambiguous ?? undefined, geocoded);
    }
    const chosen = preferred(
      buildings.map((building) => ({
        building,
        eligibility: evaluateBuilding(building, eligibility.get(building.id) ?? [], ctx.dateReference),
      })),
    );
    if (!chosen) return failed(REASONS.aucunImmeubleAdresse);
    const { building: b, eligibility: e } = chosen;
    const cells = emptyCells();
    set(cells, "statut", STATUT_RESOLU);
    set(cells, "remarque", geocoded?.ambiguous ?? null);
    const given = target.kind === "address" ? target : null;
    set(cells, "adresse_trouvee", geocoded?.label ?? given?.label ?? addressLabel(b));
    set(cells, "score", geocoded ? Number(geocoded.score.toFixed(4)) : null);
    set(cells, "adresse_id", geocoded?.id ?? given?.addressId ?? b.adresse_id);
    set(
      cells,
      "methode",
      target.kind === "position"
        ? "position"
        : distance !== null
          ? "immeuble le plus proche de l'adresse"
          : geocoded
            ? "adresse"
            : "identifiant d'adresse",
    );
    set(cells, "distance_m", distance);
    set(cells, "immeuble_id", b.id);
    set(cells, "immeubles_a_l_adresse", buildings.length);
    set(cells, "code_insee", b.code_insee);
    set(cells, "reseau", b.reseau ? (ctx.networks.get(b.reseau) ?? b.reseau) : null);
    set(
      cells,
      "operateur_infrastructure",
      b.operateur_infra ? (ctx.operators.get(b.operateur_infra) ?? b.operateur_infra) : null,
    );
    set(cells, "fibre", FIBRE_LABELS[e.ftth.etat]);
    set(cells, "fibre_date", e.ftth.ouvertureCommerciale ?? e.ftth.datePrevue);
    set(cells, "meilleur_debit", e.meilleur ? `${e.meilleur.descendant} / ${e.meilleur.montant}` : null);
    set(cells, "meilleures_technologies", e.meilleur ? e.meilleur.technologies.join(", ") : null);
    for (const t of e.technologies) {
      if (!t.disponible) continue;
      set(cells, `techno_${t.code as Techno}`, `${t.descendant} / ${t.montant}`);
    }
    const closure = ctx.closures.get(b.code_insee);
    set(cells, "fermeture_cuivre", closure ? (closure.fermetureCommerciale ?? closure.message) : null);
    const { offres, raccordementComplexe } = ctx.catalogues.offersFor({
      codeInsee: b.code_insee,
      reseau: b.reseau,
      ftth: ftthForCatalogue(e.ftth.etat),
      etatImmeuble: b.etat_ftth,
      date: ctx.dateReference,
    });
    const best = bestOffers(offres);
    set(cells, "offres", offres.length);
    set(cells, "offre_moins_chere", best.cheapest ? offerLabel(best.cheapest) : null);
    set(cells, "prix_mensuel_ht", best.cheapest?.mensuelHt ?? null);
    set(cells, "offre_meilleur_debit_garanti", best.fastest ? offerLabel(best.fastest) : null);
    set(cells, "debit_garanti_mbps", best.fastest?.debitGarantiMbps ?? null);
    set(cells, "offre_meilleure_gtr", best.quickestRepair ? offerLabel(best.quickestRepair) : null);
    set(cells, "gtr_heures", best.quickestRepair?.gtrHeures ?? null);
    set(cells, "raccordement_complexe", raccordementComplexe);
    return { cells, failure: null };
  });
}
