import type { Kysely } from "kysely";
import type { BroadbandTables, ThdImmeubleTable } from "../../broadband/broadband.tables.ts";
import type { AddressLookup } from "../address-lookup.ts";
import { type BuildingEligibility, evaluateBuilding } from "../eligibility-rules/eligibility-rules.ts";

/** How far a point may be from a building for `lat`/`lon` lookups. */
export const MAX_DISTANCE_M = 200;
const METRES_PER_DEGREE = 111_320;

export type EligibilityQuery =
  | { by: "adresse"; id: string }
  | { by: "immeuble"; id: string }
  | { by: "position"; lat: number; lon: number };

export interface QuarterRef {
  code: string;
  simule: boolean;
}

export interface CopperClosure {
  trimestre: string;
  lot: string | null;
  fermetureCommerciale: string | null;
  fermetureTechnique: string | null;
  message: string | null;
}

export interface Named {
  code: string;
  nom: string | null;
}

export interface BuildingAnswer {
  building: ThdImmeubleTable;
  reseau: Named | null;
  operateurInfra: Named | null;
  eligibility: BuildingEligibility;
  operatorNames: Map<string, string>;
  fermetureCuivre: CopperClosure | null;
}

export interface EligibilityAnswer {
  trimestre: QuarterRef;
  dateReference: string;
  distanceM: number | null;
  buildings: BuildingAnswer[];
}

export class NoQuarterError extends Error {}
export class NothingFoundError extends Error {}

/**
 * The latest published quarter holding buildings: drafts are never shown to the public. The
 * EXISTS probe walks the (trimestre, id) primary key.
 */
export async function latestBuildingQuarter(db: Kysely<BroadbandTables>): Promise<QuarterRef | null> {
  const row = await db
    .selectFrom("thd_trimestre as t")
    .select(["t.code", "t.simule"])
    .where("t.statut", "=", "publie")
    .where(({ exists, selectFrom }) =>
      exists(selectFrom("thd_immeuble as i").select("i.id").whereRef("i.trimestre", "=", "t.code").limit(1)),
    )
    .orderBy("t.code", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ? { code: row.code, simule: Number(row.simule) === 1 } : null;
}

/** Great-circle distance in metres (haversine; enough for a few hundred metres). */
export function distanceMetres(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(a)));
}

async function findBuildings(
  db: Kysely<BroadbandTables>,
  trimestre: string,
  query: EligibilityQuery,
): Promise<{ buildings: ThdImmeubleTable[]; distanceM: number | null }> {
  const base = db.selectFrom("thd_immeuble").selectAll().where("trimestre", "=", trimestre);
  if (query.by === "adresse") {
    // Sorted here, not by SQL: "ORDER BY id" led SQLite (without statistics) to walk the whole
    // quarter along the primary key instead of using the adresse_id index — 10 s per lookup.
    const buildings = await base.where("adresse_id", "=", query.id).execute();
    return { buildings: buildings.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)), distanceM: null };
  }
  if (query.by === "immeuble") {
    return { buildings: await base.where("id", "=", query.id).execute(), distanceM: null };
  }
  // A box of ±200 m around the point (served by the (trimestre, lat, lon) index), then the exact distance.
  const dLat = MAX_DISTANCE_M / METRES_PER_DEGREE;
  const dLon = MAX_DISTANCE_M / (METRES_PER_DEGREE * Math.max(0.01, Math.cos((query.lat * Math.PI) / 180)));
  const candidates = await base
    .where("lat", ">=", query.lat - dLat)
    .where("lat", "<=", query.lat + dLat)
    .where("lon", ">=", query.lon - dLon)
    .where("lon", "<=", query.lon + dLon)
    .execute();
  let nearest: { building: ThdImmeubleTable; distance: number } | null = null;
  for (const building of candidates) {
    if (building.lat === null || building.lon === null) continue;
    const distance = distanceMetres(query.lat, query.lon, building.lat, building.lon);
    if (distance > MAX_DISTANCE_M) continue;
    if (
      nearest === null ||
      distance < nearest.distance ||
      (distance === nearest.distance && building.id < nearest.building.id)
    ) {
      nearest = { building, distance };
    }
  }
  return nearest
    ? { buildings: [nearest.building], distanceM: Math.round(nearest.distance) }
    : { buildings: [], distanceM: null };
}

/**
 * Copper closure of a commune: its row in the latest published quarter up to `trimestre`. The
 * quarters are listed first, so that each probe is a (trimestre, code_insee) primary-key lookup.
 */
async function copperClosures(
  db: Kysely<BroadbandTables>,
  trimestre: string,
  communes: string[],
): Promise<Map<string, CopperClosure>> {
  const result = new Map<string, CopperClosure>();
  if (communes.length === 0) return result;
  const quarters = (
    await db
      .selectFrom("thd_trimestre")
      .select("code")
      .where("statut", "=", "publie")
      .where("code", "<=", trimestre)
      .execute()
  ).map((q) => q.code);
  if (quarters.length === 0) return result;
  const rows = await db
    .selectFrom("thd_fermeture_cuivre")
    .selectAll()
    .where("trimestre", "in", quarters)
    .where("code_insee", "in", communes)
    .orderBy("trimestre", "desc")
    .execute();
  for (const row of rows) {
    if (result.has(row.code_insee)) continue;
    result.set(row.code_insee, {
      trimestre: row.trimestre,
      lot: row.lot,
      fermetureCommerciale: row.fermeture_commerciale,
      fermetureTechnique: row.fermeture_technique,
      message: row.message_usager,
    });
  }
  return result;
}

