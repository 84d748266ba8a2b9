import type { Kysely } from "kysely";
import type { BroadbandTables } from "../../broadband/broadband.tables.ts";
import type { AddressLookup } from "../address-lookup.ts";
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

/** How far a reported point may be from a building that decides its network (as lookup-eligibility). */
export const MAX_DISTANCE_M = 200;
/** A free-text address is trusted for routing only from this geocoder score. */
export const MIN_GEOCODE_SCORE = 0.5;
const METRES_PER_DEGREE = 111_320;
const COMMUNE_CODE = /^(\d{5}|2[AB]\d{3})$/;

// Kept here rather than imported from lookup-eligibility/ (reworked separately): the latest
// published quarter that holds buildings; drafts never decide anything public.
async function latestBuildingQuarter(db: Kysely<BroadbandTables>): Promise<string | null> {
  const row = await db
    .selectFrom("thd_trimestre as t")
    .select("t.code")
    .where("t.statut", "=", "publie")
    .where(({ exists, selectFrom }) =>
      exists(selectFrom("thd_immeuble as i").select("i.id").whereRef("i.trimestre", "=", "t.code").limit(1)),
    )
    .orderBy("t.code", "desc")
    .limit(1)
    .executeTakeFirst();
  return row?.code ?? null;
}

function distanceMetres(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const a =
    Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(a)));
}

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

  const quarter = await latestBuildingQuarter(db);
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
      // A box of ±200 m (served by the (trimestre, lat, lon) index), then the exact distance.
      const dLat = MAX_DISTANCE_M / METRES_PER_DEGREE;
      const dLon = MAX_DISTANCE_M / (METRES_PER_DEGREE * Math.max(0.01, Math.cos((lat * Math.PI) / 180)));
      const candidates = await buildings
        .where("lat", ">=", lat - dLat)
        .where("lat", "<=", lat + dLat)
        .where("lon", ">=", lon - dLon)
        .where("lon", "<=", lon + dLon)
        .execute();
      let nearest: { building: Building; distance: number } | null = null;
      for (const building of candidates) {
        if (building.lat === null || building.lon === null || building.reseau === null) continue;
        const distance = distanceMetres(lat, lon, building.lat, building.lon);
        if (distance > MAX_DISTANCE_M) continue;
        if (
          !nearest ||
          distance < nearest.distance ||
          (distance === nearest.distance && building.id < nearest.building.id)
        )
          nearest = { building, distance };
      }
      if (nearest) return answer(nearest.building.reseau, "proximite", nearest.building);
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
