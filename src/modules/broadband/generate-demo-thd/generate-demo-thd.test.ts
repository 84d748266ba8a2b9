import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadRegionCog } from "../../../shared/cog/cog-source.ts";
import { describeEachDatabase } from "../../../shared/testing/test-databases.ts";
import { generateDemoAddresses } from "../../addresses/generate-demo-addresses/generate-demo-addresses.ts";
import type { BroadbandTables } from "../broadband.tables.ts";
import { importIpe } from "../import-ipe/import-ipe.service.ts";
import { importMciBaseImb } from "../import-mci-base-imb/import-mci-base-imb.ts";
import { importMciEligibilite } from "../import-mci-eligibilite/import-mci-eligibilite.ts";
import { BROADBAND_REFERENCE_DIR } from "./demo-communes.ts";
import { type DemoThdManifest, generateDemoThd } from "./generate-demo-thd.ts";

// One generation of the whole région (statistics complete, per-building files for one EPCI of the
// Orne), shared by the checks below; every check reads the files written, as an importer would.
const EPCI = "200071652"; // CC du Pays Fertois et du Bocage Carrougien
const cog = loadRegionCog("28");
const epciCommunes = (cog.epcis.find((e) => e.code === EPCI)?.membres ?? []).map((m) => m.code);
const work = mkdtempSync(path.join(tmpdir(), "demo-thd-test-"));
let manifest: DemoThdManifest;
let addressFiles: string[];

