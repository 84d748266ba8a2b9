import type { Insertable } from "kysely";
import type { AppDatabase } from "../../../shared/db/database.ts";
import type { TerritoireTable } from "../../territory/territory.tables.ts";
import type { ThdStatCommuneTable } from "../broadband.tables.ts";

/**
 * A small hand-made observatory: one département (61) with EPCI A (communes 61001–61005) and
 * EPCI B (61010), three quarters: 2018T1 published and real (FttH figures only), 2018T2 published
 * and simulated (every figure), 2018T3 a simulated draft. Totals are worked out in the tests.
 */
export const EPCI_A = "246100001";
export const EPCI_B = "246100002";

type Commune = [code: string, nom: string, epci: string, densite: number | null];
const COMMUNES: Commune[] = [
  ["61001", "Alpha", EPCI_A, 3],
  ["61002", "Bravo", EPCI_A, 4],
  ["61003", "Charlie", EPCI_A, 6],
  ["61004", "Delta", EPCI_A, 6],
  ["61005", "Echo", EPCI_A, 7],
  ["61010", "Foxtrot", EPCI_B, 5],
];

function territoire(row: Partial<Insertable<TerritoireTable>> & Pick<TerritoireTable, "niveau" | "code" | "nom">) {
  return {
    nom_recherche: row.nom.toLowerCase(),
    population: 1000,
    region: "28",
    departement: "61",
    epci: null,
    codes_postaux: "",
    centre_lon: 0.1,
    centre_lat: 48.5,
    surface_km2: 10,
    densite_insee_niveau: null,
    source_contour: "centre" as const,
    ...row,
  };
}

type Bins = [inel: number, b0_3: number, b3_8: number, b8_30: number, b30_100: number, b100: number];
type Techno = [cu: number, coax: number, ftth: number, g4f: number, thdr: number, sat: number];

function stat(
  trimestre: string,
  code_insee: string,
  locaux: number,
  ftth: [raccordables: number | null, demande: number | null, operateurs: number | null],
  bins?: { filaire: Bins; terrestre: Bins; toutes: Bins },
  techno?: Techno,
): Insertable<ThdStatCommuneTable> {
  const row: Record<string, unknown> = {
    trimestre,
    code_insee,
    // 61010 comes from another import, so that a territory can mix sources.
    source: bins ? (code_insee === "61010" ? "immeubles" : "mci-statistiques") : "arcep-ftth-communes",
    locaux,
    ftth_raccordables: ftth[0],
    ftth_raccordables_demande: ftth[1],
    ftth_operateurs_commerciaux: ftth[2],
  };
  const suffixes = ["inel", "0_3", "3_8", "8_30", "30_100", "100"];
  for (const variante of ["filaire", "terrestre", "toutes"] as const) {
    suffixes.forEach((s, i) => {
      row[`${variante}_${s}`] = bins ? bins[variante][i] : null;
    });
  }
  ["cu", "coax", "ftth", "4gf", "thdr", "sat"].forEach((t, i) => {
    row[`techno_${t}`] = techno ? techno[i] : null;
  });
  return row as Insertable<ThdStatCommuneTable>;
}

function fullQuarter(trimestre: string, draft: boolean): Insertable<ThdStatCommuneTable>[] {
  return [
    stat(
      trimestre,
      "61001",
      1000,
      [600, 400, 2],
      {
        filaire: [0, 100, 100, 200, 300, 300],
        terrestre: [0, 50, 50, 200, 350, 350],
        toutes: [0, 0, 0, 200, 400, 400],
      },
      [900, 0, 600, 100, 0, 1000],
    ),
    stat(
      trimestre,
      "61002",
      500,
      [200, 100, 1],
      {
        filaire: [10, 90, 100, 100, 100, 100],
        terrestre: [0, 100, 100, 100, 100, 100],
        toutes: [0, 0, 0, 200, 200, 100],
      },
      [500, 0, 200, 0, 0, 500],
    ),
    stat(
      trimestre,
      "61003",
      300,
      [0, null, 0],
      {
        filaire: [30, 120, 90, 60, 0, 0],
        terrestre: [30, 120, 90, 60, 0, 0],
        // The draft quarter moves 200 premises of 61003 to 100 Mbit/s and more (satellite).
        toutes: draft ? [0, 0, 0, 100, 0, 200] : [0, 0, 0, 300, 0, 0],
      },
      [300, 0, 0, 0, 0, 300],
    ),
    stat(
      trimestre,
      "61004",
      200,
      [200, 0, null],
      { filaire: [0, 0, 0, 0, 0, 200], terrestre: [0, 0, 0, 0, 0, 200], toutes: [0, 0, 0, 0, 0, 200] },
      [200, 0, 200, 0, 0, 200],
    ),
    stat(
      trimestre,
      "61010",
      400,
      [100, 0, 1],
      {
        filaire: [0, 0, 100, 100, 100, 100],
        terrestre: [0, 0, 100, 100, 100, 100],
        toutes: [0, 0, 100, 100, 100, 100],
      },
      [400, 0, 100, 0, 0, 400],
    ),
  ];
}

