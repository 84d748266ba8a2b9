// Observatory read cost: p50/p95 of each /api/observatoire/… endpoint per territory level (région,
// département, EPCI, commune), over real HTTP, on a scratch SQLite database holding Normandy's
// territories and synthetic `thd_stat_commune` rows for 37 quarters (2016T4–2025T4), at Normandy
// scale (2,644 communes) then 4× and 16× (extra synthetic communes in the same EPCI and
// départements), to show how the cost grows. Per endpoint: cold requests (another quarter each
// time, as the page's quarter slider does: figures read from SQL, answer built and compressed),
// warm ones (the same published quarter again: stored bytes), revalidations (If-None-Match → 304),
// the very first request and the bytes sent; once per Accept-Encoding (BENCH_CODAGES="gzip,aucun",
// also "br"), each on a fresh server. BENCH_ECHELLES="1,4,16" and BENCH_REQUETES=20 change it.
//
// Second part, import rate: MCI base_imb, IPE and MCI eligibilite files (synthetic, consistent,
// BENCH_IMMEUBLES buildings, default 200,000: 3 eligibility lines per building) imported through the
// real importers, in rows/s, on SQLite and, when DATABASE_URL is a PostgreSQL server, on PostgreSQL;
// each compared with the `sqlite3` command line `.import` of the same CSV into an unindexed table
// (Debian's sqlite3, installed with apt-get when absent), the ceiling of a plain load, run just before
// it (the machine's speed drifts), as wall-time and CPU-time ratios. BENCH_PARTIES="lecture,import"
// (default both) picks the parts.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
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
import type { ProgressListener } from "../src/shared/progress/progress.ts";
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
// What the client accepts: Node's fetch sends "gzip, deflate", browsers add br; BENCH_CODAGES picks.
const CODINGS: Record<string, string> = { gzip: "gzip, deflate", br: "gzip, deflate, br", aucun: "identity" };
const CODING_NAMES = (process.env.BENCH_CODAGES ?? "gzip,aucun").split(",").filter((c) => c in CODINGS);

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};
const ms = (n: number) => (Number.isNaN(n) ? "      —" : n.toFixed(1).padStart(7));
const kb = (n: number) => (Number.isNaN(n) ? "     —" : (n / 1024).toFixed(n < 10240 ? 1 : 0).padStart(6));
const load = () => `charge ${loadavg()[0]?.toFixed(1)} pour ${availableParallelism()} cœurs`;

