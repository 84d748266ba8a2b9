import type { Kysely } from "kysely";
import type { BroadbandTables } from "../../broadband/broadband.tables.ts";
import type { AddressLookup } from "../address-lookup.ts";
import { boxAround, nearestWithin } from "../nearest-building.ts";
import { latestBuildingQuarter } from "../published-quarter.ts";
import type { Rattachement } from "./address-anomalies.tables.ts";

/** Where the reported problem is, as the reporter (or the eligibility card) described it. */
export interface ReportedPlace {
  immeuble?: string;
  /** BAN address id. */
  id?: string;
  lat?: number;
  lon?: number;
  /** Free-text address (the label, or what the person typed). */
  adresse?: string;
  /** INSEE commune code, when the page knew it. */
  commune?: string;
}

export interface ResponsibleNetwork {
  reseau: string | null;
  rattachement: Rattachement;
  codeInsee: string | null;
  adresseId: string | null;
  lat: number | null;
  lon: number | null;
}

/** A free-text address is trusted for routing only from this geocoder score. */
export const MIN_GEOCODE_SCORE = 0.5;
const COMMUNE_CODE = /^(\d{5}|2[AB]\d{3})$/;

/** The commune of a BAN address id (« 61001_0010_00001 » → 61001). */
export function communeOfAddressId(id: string | undefined | null): string | null {
  const code = id?.split("_")[0];
  return code && COMMUNE_CODE.test(code) ? code : null;
}

export function departementOf(codeInsee: string): string {
  return codeInsee.startsWith("97") ? codeInsee.slice(0, 3) : codeInsee.slice(0, 2);
}

type Building = { id: string; reseau: string | null; code_insee: string; lat: number | null; lon: number | null };

/**
 * The network that must answer an anomaly: the building's, else the buildings' at the BAN address
 * (given, or found by geocoding the free text), else the nearest building with a network within
 * MAX_DISTANCE_M, else the RIP of the département, else none (agents dispatch those).
 */
export async function findResponsibleNetwork(
  db: Kysely<BroadbandTables>,
  lookupAddress: AddressLookup,
  place: ReportedPlace,
): Promise<ResponsibleNetwork> {
  let adresseId = place.id ?? null;
  let lat = place.lat ?? null;
  let lon = place.lon ?? null;
  let codeInsee = place.commune ?? communeOfAddressId(adresseId);
  if (adresseId === null && lat === null && place.immeuble === undefined && place.adresse) {
    const [best] = lookupAddress(place.adresse, 1);
    if (best && best.score >= MIN_GEOCODE_SCORE) {
      adresseId = best.id;
      lat = best.lat;
      lon = best.lon;
      codeInsee ??= communeOfAddressId(best.id);
    }
  }
  const answer = (reseau: string | null, rattachement: Rattachement, building?: Building): ResponsibleNetwork => ({
    reseau,
    rattachement,
    codeInsee: building?.code_insee ?? codeInsee,
    adresseId,
    lat: lat ?? building?.lat ?? null,
    lon: lon ?? building?.lon ?? null,
  });

  const quarter = (await latestBuildingQuarter(db))?.code ?? null;
  if (quarter !== null) {
    const buildings = db
      .selectFrom("thd_immeuble")
      .select(["id", "reseau", "code_insee", "lat", "lon"])
      .where("trimestre", "=", quarter);
    if (place.immeuble !== undefined) {
      const building = await buildings.where("id", "=", place.immeuble).executeTakeFirst();
      if (building) {
        codeInsee = building.code_insee;
        if (building.reseau) return answer(building.reseau, "immeuble", building);
      }
    }
    if (adresseId !== null) {
      const atAddress = (await buildings.where("adresse_id", "=", adresseId).execute()).sort((a, b) =>
        a.id < b.id ? -1 : 1,
      );
      const served = atAddress.find((b) => b.reseau !== null);
      if (served) return answer(served.reseau, "adresse", served);
      if (atAddress[0]) codeInsee ??= atAddress[0].code_insee;
    }
    if (lat !== null && lon !== null) {
      // The box (served by the (trimestre, lat, lon) index), then the exact distance.
      const box = boxAround(lat, lon);
      const candidates = await buildings
        .where("lat", ">=", box.latMin)
        .where("lat", "<=", box.latMax)
        .where("lon", ">=", box.lonMin)
        .where("lon", "<=", box.lonMax)
        .execute();
      const nearest = nearestWithin(
        lat,
        lon,
        candidates.filter((b) => b.reseau !== null),
      );
      if (nearest) return answer(nearest.candidate.reseau, "proximite", nearest.candidate);
    }
  }
  if (codeInsee !== null) {
    const rip = await db
      .selectFrom("thd_reseau")
      .select("code")
      .where("type", "=", "rip")
      .where("departement", "=", departementOf(codeInsee))
      .orderBy("code")
      .limit(1)
      .executeTakeFirst();
    if (rip) return answer(rip.code, "departement");
  }
  return answer(null, "aucun");
}
