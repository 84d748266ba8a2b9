// Observatory read cost: p50/p95 of each /api/observatoire/… endpoint per territory level (région,
// département, EPCI, commune), over real HTTP, on a scratch SQLite database holding Normandy's
// territories and synthetic `thd_stat_commune` rows for 37 quarters (2016T4–2025T4), at Normandy
// scale (2,644 communes) then 4× and 16× (extra synthetic communes in the same EPCI and
// départements), to show how the cost grows. Two readings per endpoint: another quarter at each
// request (as the page's quarter slider does: figures read from SQL), then the same quarter again
// (published quarters never change, so their figures are cached in memory); and the very first request. BENCH_ECHELLES="1,4,16" and BENCH_REQUETES=20 change it.
//
// Second part, import rate: IPE and MCI eligibilite files (synthetic, consistent, BENCH_IMMEUBLES
// buildings, default 200,000: 3 eligibility lines per building) imported through the real importers
// (after the base_imb file they build on), in rows/s, on SQLite and, when DATABASE_URL is a
// PostgreSQL server, on PostgreSQL; compared with the `sqlite3` command line `.import` of the same
// CSV into an unindexed table (Debian's sqlite3, installed with apt-get when absent), which is the
// ceiling of a plain load. BENCH_PARTIES="lecture,import" (default both) picks the parts.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";
import SQLite from "better-sqlite3";
import type { Kysely } from "kysely";
import { importIpe } from "../src/modules/broadband/import-ipe/import-ipe.service.ts";
import { writeSyntheticBuildingFiles } from "../src/modules/broadband/import-ipe/synthetic-building-files.ts";
import { importMciBaseImb } from "../src/modules/broadband/import-mci-base-imb/import-mci-base-imb.ts";
import { importMciEligibilite } from "../src/modules/broadband/import-mci-eligibilite/import-mci-eligibilite.ts";
import { importTerritories } from "../src/modules/territory/import-territories/import-territories.service.ts";
import type { TerritoryTables } from "../src/modules/territory/territory.tables.ts";
import { openDatabase } from "../src/shared/db/database.ts";
import { migrateToLatest } from "../src/shared/db/migrator.ts";
import { createScratchDatabase, testDialects } from "../src/shared/testing/test-databases.ts";
import { startTestServer } from "../src/shared/testing/test-server.ts";

const PARTS = (process.env.BENCH_PARTIES ?? "lecture,import").split(",");
const SCALES = (process.env.BENCH_ECHELLES ?? "1,4,16").split(",").map(Number);
const REQUESTS = Number(process.env.BENCH_REQUETES ?? 20);
const QUARTERS: string[] = [];
for (let year = 2016; year <= 2025; year++) {
  for (let n = 1; n <= 4; n++) if (year > 2016 || n === 4) QUARTERS.push(`${year}T${n}`);
}

/** Deterministic pseudo-random numbers (mulberry32), so that every run measures the same data. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Commune {
  code: string;
  departement: string;
}

/** Splits n premises into 6 class bins, better as the build-out progresses. */
function bins(n: number, progress: number, rand: () => number): number[] {
  const thd = Math.round(n * Math.min(1, progress + rand() * 0.1));
  const rest = n - thd;
  const inel = Math.round(rest * 0.05);
  const low = Math.round(rest * 0.3);
  const mid = Math.round(rest * 0.25);
  const high = rest - inel - low - mid;
  const t100 = Math.round(thd * progress);
  return [inel, low, mid, high, thd - t100, t100];
}

