// The geocoder as people use it: the Normandy demo addresses (or BENCH_DEPARTEMENTS=14,50…)
// generated, imported into a fresh SQLite file; the index built by the server's own loader
// (AddressIndexService), its build time and memory per address; accuracy@1 per noise type and
// latency on one core through that index's search (the route's code); then real servers
// (`territoire serve`, one process and TERRITOIRE_PROCESSUS=auto) under autocannon at 16 connections,
// and the CSV batch of 100,000 lines.
// `node --expose-gc --import tsx bench/geocoder.bench.ts` or `npm run bench -- geocoder`
// (BENCH_SECONDES per HTTP run, default 10; BENCH_REQUETES queries per noise type, default 500).
// BENCH_DOSSIER=DIR reuses the files and database generated there by a previous run (first run: fills
// it); BENCH_HTTP=non skips the servers; BENCH_EMPREINTE=FILE writes the answers (the route's JSON) of the
// fixed query set (evaluation queries + typed queries) as JSON lines, to compare two versions.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { generateDemoAddresses } from "../src/modules/addresses/generate-demo-addresses/generate-demo-addresses.ts";
import { importBan } from "../src/modules/addresses/import-ban/import-ban.service.ts";
import { AddressIndexService } from "../src/modules/addresses/search-addresses/address-index.service.ts";
import {
  FeatureJsonCache,
  hitsCollectionJson,
} from "../src/modules/addresses/search-addresses/feature-collection-json.ts";
import type { AddressIndex, SearchOptions } from "../src/modules/addresses/search-engine/address-index.ts";
import {
  buildEvaluationQueries,
  type EvaluationQuery,
  evaluate,
  NOISE_TYPES,
} from "../src/modules/addresses/search-engine/evaluation.ts";
import { importTerritories } from "../src/modules/territory/import-territories/import-territories.service.ts";
import { openDatabase } from "../src/shared/db/database.ts";
import { migrateToLatest } from "../src/shared/db/migrator.ts";

/** A numbered address line of a BAN file: not empty, not a lieu-dit's own row (numero 99999, no number to type). */
const isAddressLine = (line: string) => line !== "" && line.split(";", 3)[2] !== "99999";

const departements = (process.env.BENCH_DEPARTEMENTS ?? "14,27,50,61,76").split(",");
const DURATION_S = Number(process.env.BENCH_SECONDES ?? 10);
const PER_TYPE = Number(process.env.BENCH_REQUETES ?? 500);
const projectRoot = path.resolve(import.meta.dirname, "..");
const dir = process.env.BENCH_DOSSIER ?? mkdtempSync(path.join(tmpdir(), "bench-geocoder-"));
const withHttp = process.env.BENCH_HTTP !== "non";
const fmt = (n: number, digits = 0) => n.toLocaleString("fr-FR", { maximumFractionDigits: digits });
const load = () => `charge de la machine ${loadavg()[0]?.toFixed(2)} (${availableParallelism()} cœurs)`;
const gc = globalThis.gc;

console.log(`Géocodeur, départements ${departements.join(", ")}, dossier ${dir}`);
const databaseFile = path.join(dir, "bench.db");
const reused = existsSync(databaseFile);
let files: string[];
if (reused) {
  files = departements.map((d) => path.join(dir, `adresses-${d}.csv`));
  console.log("Fichiers et base réutilisés");
} else {
  mkdirSync(dir, { recursive: true });
  const generated = generateDemoAddresses({ outDir: dir, departements });
  console.log(`Génération : ${fmt(generated.adresses)} adresses en ${fmt(generated.dureeMs / 1000, 1)} s`);
  files = generated.files.map((f) => f.file);
}

const database = openDatabase({ dialect: "sqlite", filename: databaseFile });
if (!reused) {
  await migrateToLatest(database.db);
  await importTerritories(database.db, "28");
  const imported = await importBan(database.db, files);
  console.log(
    `Import : ${fmt(imported.adresses)} adresses en ${fmt(imported.dureeMs / 1000, 1)} s, ${fmt(imported.adresses / (imported.dureeMs / 1000))} adresses/s`,
  );
}

// The index as the server builds it at start (reading the database included).
gc?.();
const heapBefore = process.memoryUsage();
const indexes = new AddressIndexService(database.db);
await indexes.refresh();
gc?.();
const heapAfter = process.memoryUsage();
const loaded = indexes.loaded;
if (!loaded) throw new Error("aucun lot d'adresses actif");
const bytes = heapAfter.heapUsed + heapAfter.arrayBuffers - (heapBefore.heapUsed + heapBefore.arrayBuffers);
console.log(
  `Index : ${fmt(loaded.index.addressCount)} adresses, construit en ${fmt(loaded.builtIn / 1000, 1)} s (lecture de la base comprise), ` +
    `mémoire ${gc ? `${fmt(bytes / loaded.index.addressCount, 1)} octets/adresse` : "non mesurée (lancer avec node --expose-gc)"}`,
);