/**
 * Eligibility at an address id, a building id or the nearest building to a point, in the latest
 * published quarter with buildings, as of `dateReference` (the day of the request).
 */
export async function lookupEligibility(
  db: Kysely<BroadbandTables>,
  query: EligibilityQuery,
  dateReference: string,
): Promise<EligibilityAnswer> {
  const quarter = await latestBuildingQuarter(db);
  if (!quarter) throw new NoQuarterError("Aucun trimestre publié ne contient encore d'immeubles.");
  const { buildings, distanceM } = await findBuildings(db, quarter.code, query);
  if (buildings.length === 0) {
    throw new NothingFoundError(
      query.by === "adresse"
        ? `Aucun immeuble connu à l'adresse « ${query.id} » au trimestre ${quarter.code}.`
        : query.by === "immeuble"
          ? `Immeuble « ${query.id} » inconnu au trimestre ${quarter.code}.`
          : `Aucun immeuble connu à moins de ${MAX_DISTANCE_M} m de ce point (hors de la région, ou zone sans données au trimestre ${quarter.code}).`,
    );
  }
  const ids = buildings.map((b) => b.id);
  const rows = await db
    .selectFrom("thd_eligibilite")
    .select(["immeuble_id", "operateur", "techno", "classe_montant", "classe_descendant", "saturation"])
    .where("trimestre", "=", quarter.code)
    .where("immeuble_id", "in", ids)
    .execute();
  const networkCodes = [...new Set(buildings.map((b) => b.reseau).filter((c): c is string => c !== null))];
  const networks = new Map(
    networkCodes.length === 0
      ? []
      : (await db.selectFrom("thd_reseau").select(["code", "nom"]).where("code", "in", networkCodes).execute()).map(
          (n) => [n.code, n.nom] as const,
        ),
  );
  const operatorCodes = [
    ...new Set([
      ...rows.map((r) => r.operateur),
      ...buildings.map((b) => b.operateur_infra).filter((c): c is string => c !== null),
    ]),
  ];
  const operatorNames = new Map(
    operatorCodes.length === 0
      ? []
      : (await db.selectFrom("thd_operateur").select(["code", "nom"]).where("code", "in", operatorCodes).execute()).map(
          (o) => [o.code, o.nom] as const,
        ),
  );
  const closures = await copperClosures(db, quarter.code, [...new Set(buildings.map((b) => b.code_insee))]);
  return {
    trimestre: quarter,
    dateReference,
    distanceM,
    buildings: buildings.map((building) => ({
      building,
      reseau: building.reseau ? { code: building.reseau, nom: networks.get(building.reseau) ?? null } : null,
      operateurInfra: building.operateur_infra
        ? { code: building.operateur_infra, nom: operatorNames.get(building.operateur_infra) ?? null }
        : null,
      eligibility: evaluateBuilding(
        building,
        rows.filter((r) => r.immeuble_id === building.id),
        dateReference,
      ),
      operatorNames,
      fermetureCuivre: closures.get(building.code_insee) ?? null,
    })),
  };
}

/** How many geocoder answers are read for a free-text address (the best, and its alternatives). */
export const GEOCODE_LIMIT = 5;
/**
 * A free-text match is ambiguous when the runner-up scores within AMBIGUOUS_GAP of the best, or the
 * best scores below WEAK_SCORE: the other answers are then listed as alternatives.
 */
export const AMBIGUOUS_GAP = 0.05;
export const WEAK_SCORE = 0.6;

export class AddressNotFoundError extends Error {}

export interface Geocoding {
  requete: string;
  label: string;
  score: number;
  id: string;
  alternatives: { id: string; label: string; score: number }[];
}

/**
 * Eligibility at a free-text address: the geocoder's best answer, then its buildings by address
 * id; when that address has none, the nearest building within MAX_DISTANCE_M of its position
 * (`distanceM` says how far).
 */
export async function lookupEligibilityByText(
  db: Kysely<BroadbandTables>,
  lookupAddress: AddressLookup,
  text: string,
  dateReference: string,
): Promise<EligibilityAnswer & { geocodage: Geocoding }> {
  const results = lookupAddress(text, GEOCODE_LIMIT);
  const [best, runnerUp] = results;
  if (!best) throw new AddressNotFoundError(`Aucune adresse trouvée pour « ${text} ».`);
  const ambiguous = best.score < WEAK_SCORE || (runnerUp !== undefined && best.score - runnerUp.score <= AMBIGUOUS_GAP);
  const geocodage: Geocoding = {
    requete: text,
    label: best.label,
    score: best.score,
    id: best.id,
    alternatives: ambiguous ? results.slice(1).map(({ id, label, score }) => ({ id, label, score })) : [],
  };
  let answer: EligibilityAnswer;
  try {
    answer = await lookupEligibility(db, { by: "adresse", id: best.id }, dateReference);
  } catch (error) {
    if (!(error instanceof NothingFoundError)) throw error;
    try {
      answer = await lookupEligibility(db, { by: "position", lat: best.lat, lon: best.lon }, dateReference);
    } catch (nearby) {
      if (!(nearby instanceof NothingFoundError)) throw nearby;
      throw new NothingFoundError(
        `Aucun immeuble connu à l'adresse « ${best.label} » ni à moins de ${MAX_DISTANCE_M} m de sa position.`,
      );
    }
  }
  return { ...answer, geocodage };
}
