import type { Kysely } from "kysely";
import type { BroadbandTables } from "../../broadband/broadband.tables.ts";
import type { AddressLookup } from "../address-lookup.ts";
import { type BuildingEligibility, evaluateBuilding } from "../eligibility-rules/eligibility-rules.ts";
import { boxAround, MAX_DISTANCE_M, nearestWithin } from "../nearest-building.ts";
import type { QuarterRef } from "../published-quarter.ts";
import {
  type BuildingContext,
  type EligibilityStore,
  eligibilityStore,
  type LookupBuilding,
  type StoredBuilding,
} from "./eligibility-store.ts";

export type EligibilityQuery =
  | { by: "adresse"; id: string }
  | { by: "immeuble"; id: string }
  | { by: "position"; lat: number; lon: number };

export type { QuarterRef } from "../published-quarter.ts";

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
  building: LookupBuilding;
  reseau: Named | null;
  operateurInfra: Named | null;
  eligibility: BuildingEligibility;
  operatorNames: Map<string, string>;
  fermetureCuivre: CopperClosure | null;
  /** The store's context codes (StoredBuilding.context), when it has them. */
  context?: BuildingContext;
}

export interface EligibilityAnswer {
  trimestre: QuarterRef;
  dateReference: string;
  distanceM: number | null;
  buildings: BuildingAnswer[];
}

export class NoQuarterError extends Error {}
export class NothingFoundError extends Error {}

/** The nearest building with a position within MAX_DISTANCE_M, from a box query (the (trimestre, lat, lon) index). */
async function nearestBuilding(
  store: EligibilityStore,
  quarter: string,
  lat: number,
  lon: number,
): Promise<{ id: string; distanceM: number } | null> {
  const nearest = nearestWithin(lat, lon, await store.inBox(quarter, boxAround(lat, lon)));
  return nearest && { id: nearest.candidate.id, distanceM: Math.round(nearest.distance) };
}

function nothingFound(query: EligibilityQuery, quarter: string): NothingFoundError {
  return new NothingFoundError(
    query.by === "adresse"
      ? `Aucun immeuble connu à l'adresse « ${query.id} » au trimestre ${quarter}.`
      : query.by === "immeuble"
        ? `Immeuble « ${query.id} » inconnu au trimestre ${quarter}.`
        : `Aucun immeuble connu à moins de ${MAX_DISTANCE_M} m de ce point (hors de la région, ou zone sans données au trimestre ${quarter}).`,
  );
}

const NO_QUARTER = "Aucun trimestre publié ne contient encore d'immeubles.";

/**
 * Eligibility at an address id, a building id or the nearest building to a point, in the latest
 * published quarter with buildings, as of `dateReference` (the day of the request). One SQL
 * statement reads the quarter, the buildings, names and eligibility rows (eligibility-store.ts);
 * one more per commune reads its copper closure.
 */
export async function lookupEligibility(
  db: Kysely<BroadbandTables>,
  query: EligibilityQuery,
  dateReference: string,
): Promise<EligibilityAnswer> {
  const store = eligibilityStore(db);
  const quarter = await store.currentQuarter();
  if (!quarter) throw new NoQuarterError(NO_QUARTER);
  return lookupInQuarter(store, quarter, query, dateReference);
}

/** The same, in a quarter already chosen (the route reads it first for its answer cache). */
export async function lookupInQuarter(
  store: EligibilityStore,
  quarter: QuarterRef,
  query: EligibilityQuery,
  dateReference: string,
): Promise<EligibilityAnswer> {
  const { buildings, distanceM } = await findBuildings(store, quarter, query);
  return answerFor(store, quarter, buildings, distanceM, dateReference);
}

/** The buildings a query designates (not empty: NothingFoundError otherwise). */
export async function findBuildings(
  store: EligibilityStore,
  quarter: QuarterRef,
  query: EligibilityQuery,
): Promise<{ buildings: StoredBuilding[]; distanceM: number | null }> {
  let buildings: StoredBuilding[] = [];
  let distanceM: number | null = null;
  if (query.by === "position") {
    const nearest = await nearestBuilding(store, quarter.code, query.lat, query.lon);
    if (nearest) {
      buildings = await store.byBuilding(quarter.code, nearest.id);
      distanceM = nearest.distanceM;
    }
  } else if (query.by === "adresse") {
    buildings = await store.byAddress(quarter.code, query.id);
  } else {
    buildings = await store.byBuilding(quarter.code, query.id);
  }
  if (buildings.length === 0) throw nothingFound(query, quarter.code);
  return { buildings, distanceM };
}

/** The answer about buildings already read: the rules as of `dateReference`, copper closures. */
export async function answerFor(
  store: EligibilityStore,
  quarter: QuarterRef,
  buildings: readonly StoredBuilding[],
  distanceM: number | null,
  dateReference: string,
): Promise<EligibilityAnswer> {
  const closures = new Map<string, CopperClosure | null>();
  for (const { building } of buildings) {
    if (closures.has(building.code_insee)) continue;
    const row = await store.copperClosure(quarter.code, building.code_insee);
    closures.set(
      building.code_insee,
      row && {
        trimestre: row.trimestre,
        lot: row.lot,
        fermetureCommerciale: row.fermeture_commerciale,
        fermetureTechnique: row.fermeture_technique,
        message: row.message_usager,
      },
    );
  }
  return {
    trimestre: quarter,
    dateReference,
    distanceM,
    buildings: buildings.map(({ building, reseauNom, operateurInfraNom, rows, context }) => {
      const operatorNames = new Map<string, string>();
      for (const row of rows) if (row.operateurNom !== null) operatorNames.set(row.operateur, row.operateurNom);
      return {
        building,
        reseau: building.reseau ? { code: building.reseau, nom: reseauNom } : null,
        operateurInfra: building.operateur_infra ? { code: building.operateur_infra, nom: operateurInfraNom } : null,
        eligibility: evaluateBuilding(building, rows, dateReference),
        operatorNames,
        fermetureCuivre: closures.get(building.code_insee) ?? null,
        context,
      };
    }),
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
 * The geocoder's best answer for a free text, and the others when the match is ambiguous. The
 * caller then reads the buildings at that address id, or else the nearest one to its position.
 */
export function geocodeText(
  lookupAddress: AddressLookup,
  text: string,
): { geocodage: Geocoding; lat: number; lon: number } {
  const results = lookupAddress(text, GEOCODE_LIMIT);
  const [best, runnerUp] = results;
  if (!best) throw new AddressNotFoundError(`Aucune adresse trouvée pour « ${text} ».`);
  const ambiguous = best.score < WEAK_SCORE || (runnerUp !== undefined && best.score - runnerUp.score <= AMBIGUOUS_GAP);
  return {
    geocodage: {
      requete: text,
      label: best.label,
      score: best.score,
      id: best.id,
      alternatives: ambiguous ? results.slice(1).map(({ id, label, score }) => ({ id, label, score })) : [],
    },
    lat: best.lat,
    lon: best.lon,
  };
}

/** The message when neither the geocoded address nor its surroundings have a building. */
export function nothingNearAddress(label: string): NothingFoundError {
  return new NothingFoundError(
    `Aucun immeuble connu à l'adresse « ${label} » ni à moins de ${MAX_DISTANCE_M} m de sa position.`,
  );
}