beforeAll(() => {
  addressFiles = generateDemoAddresses({ outDir: path.join(work, "adresses") }).files.map((f) => f.file);
  manifest = generateDemoThd({
    outDir: path.join(work, "demo"),
    adresses: addressFiles,
    communesImmeubles: epciCommunes,
  }).manifest;
}, 600_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

type Row = Record<string, string>;
function readCsv(rel: string): Row[] {
  const [header, ...lines] = readFileSync(path.join(work, "demo", rel), "utf8")
    .trim()
    .split("\n");
  const names = (header ?? "").split(";");
  return lines.map((l) => {
    const f = l.split(";");
    return Object.fromEntries(names.map((n, i) => [n, f[i] ?? ""]));
  });
}
const statFile = (quarter: string, name: string) => readCsv(`statistiques/${quarter.replace("T", "_T")}/${name}`);
const num = (r: Row, k: string) => Number(r[k]);

/** Observatory bins from a cumulative MCI speed row. */
function bins(r: Row): number[] {
  const nbr = num(r, "nbr");
  return [
    num(r, "inel_hd"),
    nbr - num(r, "inel_hd") - num(r, "elig_hd3"),
    num(r, "elig_hd3") - num(r, "elig_bhd8"),
    num(r, "elig_bhd8") - num(r, "elig_thd30"),
    num(r, "elig_thd30") - num(r, "elig_thd100"),
    num(r, "elig_thd100"),
  ];
}

// Reading 37 × 4 files of 2,644 communes takes a few seconds on a busy machine.
describe("Démonstration THD : statistiques de la région", { timeout: 60_000 }, () => {
  it("écrit 37 trimestres, de 2016T4 à 2025T4, pour les 2 644 communes", () => {
    expect(manifest.statistiques.map((q) => q.trimestre)).toHaveLength(37);
    expect(manifest.statistiques[0]?.trimestre).toBe("2016T4");
    expect(manifest.statistiques.at(-1)?.trimestre).toBe("2025T4");
    expect(statFile("2016T4", "commune_debit.csv")).toHaveLength(2644);
  });

  it("2016T4 : les parts par classe de débit (toutes technologies) sont celles du plan à ±0,5 point", () => {
    const plan: Record<string, number[]> = {
      "14": [0.7, 9.0, 7.0, 22.9, 15.0, 45.4],
      "27": [1.2, 15.9, 11.7, 46.2, 23.1, 1.9],
      "50": [1.7, 19.8, 13.8, 40.2, 18.8, 5.7],
      "61": [1.1, 14.7, 9.8, 39.8, 26.8, 7.8],
      "76": [0.6, 12.0, 10.8, 35.5, 15.1, 26.0],
    };
    const sums = new Map<string, number[]>();
    for (const r of statFile("2016T4", "commune_debit.csv")) {
      const s = sums.get(r.code_dep as string) ?? [0, 0, 0, 0, 0, 0, 0];
      bins(r).forEach((v, i) => {
        s[i] = (s[i] as number) + v;
      });
      s[6] = (s[6] as number) + num(r, "nbr");
      sums.set(r.code_dep as string, s);
    }
    for (const [dep, expected] of Object.entries(plan)) {
      const s = sums.get(dep) as number[];
      const shares = s.slice(0, 6).map((v) => (100 * v) / (s[6] as number));
      shares.forEach((share, i) => {
        expect(Math.abs(share - (expected[i] as number)), `${dep} classe ${i}`).toBeLessThanOrEqual(0.5);
      });
    }
  });

  it("2016T4 : filaire et terrestre restent en dessous de toutes technologies", () => {
    const byCode = (name: string) => new Map(statFile("2016T4", name).map((r) => [r.code_insee, r]));
    const toutes = byCode("commune_debit.csv");
    const terrestre = byCode("commune_debit_terrestre.csv");
    const filaire = byCode("commune_debit_filaire.csv");
    for (const [code, t] of toutes) {
      for (const k of ["elig_hd05", "elig_hd3", "elig_bhd8", "elig_thd30", "elig_thd100"]) {
        expect(num(terrestre.get(code) as Row, k), `${code} ${k}`).toBeLessThanOrEqual(num(t, k));
        expect(num(filaire.get(code) as Row, k), `${code} ${k}`).toBeLessThanOrEqual(
          num(terrestre.get(code) as Row, k),
        );
      }
    }
  });

  it("T3 2017, T4 2017 et T1 2018 : les locaux raccordables FttH sont ceux de l'ARCEP, commune par commune", () => {
    // Read independently from the ARCEP file: old codes summed onto today's communes.
    const expected = new Map<string, number[]>();
    for (const line of readFileSync(path.join(BROADBAND_REFERENCE_DIR, "ftthCommunes.csv"), "utf8").split(/\r?\n/)) {
      const f = line.split(",");
      if (f[1] !== "Locaux Raccordables") continue;
      const code = cog.currentCommuneCode(f[0] as string);
      if (!code) continue;
      const v = expected.get(code) ?? [0, 0, 0];
      for (let i = 0; i < 3; i++) v[i] = (v[i] as number) + (Number((f[2 + i] ?? "").replace(/\D/g, "")) || 0);
      expected.set(code, v);
    }
    const departements = new Map<string, number>();
    ["2017T3", "2017T4", "2018T1"].forEach((quarter, i) => {
      for (const r of statFile(quarter, "commune_techno.csv")) {
        expect(num(r, "elig_ftth_rac"), `${quarter} ${r.code_insee}`).toBe(
          expected.get(r.code_insee as string)?.[i] ?? 0,
        );
        if (quarter === "2018T1")
          departements.set(
            r.code_dep as string,
            (departements.get(r.code_dep as string) ?? 0) + num(r, "elig_ftth_rac"),
          );
      }
    });
    // ARCEP's own département file, T1 2018.
    expect(Object.fromEntries(departements)).toEqual({
      "14": 181_570,
      "27": 24_724,
      "50": 42_205,
      "61": 20_215,
      "76": 134_822,
    });
  });

  it("2025T4 : au moins 99 % des locaux raccordables en FttH dans chaque département, satellite partout", () => {
    const deps = new Map<string, [number, number]>();
    for (const r of statFile("2025T4", "commune_techno.csv")) {
      const d = deps.get(r.code_dep as string) ?? [0, 0];
      deps.set(r.code_dep as string, [d[0] + num(r, "elig_ftth_rac"), d[1] + num(r, "nbr")]);
      expect(num(r, "elig_sat")).toBe(num(r, "nbr"));
    }
    for (const [dep, [ftth, total]] of deps) expect(ftth / total, dep).toBeGreaterThanOrEqual(0.99);
    const series = manifest.statistiques.map((q) =>
      statFile(q.trimestre, "commune_techno.csv").reduce((s, r) => s + num(r, "elig_ftth_rac"), 0),
    );
    // From T1 2018 on, the build-out only grows.
    for (let i = 6; i < series.length; i++) expect(series[i]).toBeGreaterThanOrEqual(series[i - 1] as number);
  });

  it("fermeture du cuivre : les premières communes fermées sont entièrement raccordables", () => {
    const fermeture = readCsv(manifest.fermetureCuivre.fichier);
    const techno = new Map(statFile("2025T4", "commune_techno.csv").map((r) => [r.code_insee, r]));
    const closed = fermeture.filter((r) => r.fermeture_technique && r.fermeture_technique <= "2025-12-31");
    expect(closed.length).toBeGreaterThan(0);
    for (const r of closed) {
      const t = techno.get(r.code_insee) as Row;
      expect(num(t, "elig_ftth_rac")).toBe(num(t, "nbr"));
      expect(num(t, "elig_cu")).toBe(0);
    }
  });
});

describe("Démonstration THD : déterminisme", () => {
  it("même graine, mêmes octets", () => {
    const orne = generateDemoAddresses({ outDir: path.join(work, "adresses-61"), departements: ["61"] }).files.map(
      (f) => f.file,
    );
    const run = (dir: string) =>
      generateDemoThd({
        outDir: path.join(work, dir),
        adresses: orne,
        departements: ["61"],
        communesImmeubles: epciCommunes,
      });
    run("a");
    run("b");
    const digest = (dir: string) => {
      const files: string[] = [];
      const walk = (d: string) => {
        for (const f of readdirSync(d).sort()) {
          const full = path.join(d, f);
          if (statSync(full).isDirectory()) walk(full);
          else
            files.push(`${path.relative(dir, full)} ${createHash("sha256").update(readFileSync(full)).digest("hex")}`);
        }
      };
      walk(dir);
      return files;
    };
    const a = digest(path.join(work, "a"));
    expect(a.length).toBeGreaterThan(150);
    expect(digest(path.join(work, "b"))).toEqual(a);
  }, 300_000);
});

describeEachDatabase("Démonstration THD : immeubles d'un EPCI", (ctx) => {
  const db = () => ctx.db as Kysely<BroadbandTables>;
  const file = (rel: string) => path.join(work, "demo", rel);

  it("l'agrégat des fichiers par immeuble (base_imb, IPE, éligibilité) égale les statistiques 2025T4", async () => {
    const files = manifest.immeubles;
    expect(files?.baseImb).toEqual(["immeubles/2025_T4/base_imb_61.csv"]);
    if (!files) return;
    const options = { trimestre: "2025T4", simule: true };
    expect((await importMciBaseImb(ctx.db, { ...options, fichier: files.baseImb.map(file) })).statut).toBe("importe");
    expect((await importIpe(ctx.db, { ...options, fichier: files.ipe.map(file) })).statut).toBe("importe");
    expect((await importMciEligibilite(ctx.db, { ...options, fichier: files.eligibilite.map(file) })).statut).toBe(
      "importe",
    );

    const stored = await db()
      .selectFrom("thd_stat_commune")
      .selectAll()
      .where("trimestre", "=", "2025T4")
      .orderBy("code_insee")
      .execute();
    expect(stored.map((r) => r.code_insee)).toEqual([...epciCommunes].sort());
    const toutes = new Map(statFile("2025T4", "commune_debit.csv").map((r) => [r.code_insee, r]));
    const terrestre = new Map(statFile("2025T4", "commune_debit_terrestre.csv").map((r) => [r.code_insee, r]));
    const filaire = new Map(statFile("2025T4", "commune_debit_filaire.csv").map((r) => [r.code_insee, r]));
    const techno = new Map(statFile("2025T4", "commune_techno.csv").map((r) => [r.code_insee, r]));
    const classes = ["inel", "0_3", "3_8", "8_30", "30_100", "100"] as const;
    for (const s of stored) {
      const t = techno.get(s.code_insee) as Row;
      expect(Number(s.locaux), s.code_insee).toBe(num(t, "nbr"));
      for (const [variant, rows] of [
        ["toutes", toutes],
        ["terrestre", terrestre],
        ["filaire", filaire],
      ] as const) {
        const expected = bins(rows.get(s.code_insee) as Row);
        const got = classes.map((c) => Number(s[`${variant}_${c}`]));
        expect(got, `${s.code_insee} ${variant}`).toEqual(expected);
      }
      expect(Number(s.ftth_raccordables)).toBe(num(t, "elig_ftth_rac"));
      expect(Number(s.ftth_raccordables_demande)).toBe(num(t, "elig_ftth_rad"));
      expect(Number(s.techno_ftth)).toBe(num(t, "elig_ftth_rac"));
      expect(Number(s.techno_cu)).toBe(num(t, "elig_cu"));
      expect(Number(s.techno_coax)).toBe(num(t, "elig_coax"));
      expect(Number(s.techno_4gf)).toBe(num(t, "elig_4gf"));
      expect(Number(s.techno_thdr)).toBe(num(t, "elig_thdr"));
      expect(Number(s.techno_sat)).toBe(num(t, "elig_sat"));
    }
    // The planned (not yet deployed) buildings carry a planned date; the deployed ones a PM opening date.
    const states = await db()
      .selectFrom("thd_immeuble")
      .select(["etat_ftth", "date_mes_commerciale", "date_prevue"])
      .where("trimestre", "=", "2025T4")
      .execute();
    for (const b of states) {
      if (b.etat_ftth === "deploye")
        expect(b.date_mes_commerciale && b.date_mes_commerciale <= "2025-12-31").toBe(true);
      if (b.etat_ftth === "en_cours" || b.etat_ftth === "cible")
        expect(b.date_prevue && b.date_prevue > "2025-12-31").toBe(true);
    }
  }, 300_000);
});
