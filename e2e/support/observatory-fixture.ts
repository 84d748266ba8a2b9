import type { AppDatabase } from "../../src/shared/db/database.ts";

// A small observatory fixture: the 9 communes of the CC Caux - Austreberthe (Seine-Maritime), three
// published quarters (the last one simulated), a few strategic sites and copper-closure dates.
export const EPCI = "247600646";
const COMMUNES = ["76057", "76495", "76743", "76385", "76135", "76234", "76099", "76566", "76311"];
const QUARTERS = [
  { code: "2017T4", simule: 0 },
  { code: "2018T1", simule: 0 },
  { code: "2018T2", simule: 1 },
];
const VARIANT_THD_START = { filaire: 0.15, terrestre: 0.2, toutes: 0.25 } as const;
export type Variant = keyof typeof VARIANT_THD_START;

function communeRow(quarterIndex: number, communeIndex: number) {
  const locaux = 1000 + 100 * communeIndex;
  const row: Record<string, number | string | null> = {
    trimestre: QUARTERS[quarterIndex]?.code ?? "",
    code_insee: COMMUNES[communeIndex] ?? "",
    source: "parcours-e2e",
    locaux,
    ftth_raccordables: Math.round(locaux * (0.1 + 0.15 * quarterIndex)),
    ftth_raccordables_demande: 0,
    techno_cu: locaux,
    techno_coax: 0,
    techno_ftth: Math.round(locaux * (0.1 + 0.15 * quarterIndex)),
    techno_4gf: Math.round(locaux * 0.5),
    techno_thdr: 0,
    techno_sat: locaux,
  };
  for (const [variant, start] of Object.entries(VARIANT_THD_START)) {
    const bins = {
      inel: variant === "toutes" ? 0 : 10,
      "3_8": Math.round(locaux * 0.1),
      "8_30": Math.round(locaux * 0.3),
      "30_100": Math.round(locaux * 0.1),
      "100": Math.round(locaux * (start + 0.1 * quarterIndex)),
    };
    const zeroToThree = locaux - Object.values(bins).reduce((a, b) => a + b, 0);
    for (const [bin, count] of Object.entries({ ...bins, "0_3": zeroToThree })) row[`${variant}_${bin}`] = count;
  }
  return row;
}

const ROWS = QUARTERS.map((_, q) => COMMUNES.map((_, c) => communeRow(q, c)));

const round2 = (value: number) => Math.round(value * 100) / 100;
const percent = new Intl.NumberFormat("fr-FR", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const integer = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 0 });
const sum = (rows: Record<string, unknown>[], column: string) =>
  rows.reduce((total, r) => total + Number(r[column]), 0);

/** What the page must show for a quarter and variant, computed from the fixture. */
export function expected(quarterIndex: number, variant: Variant) {
  const rows = ROWS[quarterIndex] ?? [];
  const locaux = sum(rows, "locaux");
  const thd = sum(rows, `${variant}_30_100`) + sum(rows, `${variant}_100`);
  const ftth = sum(rows, "ftth_raccordables");
  return {
    locaux: integer.format(locaux),
    thd: `${percent.format(round2((100 * thd) / locaux))} %`,
    ftth: `${percent.format(round2((100 * ftth) / locaux))} %`,
  };
}

export async function writeObservatoryFixture(db: AppDatabase): Promise<void> {
  for (const quarter of QUARTERS) {
    await db
      .insertInto("thd_trimestre")
      .values({
        code: quarter.code,
        statut: "publie",
        cree_le: "2018-07-01T00:00:00.000Z",
        publie_le: "2018-07-02T00:00:00.000Z",
        publie_par: null,
        simule: quarter.simule,
      })
      .execute();
  }
  for (const rows of ROWS) await db.insertInto("thd_stat_commune").values(rows).execute();
  await db.insertInto("thd_operateur").values({ code: "SFR_FTTH", nom: "SFR FTTH" }).execute();
  for (const [q, quarter] of QUARTERS.entries()) {
    await db
      .insertInto("thd_stat_commune_oi")
      .values(
        COMMUNES.map((code, c) => ({
          trimestre: quarter.code,
          code_insee: code,
          operateur: "SFR_FTTH",
          ftth_raccordables: Number(ROWS[q]?.[c]?.ftth_raccordables),
        })),
      )
      .execute();
    await db
      .insertInto("thd_fermeture_cuivre")
      .values([
        {
          trimestre: quarter.code,
          code_insee: "76057",
          lot: "Lot 1",
          fermeture_commerciale: "2023-01-31",
          fermeture_technique: "2025-01-31",
        },
        {
          trimestre: quarter.code,
          code_insee: "76495",
          lot: "Lot 2",
          fermeture_commerciale: "2026-01-31",
          fermeture_technique: "2028-01-31",
        },
      ])
      .execute();
    await db
      .insertInto("thd_site_strategique")
      .values([
        {
          trimestre: quarter.code,
          id: "0760001A",
          type: "college",
          nom: "Collège Jules Ferry",
          adresse: "1 rue de l'École, 76360 Barentin",
          code_insee: "76057",
          lon: 0.955,
          lat: 49.545,
          immeuble_id: null,
          raccorde_le: "2017-11-15",
        },
        {
          trimestre: quarter.code,
          id: "0760002B",
          type: "college",
          nom: "Collège du Val",
          adresse: "2 rue du Val, 76720 Pavilly",
          code_insee: "76495",
          lon: 0.955,
          lat: 49.57,
          immeuble_id: null,
          raccorde_le: q >= 1 ? "2018-02-10" : null,
        },
        {
          trimestre: quarter.code,
          id: "760000001",
          type: "sante",
          nom: "Centre hospitalier de Barentin",
          adresse: "3 avenue de la Santé, 76360 Barentin",
          code_insee: "76057",
          lon: 0.96,
          lat: 49.55,
          immeuble_id: null,
          raccorde_le: null,
        },
      ])
      .execute();
  }
}
