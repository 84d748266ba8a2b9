import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseConfig } from "../../../shared/config/config.ts";
import { type OpenedDatabase, openDatabase } from "../../../shared/db/database.ts";
import {
  createScratchDatabase,
  describeEachDatabase,
  type ScratchDatabase,
  testDialects,
} from "../../../shared/testing/test-databases.ts";
import { communeResolver } from "../import-common/commune-codes.ts";
import { importArcepFtth } from "./import-arcep-ftth.service.ts";

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, "../../../../bin/territoire.js");
const REFERENCE = path.resolve(import.meta.dirname, "../reference-data");
const NORMANDIE = ["14", "27", "50", "61", "76"];

/** ARCEP's own per-département T1 2018 figures, read from its département file. */
function arcepDepartementTotals(): Record<string, number> {
  const lines = readFileSync(path.join(REFERENCE, "ftthDepartements.csv"), "utf8").split(/\r?\n/);
  const header = lines.findIndex((l) => l.startsWith("Code département"));
  const column = (lines[header] as string).split(",").indexOf("T1 2018");
  const out: Record<string, number> = {};
  for (const line of lines.slice(header + 1)) {
    const f = line.split(",");
    if (f[1] === "Locaux Raccordables" && NORMANDIE.includes(f[0] as string)) out[f[0] as string] = Number(f[column]);
  }
  return out;
}

const urlOf = (config: DatabaseConfig) =>
  config.dialect === "sqlite" ? `sqlite:${config.filename}` : config.connectionString;