function fillStats(filename: string, communes: Commune[]): number {
  const sqlite = new SQLite(filename);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = OFF");
  const columns = [
    "trimestre",
    "code_insee",
    "source",
    "locaux",
    "ftth_raccordables",
    "ftth_raccordables_demande",
    "ftth_operateurs_commerciaux",
    ...["filaire", "terrestre", "toutes"].flatMap((v) =>
      ["inel", "0_3", "3_8", "8_30", "30_100", "100"].map((c) => `${v}_${c}`),
    ),
    ...["cu", "coax", "ftth", "4gf", "thdr", "sat"].map((t) => `techno_${t}`),
  ];
  const insertStat = sqlite.prepare(
    `insert into thd_stat_commune (${columns.map((c) => `"${c}"`).join(",")}) values (${columns.map(() => "?").join(",")})`,
  );
  const insertOi = sqlite.prepare(
    "insert into thd_stat_commune_oi (trimestre, code_insee, operateur, ftth_raccordables) values (?, ?, ?, ?)",
  );
  const insertQuarter = sqlite.prepare(
    "insert into thd_trimestre (code, statut, cree_le, publie_le, publie_par, simule) values (?, 'publie', '2026-01-01', '2026-01-01', null, 1)",
  );
  const insertClosure = sqlite.prepare(
    "insert into thd_fermeture_cuivre (trimestre, code_insee, lot, fermeture_commerciale, fermeture_technique) values (?, ?, ?, ?, ?)",
  );
  const insertSite = sqlite.prepare(
    "insert into thd_site_strategique (trimestre, id, type, nom, adresse, code_insee, lon, lat, immeuble_id, raccorde_le) values (?, ?, ?, ?, null, ?, 0, 49, null, ?)",
  );
  const last = QUARTERS[QUARTERS.length - 1] as string;
  let rows = 0;
  sqlite.transaction(() => {
    for (const q of QUARTERS) insertQuarter.run(q);
    // Quarter after quarter, as the importers write them.
    const profiles = communes.map((commune, index) => {
      const rand = random(index + 1);
      return { commune, index, rand, locaux: 50 + Math.floor(rand() * rand() * 8000), start: Math.floor(rand() * 30) };
    });
    QUARTERS.forEach((q, i) => {
      for (const { commune, rand, locaux, start } of profiles) {
        const progress = Math.max(0, Math.min(1, (i - start) / 8));
        const ftth = Math.round(locaux * progress);
        insertStat.run(
          q,
          commune.code,
          "bench",
          locaux,
          ftth,
          Math.round((locaux - ftth) * 0.1),
          progress > 0 ? 1 + Math.floor(rand() * 4) : 0,
          ...bins(locaux, progress * 0.9, rand),
          ...bins(locaux, progress * 0.95, rand),
          ...bins(locaux, progress, rand),
          locaux,
          0,
          ftth,
          Math.round(locaux * 0.2),
          0,
          locaux,
        );
        insertOi.run(q, commune.code, `OI${commune.departement}`, ftth);
        rows += 2;
      }
    });
    for (const { commune, index } of profiles) {
      insertClosure.run(
        last,
        commune.code,
        `L${index % 5}`,
        `${2026 + (index % 5)}-11-30`,
        `${2027 + (index % 5)}-11-30`,
      );
      rows += 1;
      if (index % 20 === 0) {
        insertSite.run(
          last,
          `S${index}`,
          ["college", "sante", "enseignement_superieur"][index % 3],
          `Site ${index}`,
          commune.code,
          index % 40 === 0 ? null : "2019-06-30",
        );
        rows += 1;
      }
    }
  })();
  sqlite.close();
  return rows;
}

const TARGETS = [
  { level: "région", path: "regions/28" },
  { level: "département", path: "departements/14" },
  { level: "EPCI", path: "epci/200065597" },
  { level: "commune", path: "communes/14118" },
];
const ENDPOINTS = [
  { name: "observatoire", suffix: "", quarter: true },
  { name: "séries", suffix: "/series", quarter: false },
  { name: "équité", suffix: "/equite", quarter: true },
  { name: "carte", suffix: "/carte", quarter: true },
  { name: "zone fibrée", suffix: "/zone-fibree", quarter: true },
  { name: "cuivre", suffix: "/fermeture-cuivre", quarter: true },
  { name: "sites", suffix: "/sites-strategiques", quarter: true },
];

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};
const ms = (n: number) => n.toFixed(1).padStart(7);

