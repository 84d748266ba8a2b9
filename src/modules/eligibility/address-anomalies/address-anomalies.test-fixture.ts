import type { Insertable, Kysely } from "kysely";
import type { BroadbandTables, ThdImmeubleTable } from "../../broadband/broadband.tables.ts";
import {
  type FixtureAddress,
  fixtureBanLine,
  fixtureBuilding,
  fixtureQuarter,
} from "../lookup-eligibility/lookup-eligibility.test-fixture.ts";
import type { AnomalyDatabase } from "./address-anomalies.service.ts";
import { reportAnomaly } from "./address-anomalies.service.ts";

/**
 * A small hand-made place for anomalies: one published quarter (2025T3) with four buildings, a
 * draft (2025T4) whose building must never route a report, three networks. The Manche RIP's code
 * is a parameter, so that a journey can give it the demo operator's perimeter.
 */
export const MANCHE_BUILDING = "IMB-50-HALLES";
export const MANCHE_ADDRESS = "50147_0100_00012";
export const PRIVATE_ADDRESS = "14118_0200_00003";
export const COPPER_BUILDING = "IMB-14-CUIVRE";

/** BAN addresses (id, numero, voie, code postal, commune code, commune, lon, lat) for the geocoder. */
export const ANOMALY_ADDRESSES: FixtureAddress[] = [
  [MANCHE_ADDRESS, "12", "Rue des Halles", "50200", "50147", "Coutances", -1.4449, 49.0478],
  [PRIVATE_ADDRESS, "3", "Rue de Bretagne", "14000", "14118", "Caen", -0.37, 49.18],
];

/** A deployed Coutances building of 2025T3, without a network unless `facts` give one. */
const building = (id: string, facts: Partial<Insertable<ThdImmeubleTable>>) =>
  fixtureBuilding("2025T3", id, {
    code_insee: "50147",
    nom_voie: "Rue des Halles",
    lon: -1.4449,
    lat: 49.0478,
    reseau: null,
    operateur_infra: null,
    ...facts,
  });

export async function insertAnomalyFixture(db: Kysely<BroadbandTables>, mancheNetwork = "RIP50"): Promise<void> {
  await db
    .insertInto("thd_trimestre")
    .values([fixtureQuarter("2025T3", "publie", 1), fixtureQuarter("2025T4", "brouillon", 1)])
    .execute();
  await db
    .insertInto("thd_operateur")
    .values([
      { code: "MAFI", nom: "Manche Fibre" },
      { code: "ALTC", nom: "Altitude Infra Calvados" },
      { code: "FRTE", nom: "Orange" },
    ])
    .execute();
  await db
    .insertInto("thd_reseau")
    .values([
      {
        code: mancheNetwork,
        nom: "Manche Fibre (RIP de la Manche)",
        type: "rip",
        operateur_infra: "MAFI",
        departement: "50",
      },
      { code: "RIP14", nom: "Fibre Calvados Normandie", type: "rip", operateur_infra: "ALTC", departement: "14" },
      { code: "PRV-FRTE", nom: "Orange (zone privée)", type: "prive", operateur_infra: "FRTE", departement: null },
    ])
    .execute();
  await db
    .insertInto("thd_immeuble")
    .values([
      building(MANCHE_BUILDING, {
        adresse_id: MANCHE_ADDRESS,
        numero: "12",
        reseau: mancheNetwork,
        operateur_infra: "MAFI",
      }),
      building("IMB-14-PRIVE", {
        adresse_id: PRIVATE_ADDRESS,
        code_insee: "14118",
        numero: "3",
        nom_voie: "Rue de Bretagne",
        lon: -0.37,
        lat: 49.18,
        reseau: "PRV-FRTE",
        operateur_infra: "FRTE",
      }),
      // Copper only: no network of its own, so the Calvados RIP answers for it.
      building(COPPER_BUILDING, {
        code_insee: "14118",
        lon: -0.37,
        lat: 49.19,
        etat_ftth: null,
        etat_pm: null,
        reference_pm: null,
        date_mes_commerciale: null,
      }),
      // The draft quarter puts a Calvados building in Coutances: it must not route anything.
      { ...building("IMB-BROUILLON", { reseau: "RIP14", lat: 49.0482 }), trimestre: "2025T4" },
    ])
    .execute();
}

/** An anomaly routed to `reseau`, made without HTTP (for the authorization matrix). */
export async function insertAnomalyOf<T>(db: Kysely<T>, reseau: string): Promise<{ id: string; jeton: string }> {
  const anomalies = db as unknown as AnomalyDatabase;
  const { id, jeton } = await reportAnomaly(anomalies, () => [], {
    type: "autre",
    description: "Signalement de la matrice d'autorisation",
    immeuble: "IMB-MATRICE",
  });
  await anomalies
    .updateTable("anomalie_adresse")
    .set({ reseau, rattachement: "immeuble" })
    .where("id", "=", id)
    .execute();
  return { id, jeton };
}

/** The fixture's addresses as BAN CSV lines. */
export function anomalyBanLines(): string[] {
  return ANOMALY_ADDRESSES.map(fixtureBanLine);
}
