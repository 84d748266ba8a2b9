import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { describeEachDatabase } from "../../../shared/testing/test-databases.ts";
import { importMciStatistiques, mciStatisticsFiles } from "./import-mci-statistiques.service.ts";
import { thresholdsToBins } from "./mci-statistiques-format.ts";

const root = mkdtempSync(path.join(tmpdir(), "thd-mci-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
function write(dir: string, name: string, content: string | Buffer): string {
  mkdirSync(path.join(root, dir), { recursive: true });
  const p = path.join(root, dir, name);
  writeFileSync(p, content);
  return p;
}

const HEADER =
  "code_insee;nom_com;code_dep;code_reg;nbr;type;date;inel_hd;elig_hd05;elig_hd3;elig_bhd8;elig_thd30;elig_thd100;elig_thd1g";
// Caen: 1000 premises; cumulative thresholds. Tessy-Bocage 50592 and its former commune Pont-Farcy 14513.
const FILAIRE = `${HEADER}
14118;Caen;14;28;1000;all;2024-12-31;10;990;950;900;800;600;500
14118;Caen;14;28;900;log;2024-12-31;9;891;850;800;700;500;400
50592;Tessy-Bocage;50;28;300;all;2024-12-31;30;270;200;150;60;20;0
14513;Pont-Farcy;14;28;100;all;2024-12-31;0;100;90;80;10;0;0
35238;Rennes;35;53;5000;all;2024-12-31;0;5000;5000;5000;5000;5000;4000
`;
const TOUTES = `${HEADER}
14118;Caen;14;28;1000;all;2024-12-31;0;1000;1000;1000;1000;600;500
50592;Tessy-Bocage;50;28;300;all;2024-12-31;0;300;300;300;300;20;0
14513;Pont-Farcy;14;28;100;all;2024-12-31;0;100;100;100;100;0;0
`;
// 2020 column names: elig_4fg, elig_hdr.
const TECHNO = `code_insee;nom_com;code_dep;code_reg;nbr;type;date;elig_cu;elig_coax;elig_ftth_rac;elig_ftth_rad;elig_4fg;elig_thdr;elig_hdr;elig_sat
14118;Caen;14;28;1000;all;2024-12-31;990;300;600;20;500;0;0;1000
50592;Tessy-Bocage;50;28;300;all;2024-12-31;270;0;20;5;250;30;0;300
14513;Pont-Farcy;14;28;100;all;2024-12-31;100;0;0;0;90;0;0;100
`;

describe("classes MCI", () => {
  it("convertit les seuils cumulés en classes qui somment à nbr", () => {
    const result = thresholdsToBins({
      nbr: 1000,
      inel_hd: 10,
      elig_hd05: 990,
      elig_hd3: 950,
      elig_bhd8: 900,
      elig_thd30: 800,
      elig_thd100: 600,
    });
    expect(result).toEqual({ bins: { inel: 10, "0_3": 40, "3_8": 50, "8_30": 100, "30_100": 200, "100": 600 } });
    expect(
      thresholdsToBins({
        nbr: 10,
        inel_hd: 0,
        elig_hd05: 10,
        elig_hd3: 5,
        elig_bhd8: 6,
        elig_thd30: 0,
        elig_thd100: 0,
      }),
    ).toEqual({ incoherent: "elig_bhd8" });
  });
});

describeEachDatabase("Statistiques communales MCI", (ctx) => {
  const dir = "2024_T4";
  write(dir, "commune_debit_filaire.csv", FILAIRE);
  write(dir, "commune_debit.csv", TOUTES);
  write(dir, "commune_techno.csv", TECHNO);
  write(dir, "commune.csv", "ignoré");
  const count = async () =>
    Number(
      (
        await ctx.db
          .selectFrom("thd_stat_commune")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it("écrit les classes (seuils cumulés convertis), les technologies et les raccordables, communes fusionnées additionnées", async () => {
    const fichiers = mciStatisticsFiles([path.join(root, dir)]);
    expect(fichiers.map((f) => path.basename(f))).toEqual([
      "commune_debit.csv",
      "commune_debit_filaire.csv",
      "commune_techno.csv",
    ]);
    const result = await importMciStatistiques(ctx.db, { trimestre: "2024T4", fichiers, simule: true });
    expect(result).toMatchObject({ statut: "importe", details: { communes: 2, autresRegions: 1, autresTypes: 1 } });
    const rows = await ctx.db
      .selectFrom("thd_stat_commune")
      .selectAll()
      .where("trimestre", "=", "2024T4")
      .orderBy("code_insee")
      .execute();
    expect(rows.map((r) => r.code_insee)).toEqual(["14118", "50592"]);
    expect(rows[0]).toMatchObject({
      source: "mci-statistiques",
      locaux: 1000,
      filaire_inel: 10,
      filaire_0_3: 40,
      filaire_3_8: 50,
      filaire_8_30: 100,
      filaire_30_100: 200,
      filaire_100: 600,
      toutes_inel: 0,
      toutes_0_3: 0,
      toutes_30_100: 400,
      toutes_100: 600,
      terrestre_inel: null,
      techno_cu: 990,
      techno_coax: 300,
      techno_ftth: 600,
      techno_4gf: 500,
      techno_sat: 1000,
      ftth_raccordables: 600,
      ftth_raccordables_demande: 20,
    });
    // 50592 = Tessy-Bocage (300) + Pont-Farcy (100): thresholds summed before binning give the same bins.
    expect(rows[1]).toMatchObject({
      locaux: 400,
      filaire_inel: 30,
      filaire_0_3: 80, // (300-30-200) + (100-0-90)
      filaire_3_8: 60,
      filaire_8_30: 160,
      filaire_30_100: 50,
      filaire_100: 20,
      techno_4gf: 340,
      techno_thdr: 30,
      ftth_raccordables: 20,
    });
    const quarter = await ctx.db
      .selectFrom("thd_trimestre")
      .selectAll()
      .where("code", "=", "2024T4")
      .executeTakeFirstOrThrow();
    expect(quarter.simule).toBe(1);

    const before = await count();
    const again = await importMciStatistiques(ctx.db, { trimestre: "2024T4", fichiers, simule: true });
    expect(again.statut).toBe("deja_importe");
    expect(await count()).toBe(before);
    const imports = await ctx.db.selectFrom("thd_import").select("format").where("trimestre", "=", "2024T4").execute();
    expect(imports).toHaveLength(1);
  });

  const refusals: [string, string | Buffer, Record<string, unknown>][] = [
    [
      "séparateur « , »",
      FILAIRE.replaceAll(";", ","),
      { ligne: 1, champ: "en-tête", message: expect.stringContaining("séparateur") },
    ],
    [
      "texte windows-1252",
      Buffer.from(`${HEADER}\n14118;Hérouville;14;28;10;all;2024-12-31;0;10;10;10;10;10;0\n`, "latin1"),
      { ligne: 2, champ: "encodage", message: expect.stringContaining("UTF-8") },
    ],
    [
      "commune inconnue",
      `${HEADER}\n14118;Caen;14;28;10;all;2024-12-31;0;10;10;10;10;10;0\n14999;Nulle-part;14;28;10;all;2024-12-31;0;10;10;10;10;10;0\n`,
      { ligne: 3, champ: "code_insee", valeur: "14999" },
    ],
    [
      "nombre mal formé",
      `${HEADER}\n14118;Caen;14;28;10;all;2024-12-31;0;10;1O;10;10;10;0\n`,
      { ligne: 2, champ: "elig_hd3", valeur: "1O", message: "nombre entier positif attendu" },
    ],
  ];
  for (const [label, content, expected] of refusals) {
    it(`refuse un fichier (${label}) avec un rapport qui nomme ligne et champ, et n'écrit rien`, async () => {
      const before = await count();
      const f = write(`mauvais-${label.replace(/\W+/g, "-")}`, "commune_debit_filaire.csv", content);
      const result = await importMciStatistiques(ctx.db, { trimestre: "2025T1", fichiers: [f] });
      expect(result.statut).toBe("refuse");
      if (result.statut !== "refuse") return;
      expect(result.rapport[0]).toMatchObject({ fichier: "commune_debit_filaire.csv", ...expected });
      expect(await count()).toBe(before);
      expect(await ctx.db.selectFrom("thd_trimestre").select("code").where("code", "=", "2025T1").execute()).toEqual(
        [],
      );
    });
  }
});