for (const scale of PARTS.includes("lecture") ? SCALES : []) {
  const scratch = await createScratchDatabase("sqlite");
  if (scratch.config.dialect !== "sqlite") throw new Error("SQLite attendu");
  const database = openDatabase(scratch.config);
  try {
    await migrateToLatest(database.db);
    await importTerritories(database.db, "28");
    const territories = database.db as Kysely<TerritoryTables>;
    const originals = await territories
      .selectFrom("territoire")
      .selectAll()
      .where("niveau", "=", "communes")
      .where("region", "=", "28")
      .execute();
    const base: Commune[] = originals.map((c) => ({ code: c.code, departement: c.departement ?? "" }));
    // Extra synthetic communes: copies of the real ones under new codes, in the same EPCI and département.
    for (let k = 1; k < scale; k++) {
      const copies = originals.map((c) => ({ ...c, code: `${k}_${c.code}` }));
      for (let i = 0; i < copies.length; i += 500) {
        await territories
          .insertInto("territoire")
          .values(copies.slice(i, i + 500))
          .execute();
      }
      base.push(...copies.map((c) => ({ code: c.code, departement: c.departement ?? "" })));
    }
    const started = performance.now();
    const rows = fillStats(scratch.config.filename, base);
    // The machine may be shared: the load says how much the figures are inflated.
    console.log(`\nCharge de la machine (1 min) : ${loadavg()[0]?.toFixed(1)} pour ${availableParallelism()} cœurs`);
    console.log(
      `× ${scale} : ${base.length.toLocaleString("fr-FR")} communes × ${QUARTERS.length} trimestres, ${rows.toLocaleString("fr-FR")} lignes écrites en ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    const server = await startTestServer(database, {}, { TERRITOIRE_LIMITE_IP: "9999999" });
    try {
      console.log(
        `${"".padEnd(26)} trimestres successifs   même trimestre (cache)\n${"niveau".padEnd(12)} ${"requête".padEnd(13)}   p50 ms   p95 ms   p50 ms   p95 ms  1re requête`,
      );
      const timed = async (url: string) => {
        const t0 = performance.now();
        const response = await fetch(url);
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`${url} : ${response.status}`);
        return performance.now() - t0;
      };
      const summary = new Map<string, number[]>();
      for (const target of TARGETS) {
        for (const endpoint of ENDPOINTS) {
          const base = `${server.baseUrl}/api/observatoire/${target.path}${endpoint.suffix}`;
          // Another quarter at each request (figures read from SQL), then one quarter again and again (cached).
          const successive: number[] = [];
          const repeated: number[] = [];
          let cold = Number.NaN;
          for (let i = 0; i < REQUESTS; i++) {
            const quarter = QUARTERS[(i * 7 + 3) % QUARTERS.length];
            const elapsed = await timed(endpoint.quarter ? `${base}?trimestre=${quarter}` : base);
            if (i === 0) cold = elapsed;
            successive.push(elapsed);
          }
          for (let i = 0; i < REQUESTS; i++)
            repeated.push(await timed(endpoint.quarter ? `${base}?trimestre=2025T4` : base));
          const all = summary.get(target.level) ?? [];
          all.push(...(endpoint.quarter ? successive : repeated));
          summary.set(target.level, all);
          console.log(
            `${target.level.padEnd(12)} ${endpoint.name.padEnd(13)} ${ms(percentile(successive, 50))}  ${ms(percentile(successive, 95))}  ${ms(percentile(repeated, 50))}  ${ms(percentile(repeated, 95))}  ${ms(cold)}`,
          );
        }
      }
      for (const [level, all] of summary) {
        console.log(
          `${level.padEnd(12)} toutes requêtes (trimestres successifs ; séries en cache) : p50 ${percentile(all, 50).toFixed(1)} ms, p95 ${percentile(all, 95).toFixed(1)} ms`,
        );
      }
    } finally {
      await server.close();
    }
  } finally {
    await database.close();
    if (process.env.BENCH_GARDER_BASE) console.log(`Base conservée : ${scratch.config.filename}`);
    else await scratch.drop();
  }
}

// ─── Import rate: IPE and MCI eligibilite, against `sqlite3 .import` ───────────────────────────

/** The sqlite3 command-line shell, installed from Debian's packages when absent. */
function sqlite3Shell(): string {
  const found = spawnSync("sh", ["-c", "command -v sqlite3"], { encoding: "utf8" });
  if (found.status === 0 && found.stdout.trim() !== "") return found.stdout.trim();
  console.log("sqlite3 absent : apt-get install sqlite3…");
  const sudo = process.getuid?.() === 0 ? [] : ["sudo"];
  const aptGet = (...args: string[]) =>
    spawnSync(sudo[0] ?? "apt-get", [...(sudo.length > 0 ? ["apt-get"] : []), ...args], {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
  let install = aptGet("install", "-y", "-q", "sqlite3");
  // Package lists may be missing or stale (fresh container): refresh them once.
  if (install.status !== 0 && aptGet("update", "-q").status === 0) install = aptGet("install", "-y", "-q", "sqlite3");
  if (install.status !== 0) throw new Error("Installation de sqlite3 impossible (apt-get install sqlite3)");
  return "sqlite3";
}

/** Rows per second of `sqlite3 .import` of a `;`-separated CSV with a header into a new (unindexed) table. */
function sqlite3ImportRate(shell: string, csv: string, rows: number, dir: string): number {
  const file = path.join(dir, `import-${path.basename(csv)}.db`);
  rmSync(file, { force: true });
  const started = performance.now();
  const run = spawnSync(shell, [file], {
    input: `.mode csv\n.separator ;\n.import '${csv.replaceAll("'", "''")}' lignes\n`,
    encoding: "utf8",
  });
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`sqlite3 .import : ${run.stderr}`);
  rmSync(file, { force: true });
  return rows / seconds;
}