const lines = readFileSync(files[0] as string, "utf8")
  .split("\n")
  .slice(1, 200_001)
  .filter(isAddressLine);
// Queries as people type them in the address field: labels of demo addresses spread over every
// département (5,000, so that repeats do not flatter caches), lower case, no postcode.
const typed: string[] = [];
const perFile = Math.ceil(5_000 / files.length);
for (const file of files) {
  const all = readFileSync(file, "utf8").split("\n").slice(1).filter(isAddressLine);
  const step = Math.max(1, Math.floor(all.length / perFile));
  for (let i = 0; i < all.length && i / step < perFile; i += step) {
    const f = (all[i] as string).split(";");
    typed.push(`${f[2]} ${f[4]} ${f[7]}`.toLowerCase());
  }
}

inProcess(loaded.index);
await database.close();

/** Accuracy@1 per noise type, latency and queries/s on one core, through the route's index. */
function inProcess(index: AddressIndex): void {
  const queries = buildEvaluationQueries(index, PER_TYPE, 7);
  console.log(
    `\nExactitude@1 sur l'index de démonstration (${PER_TYPE} requêtes par type, graine 7) : bonne adresse ; ` +
      "entre parenthèses, en comptant aussi une autre adresse que la requête ne distingue pas (même voie et numéro, " +
      "code postal et commune tels que tapés : « 13 Rue du Bourg 27930 » sans commune)",
  );
  let noisyCorrect = 0;
  let noisySatisfied = 0;
  let noisyTotal = 0;
  const line = (label: string, correct: number, satisfied: number, total: number) =>
    console.log(
      `  ${label.padEnd(22)} ${((100 * correct) / total).toFixed(1).padStart(5)} %  (${((100 * satisfied) / total).toFixed(1)} %)  ${correct}/${total}`,
    );
  for (const r of evaluate(index, queries)) {
    if (r.noise !== "clean") {
      noisyCorrect += r.correct;
      noisySatisfied += r.satisfied;
      noisyTotal += r.total;
    }
    line(r.noise, r.correct, r.satisfied, r.total);
  }
  line("bruitées (ensemble)", noisyCorrect, noisySatisfied, noisyTotal);

  // Warm-up (JIT), then the garbage of the warm-up collected before timing.
  for (let r = 0; r < 2; r++) for (const q of queries) index.search(q.q, { limit: 5, autocomplete: q.autocomplete });
  gc?.();
  console.log(`\nLatence en processus, un cœur (limit 5, 3 passages ; ${load()}) :`);
  // serialise: the route's answer too (hits, then the JSON through a feature cache; maxBytes 0: none kept).
  const latency = (
    label: string,
    list: readonly Pick<EvaluationQuery, "q" | "autocomplete">[],
    serialise?: { maxBytes?: number },
  ) => {
    const features = new FeatureJsonCache(index, serialise?.maxBytes);
    const times = new Float64Array(list.length * 3);
    let k = 0;
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    for (let r = 0; r < 3; r++) {
      for (const q of list) {
        const t = performance.now();
        if (serialise)
          hitsCollectionJson(index.searchHits(q.q, { limit: 5, autocomplete: q.autocomplete }), features, {
            query: q.q,
            limit: 5,
          });
        else index.search(q.q, { limit: 5, autocomplete: q.autocomplete });
        times[k++] = performance.now() - t;
      }
    }
    const wall = performance.now() - start;
    const cpu = process.cpuUsage(cpuStart);
    times.sort();
    const p = (x: number) => (times[Math.min(times.length - 1, Math.floor(times.length * x))] as number) * 1000;
    console.log(
      `  ${label.padEnd(26)} p50 ${p(0.5).toFixed(0).padStart(4)} µs  p99 ${p(0.99).toFixed(0).padStart(5)} µs  ` +
        `${fmt((times.length / wall) * 1000).padStart(7)} requêtes/s (${fmt((times.length / ((cpu.user + cpu.system) / 1000)) * 1000)} par seconde CPU)`,
    );
  };
  latency(
    "propres (clean)",
    queries.filter((q) => q.noise === "clean"),
  );
  latency(
    "bruitées (toutes)",
    queries.filter((q) => q.noise !== "clean"),
  );
  for (const noise of NOISE_TYPES) {
    if (noise !== "clean")
      latency(
        `  ${noise}`,
        queries.filter((q) => q.noise === noise),
      );
  }
  const typedQueries = typed.map((q) => ({ q, autocomplete: true }));
  latency("saisies du test HTTP", typedQueries);
  latency("  réponse JSON (route)", typedQueries, {});
  latency("  réponse JSON, rien gardé", typedQueries, { maxBytes: 0 });

  const fingerprintFile = process.env.BENCH_EMPREINTE;
  if (fingerprintFile) {
    // The route's answers: hits written through the feature cache.
    const features = new FeatureJsonCache(index);
    const answer = (q: string, options: SearchOptions) =>
      hitsCollectionJson(index.searchHits(q, { limit: 5, ...options }), features, { query: q, limit: 5 });
    const out: string[] = [];
    for (const q of [...queries, ...typedQueries]) out.push(answer(q.q, { autocomplete: q.autocomplete }));
    // Options too: a point, a postcode filter, a type, on a slice of the evaluation queries.
    for (const q of queries.slice(0, 600)) {
      const e = q.expected;
      for (const options of [
        { lat: e.lat + 0.01, lon: e.lon - 0.01 },
        { postcode: e.codePostal },
        { type: "street" as const },
      ]) {
        out.push(answer(q.q, { autocomplete: q.autocomplete, ...options }));
      }
    }
    writeFileSync(fingerprintFile, `${out.join("\n")}\n`);
    console.log(`Empreinte : ${fmt(out.length)} requêtes → ${fingerprintFile}`);
  }
}

interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

/** `territoire serve` on the bench database, as `npm start` runs it, on a free port. */
async function serve(processes: string): Promise<RunningServer> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "serve"], {
    cwd: projectRoot,
    env: {
      ...process.env,
      DATABASE_URL: `sqlite:${databaseFile}`,
      PORT: "0",
      HOST: "127.0.0.1",
      TERRITOIRE_DEMO: "non",
      TERRITOIRE_DEMO_ADRESSES: "non",
      TERRITOIRE_LIMITE_IP: "9999999",
      TERRITOIRE_PROCESSUS: processes,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const started = performance.now();
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /Prêt en [\d.]+ s : (http:\/\/\S+)/.exec(output);
      if (ready) resolve(ready[1] as string);
    });
    child.once("exit", (code) => reject(new Error(`serveur arrêté (code ${code}) :\n${output}`)));
  });
  console.log(`  serveur prêt en ${fmt((performance.now() - started) / 1000, 1)} s (index compris)`);
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

async function httpSearch(label: string, base: string): Promise<void> {
  // One warm-up second (JIT of every process), then the measure.
  const run = (duration: number) => {
    let next = 0;
    return autocannon({
      url: base,
      connections: 16,
      duration,
      requests: [
        {
          setupRequest: (request) => ({
            ...request,
            path: `/api/adresse/search?q=${encodeURIComponent(typed[next++ % typed.length] as string)}&limit=5`,
          }),
        },
      ],
    });
  };
  await run(2);
  const loadBefore = load();
  const result = await run(DURATION_S);
  console.log(
    `  ${label} : ${fmt(result.requests.average)} requêtes/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, erreurs ${result.errors + result.non2xx} (${loadBefore})`,
  );
}

async function csvBatch(base: string): Promise<void> {
  const csvLines = ["id;adresse;ville"];
  for (let i = 0; csvLines.length <= 100_000; i++) {
    const f = (lines[i % lines.length] as string).split(";");
    csvLines.push(`${i};${f[2]} ${f[4]};${f[7]}`);
  }
  const csvFile = path.join(dir, "sites.csv");
  writeFileSync(csvFile, csvLines.join("\n"));
  const form = new FormData();
  form.append("columns", "adresse");
  form.append("columns", "ville");
  form.append("data", new Blob([readFileSync(csvFile)], { type: "text/csv" }), "sites.csv");
  const started = performance.now();
  const response = await fetch(`${base}/api/adresse/search/csv`, { method: "POST", body: form });
  const output = await response.text();
  const seconds = (performance.now() - started) / 1000;
  const statuses = new Map<string, number>();
  for (const line of output.trim().split("\r\n").slice(1)) {
    const status = line.slice(line.lastIndexOf(";") + 1);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  }
  console.log(
    `CSV : ${fmt(csvLines.length - 1)} lignes en ${fmt(seconds, 1)} s (${fmt((csvLines.length - 1) / seconds)} lignes/s), statut HTTP ${response.status}, ${[...statuses].map(([s, n]) => `${s} ${fmt(n)}`).join(", ")}`,
  );
}

if (withHttp) {
  console.log(
    `\nHTTP GET /api/adresse/search, 16 connexions, ${DURATION_S} s, client autocannon sur la même machine :`,
  );
  const single = await serve("1");
  try {
    await httpSearch("1 processus", single.url);
    await csvBatch(single.url);
  } finally {
    await single.stop();
  }
  const several = await serve("auto");
  try {
    await httpSearch(`${availableParallelism()} processus (TERRITOIRE_PROCESSUS=auto)`, several.url);
  } finally {
    await several.stop();
  }
}