export async function insertObservatoryFixture(db: AppDatabase): Promise<void> {
  await db
    .insertInto("territoire")
    .values([
      territoire({ niveau: "regions", code: "28", nom: "Normandie", departement: null }),
      territoire({ niveau: "departements", code: "61", nom: "Orne" }),
      territoire({ niveau: "epci", code: EPCI_A, nom: "CC Alpha", epci: EPCI_A }),
      territoire({ niveau: "epci", code: EPCI_B, nom: "CC Foxtrot", epci: EPCI_B }),
      ...COMMUNES.map(([code, nom, epci, densite], i) =>
        territoire({ niveau: "communes", code, nom, epci, densite_insee_niveau: densite, centre_lon: 0.1 + i / 100 }),
      ),
    ])
    .execute();
  await db
    .insertInto("territoire_contour")
    .values({
      niveau: "communes",
      code: "61001",
      geometrie: JSON.stringify({
        type: "Polygon",
        coordinates: [
          [
            [0, 48],
            [0.2, 48],
            [0.2, 48.2],
            [0, 48],
          ],
        ],
      }),
    })
    .execute();
  await db
    .insertInto("thd_trimestre")
    .values([
      { code: "2018T1", statut: "publie", cree_le: "2018-04-01", publie_le: "2018-07-01", publie_par: null, simule: 0 },
      { code: "2018T2", statut: "publie", cree_le: "2018-07-01", publie_le: "2018-10-01", publie_par: null, simule: 1 },
      { code: "2018T3", statut: "brouillon", cree_le: "2018-10-01", publie_le: null, publie_par: null, simule: 1 },
    ])
    .execute();
  await db
    .insertInto("thd_stat_commune")
    .values([
      stat("2018T1", "61001", 1000, [300, null, null]),
      stat("2018T1", "61002", 500, [100, null, null]),
      stat("2018T1", "61003", 300, [0, null, null]),
      stat("2018T1", "61004", 200, [100, null, null]),
      stat("2018T1", "61005", 100, [0, null, null]),
      ...fullQuarter("2018T2", false),
      ...fullQuarter("2018T3", true),
    ])
    .execute();
  await db
    .insertInto("thd_operateur")
    .values([
      { code: "OIA", nom: "Opérateur A" },
      { code: "OIB", nom: "Opérateur B" },
    ])
    .execute();
  await db
    .insertInto("thd_stat_commune_oi")
    .values([
      { trimestre: "2018T2", code_insee: "61001", operateur: "OIA", ftth_raccordables: 600 },
      { trimestre: "2018T2", code_insee: "61002", operateur: "OIA", ftth_raccordables: 100 },
      { trimestre: "2018T2", code_insee: "61002", operateur: "OIB", ftth_raccordables: 100 },
      { trimestre: "2018T2", code_insee: "61004", operateur: "OIB", ftth_raccordables: 200 },
      { trimestre: "2018T2", code_insee: "61010", operateur: "OIB", ftth_raccordables: 100 },
    ])
    .execute();
  // The copper calendar is imported once (2018T1) and read for later quarters.
  await db
    .insertInto("thd_fermeture_cuivre")
    .values([
      {
        trimestre: "2018T1",
        code_insee: "61001",
        lot: "L1",
        fermeture_commerciale: "2018-03-01",
        fermeture_technique: "2018-11-30",
      },
      {
        trimestre: "2018T1",
        code_insee: "61004",
        lot: "L2",
        fermeture_commerciale: "2019-11-30",
        fermeture_technique: "2020-11-30",
      },
    ])
    .execute();
  const site = (id: string, type: "college" | "sante" | "enseignement_superieur", code: string, le: string | null) => ({
    trimestre: "2018T2",
    id,
    type,
    nom: `Site ${id}`,
    adresse: null,
    code_insee: code,
    lon: 0.1,
    lat: 48.5,
    immeuble_id: null,
    raccorde_le: le,
  });
  await db
    .insertInto("thd_site_strategique")
    .values([
      site("C1", "college", "61001", "2018-05-01"),
      site("C2", "college", "61003", null),
      site("H1", "sante", "61002", "2019-01-15"),
      site("U1", "enseignement_superieur", "61010", "2017-01-01"),
    ])
    .execute();
}

/**
 * For the authorization matrix (Normandy territories imported): one published quarter with one
 * commune's figures, created once.
 */
export async function ensureMatrixObservatory(db: AppDatabase): Promise<void> {
  const existing = await db.selectFrom("thd_trimestre").select("code").where("code", "=", "2018T1").executeTakeFirst();
  if (existing) return;
  await db
    .insertInto("thd_trimestre")
    .values({
      code: "2018T1",
      statut: "publie",
      cree_le: "2018-04-01",
      publie_le: "2018-07-01",
      publie_par: null,
      simule: 1,
    })
    .execute();
  await db
    .insertInto("thd_stat_commune")
    .values(stat("2018T1", "14118", 1000, [300, null, null]))
    .execute();
}
