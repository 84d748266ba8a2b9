import type { Insertable, Kysely } from "kysely";
import type { AppDatabase } from "../../../shared/db/database.ts";
import { banLine } from "../../addresses/test-fixtures.ts";
import type {
  BroadbandTables,
  ClasseArcep,
  Techno,
  ThdEligibiliteTable,
  ThdImmeubleTable,
} from "../../broadband/broadband.tables.ts";
import { insertCatalogueFixture } from "../service-catalogues/catalogue.test-fixture.ts";
import type { CatalogueSnapshot } from "../service-catalogues/catalogue-offers.port.ts";
import { createCatalogueService } from "../service-catalogues/catalogue-service.ts";
import { createEligibilityStore, type EligibilityStore, type QuarterRef } from "./eligibility-store.ts";

/**
 * A hand-made eligibility fixture. Quarters: 2025T2 published (copper closure only), 2025T3
 * published with six buildings, 2025T4 a draft with other buildings (never shown to the public),
 * 2026T1 published without buildings (so not the one used). Commercial dates are in 2020 or 2099,
 * so the answers do not depend on the day the tests run.
 */
export const ADDRESS_SHARED = "61001_0020_00002";

/** A geocoded address without a building, 11 m from IMB-A-VENIR. */
export const ADDRESS_WITHOUT_BUILDING = "61001_0030_00007";

/** A BAN address of a fixture: id, numero, voie, code postal, commune code, commune, lon, lat. */
export type FixtureAddress = [string, string, string, string, string, string, number, number];

/** A fixture address as a BAN CSV line: banLine's Caen line with the address's fields in place. */
export function fixtureBanLine([id, numero, voie, codePostal, codeInsee, commune, lon, lat]: FixtureAddress): string {
  const fields = banLine({
    id,
    numero,
    nom_voie: voie,
    code_insee: codeInsee,
    lon: String(lon),
    lat: String(lat),
  }).split(";");
  fields[1] = id.slice(0, 10);
  fields[5] = codePostal;
  fields[7] = commune;
  fields[17] = commune.toUpperCase();
  fields[18] = voie.toUpperCase();
  return fields.join(";");
}

/**
 * Addresses for the geocoder (BAN CSV lines: id, numero, nom_voie, code_postal, code_insee,
 * nom_commune, lon, lat): two match buildings of the fixture by id, one has no building, and the
 * same street name in two communes makes a query ambiguous.
 */
export const FIXTURE_ADDRESSES: FixtureAddress[] = [
  ["61001_0010_00001", "1", "Avenue de la République", "61000", "61001", "Alençon", 0.09, 48.43],
  [ADDRESS_SHARED, "2", "Boulevard Lecointre", "61000", "61001", "Alençon", 0.1, 48.45],
  [ADDRESS_WITHOUT_BUILDING, "7", "Rue des Tilleuls", "61000", "61001", "Alençon", 0.09, 48.4309],
  ["61001_0040_00004", "4", "Rue du Moulin", "61000", "61001", "Alençon", 0.09, 48.5],
  ["61002_0040_00004", "4", "Rue du Moulin", "61250", "61002", "Arçonnay", 0.09, 48.44],
];

/** A quarter row (created 2026-01-01, published the next day unless a draft). */
export const fixtureQuarter = (code: string, statut: "publie" | "brouillon", simule: number) => ({
  code,
  statut,
  cree_le: "2026-01-01",
  publie_le: statut === "publie" ? "2026-01-02" : null,
  publie_par: null,
  simule,
});

/** A deployed, commercially open Alençon building of RIP61; `facts` override any column. */
export function fixtureBuilding(
  trimestre: string,
  id: string,
  facts: Partial<Insertable<ThdImmeubleTable>>,
): Insertable<ThdImmeubleTable> {
  return {
    trimestre,
    id,
    code_ipe: id,
    adresse_id: null,
    code_insee: "61001",
    numero: "1",
    rep: null,
    nom_voie: "Rue de l'Église",
    lon: 0.09,
    lat: 48.43,
    type: "pavillon",
    nb_locaux: 1,
    reseau: "RIP61",
    operateur_infra: "ORNF",
    etat_ftth: "deploye",
    reference_pm: "PM-1",
    etat_pm: "deploye",
    date_mes_commerciale: "2020-01-01",
    date_prevue: null,
    ...facts,
  };
}

function offer(
  immeuble_id: string,
  operateur: string,
  techno: Techno,
  classe_descendant: ClasseArcep,
  classe_montant: ClasseArcep,
  saturation = 0,
): Insertable<ThdEligibiliteTable> {
  return {
    trimestre: "2025T3",
    immeuble_id,
    operateur,
    techno,
    classe_descendant,
    classe_montant,
    limitation: null,
    saturation,
  };
}