if (PARTS.includes("import")) {
  const buildings = Number(process.env.BENCH_IMMEUBLES ?? 200_000);
  const dir = mkdtempSync(path.join(tmpdir(), "bench-import-thd-"));
  try {
    const files = await writeSyntheticBuildingFiles(dir, { immeubles: buildings });
    const shell = sqlite3Shell();
    const shellIpe = sqlite3ImportRate(shell, files.ipe, buildings, dir);
    const shellEligibilite = sqlite3ImportRate(shell, files.eligibilite, files.lignesEligibilite, dir);
    console.log(
      `\nImport : ${buildings.toLocaleString("fr-FR")} immeubles (IPE, base_imb), ${files.lignesEligibilite.toLocaleString("fr-FR")} lignes d'éligibilité ; charge ${loadavg()[0]?.toFixed(1)} pour ${availableParallelism()} cœurs`,
    );
    console.log(
      `sqlite3 .import (table sans index) : IPE ${Math.round(shellIpe).toLocaleString("fr-FR")} lignes/s, eligibilite ${Math.round(shellEligibilite).toLocaleString("fr-FR")} lignes/s`,
    );
    const rate = (rows: number, ms: number) => rows / (ms / 1000);
    for (const dialect of testDialects()) {
      const scratch = await createScratchDatabase(dialect);
      const database = openDatabase(scratch.config);
      try {
        await migrateToLatest(database.db);
        const timed = async <T extends { statut: string }>(what: string, run: () => Promise<T>) => {
          const t0 = performance.now();
          const result = await run();
          if (result.statut !== "importe") throw new Error(`${what} : ${result.statut}`);
          return performance.now() - t0;
        };
        const trimestre = "2025T4";
        const baseImb = await timed("base_imb", () =>
          importMciBaseImb(database.db, { trimestre, fichier: files.baseImb }),
        );
        const ipe = await timed("IPE", () => importIpe(database.db, { trimestre, fichier: files.ipe }));
        const eligibilite = await timed("eligibilite", () =>
          importMciEligibilite(database.db, { trimestre, fichier: files.eligibilite }),
        );
        const line = (name: string, rows: number, ms: number, shellRate?: number) =>
          `${dialect.padEnd(9)} ${name.padEnd(12)} ${Math.round(rate(rows, ms)).toLocaleString("fr-FR").padStart(9)} lignes/s (${(ms / 1000).toFixed(1)} s)${shellRate ? ` ; sqlite3 .import / importeur : ${(shellRate / rate(rows, ms)).toFixed(1)}×` : ""}`;
        console.log(line("base_imb", buildings, baseImb));
        console.log(line("IPE", buildings, ipe, shellIpe));
        console.log(line("eligibilite", files.lignesEligibilite, eligibilite, shellEligibilite));
      } finally {
        await database.close();
        await scratch.drop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