/** One GET over a kept-alive connection, timed to the last byte as sent (not decoded: the server's cost). */
function timedGet(agent: http.Agent, url: string, headers: Record<string, string>) {
  return new Promise<{ ms: number; status: number; bytes: number; etag: string | undefined }>((resolve, reject) => {
    const t0 = performance.now();
    http
      .get(url, { agent, headers }, (response) => {
        let bytes = 0;
        response.on("data", (chunk: Buffer) => {
          bytes += chunk.length;
        });
        response.on("end", () =>
          resolve({
            ms: performance.now() - t0,
            status: response.statusCode ?? 0,
            bytes,
            etag: typeof response.headers.etag === "string" ? response.headers.etag : undefined,
          }),
        );
      })
      .on("error", reject);
  });
}

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
    console.log(
      `\n× ${scale} : ${base.length.toLocaleString("fr-FR")} communes × ${QUARTERS.length} trimestres, ${rows.toLocaleString("fr-FR")} lignes écrites en ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    // A throwaway server reads every endpoint once (JIT, SQLite pages in the OS cache), so that the
    // codings measured after it, each on a fresh server with empty caches, start even.
    const warmup = await startTestServer(database, {}, { TERRITOIRE_LIMITE_IP: "9999999" });
    for (const target of TARGETS) {
      for (const endpoint of ENDPOINTS) {
        await (
          await fetch(`${warmup.baseUrl}/api/observatoire/${target.path}${endpoint.suffix}?trimestre=2016T4`)
        ).arrayBuffer();
      }
    }
    await warmup.close();
    // One fresh server (empty caches) per coding, so that each has its own cold requests.
    for (const codingName of CODING_NAMES) {
      const headers = { "accept-encoding": CODINGS[codingName] as string };
      const server = await startTestServer(database, {}, { TERRITOIRE_LIMITE_IP: "9999999" });
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        // The machine may be shared: the load says how much the figures are inflated.
        console.log(`\nAccept-Encoding: ${headers["accept-encoding"]} (serveur neuf) ; ${load()} au début`);
        console.log(
          `${"".padEnd(26)} à froid (1re fois)  à chaud (en cache)  304 (ETag)   1re    ko (2025T4)\n${"niveau".padEnd(12)} ${"requête".padEnd(13)}  p50 ms  p95 ms   p50 ms  p95 ms   p50 ms   requête   1re  ensuite`,
        );
        const get = async (url: string, extra: Record<string, string> = {}) => {
          const result = await timedGet(agent, url, { ...headers, ...extra });
          if (result.status !== 200 && result.status !== 304) throw new Error(`${url} : ${result.status}`);
          return result;
        };
        const summary = new Map<string, { cold: number[]; warm: number[] }>();
        for (const target of TARGETS) {
          for (const endpoint of ENDPOINTS) {
            const base = `${server.baseUrl}/api/observatoire/${target.path}${endpoint.suffix}`;
            // Cold: another quarter at each request, as the page's quarter slider does (figures read from
            // SQL, answer built). Published quarters never change: a quarter asked again is warm.
            const cold: number[] = [];
            // Bytes of the warm URL's answer when it was first built (it is among the cold quarters).
            let firstBytes = Number.NaN;
            let first = Number.NaN;
            for (let i = 0; i < (endpoint.quarter ? REQUESTS : 1); i++) {
              const quarter = QUARTERS[(i * 7 + 3) % QUARTERS.length];
              const result = await get(endpoint.quarter ? `${base}?trimestre=${quarter}` : base);
              if (i === 0) first = result.ms;
              if (!endpoint.quarter || quarter === "2025T4") firstBytes = result.bytes;
              cold.push(result.ms);
            }
            const warmUrl = endpoint.quarter ? `${base}?trimestre=2025T4` : base;
            const { etag } = await get(warmUrl);
            const warm: number[] = [];
            for (let i = 0; i < REQUESTS; i++) {
              const result = await get(warmUrl);
              warm.push(result.ms);
            }
            // A client revalidating what it holds (If-None-Match): 304 when the server sends ETags.
            const revalidated: number[] = [];
            if (etag !== undefined) {
              for (let i = 0; i < REQUESTS; i++) revalidated.push((await get(warmUrl, { "if-none-match": etag })).ms);
            }
            // Large answers are recompressed at the full level off the event loop after their first hit:
            // the bytes sent once that is done.
            await new Promise((resolve) => setTimeout(resolve, 300));
            const finalBytes = (await get(warmUrl)).bytes;
            const all = summary.get(target.level) ?? { cold: [], warm: [] };
            if (endpoint.quarter) all.cold.push(...cold);
            all.warm.push(...warm);
            summary.set(target.level, all);
            console.log(
              `${target.level.padEnd(12)} ${endpoint.name.padEnd(13)} ${endpoint.quarter ? `${ms(percentile(cold, 50))} ${ms(percentile(cold, 95))}` : `${ms(Number.NaN)} ${ms(Number.NaN)}`}  ${ms(percentile(warm, 50))} ${ms(percentile(warm, 95))}  ${ms(percentile(revalidated, 50))}   ${ms(first)}  ${kb(firstBytes)} ${kb(finalBytes)}`,
            );
          }
        }
        for (const [level, all] of summary) {
          console.log(
            `${level.padEnd(12)} toutes requêtes : à froid p50 ${percentile(all.cold, 50).toFixed(1)} ms, p95 ${percentile(all.cold, 95).toFixed(1)} ms ; à chaud p50 ${percentile(all.warm, 50).toFixed(1)} ms, p95 ${percentile(all.warm, 95).toFixed(1)} ms`,
          );
        }
        console.log(`(${load()} à la fin)`);
      } finally {
        agent.destroy();
        await server.close();
      }
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

/**
 * `sqlite3 .import` of a `;`-separated CSV with a header into a new (unindexed) table: wall time and
 * CPU time (user + system, from bash's `time`: less sensitive than wall time to the other
 * processes of a shared machine), in seconds.
 */
function sqlite3Import(shell: string, csv: string, dir: string): { seconds: number; cpuSeconds: number } {
  const file = path.join(dir, `import-${path.basename(csv)}.db`);
  rmSync(file, { force: true });
  const started = performance.now();
  const run = spawnSync("bash", ["-c", 'TIMEFORMAT="cpu %U %S"; time "$0" "$1"', shell, file], {
    input: `.mode csv\n.separator ;\n.import '${csv.replaceAll("'", "''")}' lignes\n`,
    encoding: "utf8",
  });
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`sqlite3 .import : ${run.stderr}`);
  rmSync(file, { force: true });
  const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(run.stderr);
  return { seconds, cpuSeconds: cpu ? Number(cpu[1]) + Number(cpu[2]) : Number.NaN };
}