export async function insertEligibilityFixture(db: Kysely<BroadbandTables>): Promise<void> {
  await db
    .insertInto("thd_trimestre")
    .values([
      fixtureQuarter("2025T2", "publie", 0),
      fixtureQuarter("2025T3", "publie", 1),
      fixtureQuarter("2025T4", "brouillon", 0),
      fixtureQuarter("2026T1", "publie", 0),
    ])
    .execute();
  await db
    .insertInto("thd_operateur")
    .values([
      { code: "FRTE", nom: "Orange" },
      { code: "SFR0", nom: "SFR" },
      { code: "BOUY", nom: "Bouygues Telecom" },
      { code: "FREE", nom: "Free" },
      { code: "NUAT", nom: "Nordnet" },
      { code: "ORNF", nom: "Orne THD" },
    ])
    .execute();
  await db
    .insertInto("thd_reseau")
    .values({ code: "RIP61", nom: "Orne THD (RIP de l'Orne)", type: "rip", operateur_infra: "ORNF", departement: "61" })
    .execute();
  await db
    .insertInto("thd_immeuble")
    .values([
      fixtureBuilding("2025T3", "IMB-OUVERT", { adresse_id: "61001_0010_00001", nb_locaux: 12, type: "immeuble" }),
      // About 111 m north of IMB-OUVERT.
      fixtureBuilding("2025T3", "IMB-A-VENIR", { numero: "3", lat: 48.431, date_mes_commerciale: "2099-01-01" }),
      fixtureBuilding("2025T3", "IMB-PREVU", {
        numero: "5",
        lat: 48.44,
        etat_ftth: "cible",
        etat_pm: null,
        reference_pm: null,
        date_mes_commerciale: null,
        date_prevue: "2027-06-30",
      }),
      fixtureBuilding("2025T3", "IMB-DEMANDE", {
        adresse_id: ADDRESS_SHARED,
        numero: "2",
        rep: "bis",
        lat: 48.45,
        etat_ftth: "raccordable_demande",
        date_mes_commerciale: null,
      }),
      fixtureBuilding("2025T3", "IMB-CUIVRE", {
        adresse_id: ADDRESS_SHARED,
        numero: "2",
        lat: 48.45,
        lon: 0.1,
        etat_ftth: null,
        etat_pm: null,
        reseau: null,
        operateur_infra: null,
        reference_pm: null,
        date_mes_commerciale: null,
      }),
      fixtureBuilding("2025T3", "IMB-SATURE", {
        code_insee: "61002",
        lat: 48.5,
        etat_pm: "en_cours",
        date_mes_commerciale: null,
        date_prevue: "2026-12-31",
      }),
      // The draft quarter: a different IMB-OUVERT and a building only it knows.
      fixtureBuilding("2025T4", "IMB-OUVERT", { adresse_id: "61001_0010_00001", nb_locaux: 99, etat_ftth: null }),
      fixtureBuilding("2025T4", "IMB-BROUILLON", {}),
    ])
    .execute();
  await db
    .insertInto("thd_eligibilite")
    .values([
      offer("IMB-OUVERT", "FRTE", "FO", "THD1G", "THD1G"),
      offer("IMB-OUVERT", "SFR0", "FO", "THD1G", "THD100"),
      offer("IMB-OUVERT", "FRTE", "CU", "BHD8", "HD05"),
      offer("IMB-A-VENIR", "FRTE", "FO", "THD1G", "THD1G"),
      offer("IMB-A-VENIR", "FRTE", "CU", "HD3", "HD05"),
      offer("IMB-PREVU", "BOUY", "4GF", "THD30", "BHD8"),
      offer("IMB-PREVU", "FREE", "4GF", "THD30", "BHD8", 1),
      offer("IMB-DEMANDE", "FRTE", "FO", "THD1G", "THD1G"),
      offer("IMB-CUIVRE", "FRTE", "CU", "BHD8", "HD05"),
      offer("IMB-SATURE", "FREE", "4GF", "THD30", "BHD8", 1),
      offer("IMB-SATURE", "NUAT", "SAT", "THD30", "HD3"),
    ])
    .execute();
  await db
    .insertInto("thd_fermeture_cuivre")
    .values([
      {
        trimestre: "2025T2",
        code_insee: "61001",
        lot: "Lot 3",
        fermeture_commerciale: "2027-01-31",
        fermeture_technique: "2029-01-31",
        message_usager: null,
      },
      {
        trimestre: "2025T4",
        code_insee: "61001",
        lot: "Lot 9",
        fermeture_commerciale: "2030-01-31",
        fermeture_technique: null,
        message_usager: "brouillon",
      },
    ])
    .execute();
}

/**
 * The fixture and its catalogues, read by a plain store and by one with its index built: what the
 * tests of the kept answer parts compare. Buildings of the current quarter, sorted by id.
 */
export async function indexedEligibilityFixture(db: AppDatabase): Promise<{
  plain: EligibilityStore;
  indexed: EligibilityStore;
  quarter: QuarterRef;
  snapshot: CatalogueSnapshot;
  buildingIds: string[];
}> {
  await insertEligibilityFixture(db);
  await insertCatalogueFixture(db);
  const plain = createEligibilityStore(db);
  const indexed = createEligibilityStore(db);
  indexed.keepIndex();
  await indexed.whenIndexed();
  const quarter = (await plain.currentQuarter()) as QuarterRef;
  const snapshot = await createCatalogueService(db).snapshot();
  const rows = await db.selectFrom("thd_immeuble").select("id").where("trimestre", "=", quarter.code).execute();
  return { plain, indexed, quarter, snapshot, buildingIds: rows.map((r) => r.id).sort() };
}