for (const dialect of testDialects()) {
  describe(`ARCEP FttH par commune, base vide, par la CLI [${dialect}]`, () => {
    let scratch: ScratchDatabase;
    let opened: OpenedDatabase;
    let stdout = "";
    beforeAll(async () => {
      scratch = await createScratchDatabase(dialect);
      const result = await run(
        process.execPath,
        [BIN, "import", "arcep-ftth", path.join(REFERENCE, "ftthCommunes.csv"), "--trimestre", "2018T1"],
        { env: { ...process.env, DATABASE_URL: urlOf(scratch.config), TERRITOIRE_REGION: "28" }, timeout: 120_000 },
      );
      stdout = result.stdout.replace(/[\u00a0\u202f]/g, " ");
      opened = openDatabase(scratch.config);
    }, 120_000);
    afterAll(async () => {
      await opened?.close();
      await scratch?.drop();
    });

    it("donne, par département, exactement les raccordables FttH T1 2018 du fichier départemental de l'ARCEP", async () => {
      const rows = await opened.db
        .selectFrom("thd_stat_commune")
        .select(["code_insee", "ftth_raccordables", "source"])
        .where("trimestre", "=", "2018T1")
        .execute();
      const resolver = communeResolver("28");
      const totals: Record<string, number> = {};
      for (const r of rows) {
        const dep = resolver.departementOf(r.code_insee);
        totals[dep] = (totals[dep] ?? 0) + Number(r.ftth_raccordables);
      }
      expect(totals).toEqual(arcepDepartementTotals());
      expect(totals).toEqual({ "14": 181_570, "27": 24_724, "50": 42_205, "61": 20_215, "76": 134_822 });
      expect(new Set(rows.map((r) => r.source))).toEqual(new Set(["arcep-ftth-communes"]));
      // Every row is a COG 2026 commune of the région.
      const current = new Set(resolver.cog.communes.map((c) => c.code));
      expect(rows.every((r) => current.has(r.code_insee))).toBe(true);
      expect(stdout).toMatch(/communes d'autres régions ignorées/);
      expect(stdout).toContain("14 → 181 570");
      // Sannerville, restored in 2020, is counted within Saline in the 2018 file: said, not hidden.
      expect(stdout).toMatch(/Sans chiffre dans le fichier[^\n]*14666/);
      const imports = await opened.db.selectFrom("thd_import").select(["trimestre", "format"]).execute();
      expect(imports).toEqual([{ trimestre: "2018T1", format: "arcep-ftth-communes" }]);
    });
  });
}

const dir = mkdtempSync(path.join(tmpdir(), "thd-arcep-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, content: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

const TITLE = "Réseaux en fibre optique jusqu'à l'abonné (FttH),,,,\nDéploiement par Commune,,,,\n,,,,\n,,,,\n";

describeEachDatabase("ARCEP FttH par commune : codes anciens, communes.csv, rejets", (ctx) => {
  it("additionne les communes fusionnées, prend les locaux de communes.csv et l'OI unique", async () => {
    // 14712 Saline; 50592 Tessy-Bocage with Pont-Farcy 14513 (moved from the Calvados); 35238 Rennes (skipped).
    const ftth = file(
      "ftthCommunes.csv",
      `${TITLE}Code commune,Champ,T4 2017,T1 2018\n14712,Locaux Raccordables,"1\u00a0356",1359\n14712,Catégorie,50,50\n50592,Locaux Raccordables,-,10\n14513,Locaux Raccordables,5,7\n35238,Locaux Raccordables,100,200\n`,
    );
    const communes = file(
      "communes.csv",
      `Réseaux,,,,,,,,,,,,\nInfos,,,,,,,,,,,,\n,,,,,,,,,,,,\nCode commune,Nom commune,Code région,Code département,Siren EPCI,Logements,Établissements,Zones très denses,Engagements L. 33-13,Intentions privées hors engagement L. 33-13,Commune rurale,Commune de montagne,OI 2018 T1\n14712,Saline,28,14,200065597, 2\u00a0289    , 115    , -    ,FRTE , -    , -    , -    ,DSP1\n50592,Tessy-Bocage,28,50,1, 800    , 20    , -    , -    , -    , 1    , -    ,MAFI\n14513,Pont-Farcy,28,14,1, 200    , -    , -    , -    , -    , 1    , -    ,DSP1-FRTE\n`,
    );
    const results = await importArcepFtth(ctx.db, { fichier: ftth, communes, region: "28" });
    expect(results.map((r) => r.statut)).toEqual(["importe", "importe"]);
    const rows = await ctx.db
      .selectFrom("thd_stat_commune")
      .select(["trimestre", "code_insee", "locaux", "ftth_raccordables"])
      .orderBy("trimestre")
      .orderBy("code_insee")
      .execute();
    expect(rows).toEqual([
      { trimestre: "2017T4", code_insee: "14712", locaux: 2404, ftth_raccordables: 1356 },
      { trimestre: "2017T4", code_insee: "50592", locaux: 1020, ftth_raccordables: 5 },
      { trimestre: "2018T1", code_insee: "14712", locaux: 2404, ftth_raccordables: 1359 },
      { trimestre: "2018T1", code_insee: "50592", locaux: 1020, ftth_raccordables: 17 },
    ]);
    const oi = await ctx.db.selectFrom("thd_stat_commune_oi").selectAll().orderBy("code_insee").execute();
    // The OI column is T1 2018's; Pont-Farcy's "DSP1-FRTE" names two operators, so its share is not attributed.
    expect(oi).toEqual([
      { trimestre: "2018T1", code_insee: "14712", operateur: "DSP1", ftth_raccordables: 1359 },
      { trimestre: "2018T1", code_insee: "50592", operateur: "MAFI", ftth_raccordables: 10 },
    ]);
    const first = results[0];
    if (first?.statut === "importe")
      expect(first.details).toMatchObject({ autresRegions: 1, codesRattaches: 1, communes: 2 });

    const again = await importArcepFtth(ctx.db, { fichier: ftth, communes, region: "28" });
    expect(again.map((r) => r.statut)).toEqual(["deja_importe", "deja_importe"]);
  });

  it("signale, ligne et champ nommés, une commune de la région introuvable et un nombre mal formé, sans rien écrire", async () => {
    const before = await ctx.db
      .selectFrom("thd_stat_commune")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    const ftth = file(
      "ftthCommunes-mauvais.csv",
      `${TITLE}Code commune,Champ,T3 2018\n14118,Locaux Raccordables,12\n14999,Locaux Raccordables,3\n61001,Locaux Raccordables,1.5\n`,
    );
    const [result] = await importArcepFtth(ctx.db, { fichier: ftth, region: "28" });
    expect(result?.statut).toBe("refuse");
    if (result?.statut !== "refuse") return;
    expect(result.rapport).toEqual([
      {
        fichier: "ftthCommunes-mauvais.csv",
        ligne: 7,
        champ: "Code commune",
        valeur: "14999",
        message: "commune inconnue du COG 2026 (ni actuelle, ni ancienne, ni déléguée)",
      },
      {
        fichier: "ftthCommunes-mauvais.csv",
        ligne: 8,
        champ: "T3 2018",
        valeur: "1.5",
        message: "nombre de locaux attendu (chiffres, « - » pour zéro)",
      },
    ]);
    const after = await ctx.db
      .selectFrom("thd_stat_commune")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect(await ctx.db.selectFrom("thd_trimestre").select("code").where("code", "=", "2018T3").execute()).toEqual([]);
  });
});