if (PARTS.includes("import")) {
  const buildings = Number(process.env.BENCH_IMMEUBLES ?? 200_000);
  const dir = mkdtempSync(path.join(tmpdir(), "bench-import-thd-"));
  try {
    const files = await writeSyntheticBuildingFiles(dir, { immeubles: buildings });
    const shell = sqlite3Shell();
    console.log(
      `\nImport : ${buildings.toLocaleString("fr-FR")} immeubles (IPE, base_imb), ${files.lignesEligibilite.toLocaleString("fr-FR")} lignes d'éligibilité ; ${availableParallelism()} cœurs`,
    );
    console.log(
      "Chaque import est précédé du `sqlite3 .import` du même fichier dans une table sans index (le ratio compare deux mesures voisines : la charge de la machine varie).",
    );
    const rate = (rows: number, ms: number) => rows / (ms / 1000);
    for (const dialect of testDialects()) {
      const scratch = await createScratchDatabase(dialect);
      const database = openDatabase(scratch.config);
      try {
        await migrateToLatest(database.db);
        const trimestre = "2025T4";
        /** The commune aggregation's share of an import, timed from its progress events. */
        const aggregation = () => {
          let started = 0;
          let ms = 0;
          const listener: ProgressListener = (event) => {
            if (event.step !== "Agrégation par commune") return;
            if (event.done === 0) started = performance.now();
            else ms += performance.now() - started;
          };
          return { listener, ms: () => ms };
        };
        const timed = async <T extends { statut: string }>(
          name: string,
          csv: string,
          rows: number,
          run: (progress: ProgressListener) => Promise<T>,
        ) => {
          const reference = sqlite3Import(shell, csv, dir);
          const load = loadavg()[0]?.toFixed(1);
          const agg = aggregation();
          const t0 = performance.now();
          const cpu0 = process.cpuUsage();
          const result = await run(agg.listener);
          const ms = performance.now() - t0;
          const cpu = process.cpuUsage(cpu0);
          if (result.statut !== "importe") throw new Error(`${name} : ${result.statut}`);
          const importer = rate(rows, ms);
          const shellRate = rows / reference.seconds;
          // CPU of this process (all its threads, the parse worker's too); with PostgreSQL, the
          // server's share is not counted.
          const cpuRatio = (cpu.user + cpu.system) / 1e6 / reference.cpuSeconds;
          console.log(
            `${dialect.padEnd(9)} ${name.padEnd(12)} ${Math.round(importer).toLocaleString("fr-FR").padStart(9)} lignes/s (${(ms / 1000).toFixed(2)} s, dont agrégation ${(agg.ms() / 1000).toFixed(2)} s) ; sqlite3 .import ${Math.round(shellRate).toLocaleString("fr-FR").padStart(9)} lignes/s (${reference.seconds.toFixed(2)} s) ; ratio ${(shellRate / importer).toFixed(2)}× (temps CPU : ${cpuRatio.toFixed(2)}×${dialect === "postgres" ? ", sans le serveur" : ""} ; ratio sans l'agrégation : ${((ms - agg.ms()) / 1000 / reference.seconds).toFixed(2)}×) ; charge ${load}`,
          );
        };
        await timed("base_imb", files.baseImb, buildings, (progress) =>
          importMciBaseImb(database.db, { trimestre, fichier: files.baseImb }, progress),
        );
        await timed("IPE", files.ipe, buildings, (progress) =>
          importIpe(database.db, { trimestre, fichier: files.ipe }, progress),
        );
        await timed("eligibilite", files.eligibilite, files.lignesEligibilite, (progress) =>
          importMciEligibilite(database.db, { trimestre, fichier: files.eligibilite }, progress),
        );
      } finally {
        await database.close();
        await scratch.drop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
