// In-process address search engine: build time and rate, bytes per address, latency and
// throughput on one core for clean and noisy queries, accuracy@1 per noise type.
// `npm run bench -- geocoder-engine` (BENCH_ADRESSES, default 1,000,000; BENCH_QUERIES per noise
// type, default 500). Run with --expose-gc for the memory figure (re-executes itself otherwise).
import { spawnSync } from "node:child_process";
import { type AddressIndex, buildAddressIndex } from "../src/modules/addresses/search-engine/address-index.ts";
import {
  buildEvaluationQueries,
  type EvaluationQuery,
  evaluate,
  NOISE_TYPES,
} from "../src/modules/addresses/search-engine/evaluation.ts";
import { generateAddresses } from "../src/modules/addresses/search-engine/synthetic.ts";

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  const child = spawnSync(process.execPath, ["--expose-gc", ...process.execArgv, ...process.argv.slice(1)], {
    stdio: "inherit",
  });
  process.exit(child.status ?? 1);
}
const forceGc = gc as () => void;

const N = Number(process.env.BENCH_ADRESSES ?? 1_000_000);
const PER_TYPE = Number(process.env.BENCH_QUERIES ?? 500);
const fmt = (n: number) => Math.round(n).toLocaleString("fr-FR");
const heap = () => {
  forceGc();
  forceGc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

console.log(`Moteur d'adresses en mémoire — ${fmt(N)} adresses synthétiques`);
const baseline = heap();
let buildMs = 0;
let index: AddressIndex;
{
  let t = performance.now();
  const data = generateAddresses(N, 42);
  console.log(`génération : ${fmt(performance.now() - t)} ms (${fmt(data.communes.length)} communes)`);
  t = performance.now();
  index = buildAddressIndex(data.records, data.communes);
  buildMs = performance.now() - t;
  data.records.length = 0;
}
const indexBytes = heap() - baseline;
console.log(
  `construction : ${fmt(buildMs)} ms, ${fmt((index.addressCount / buildMs) * 1000)} adresses/s ` +
    `(${fmt(index.addressCount)} adresses, ${fmt(index.streetCount)} voies, ${fmt(index.communeCount)} communes, ${fmt(index.tokenCount)} mots)`,
);
console.log(
  `mémoire de l'index : ${fmt(indexBytes / 1e6)} Mo, ${(indexBytes / index.addressCount).toFixed(1)} octets/adresse`,
);

const queries = buildEvaluationQueries(index, PER_TYPE, 7);
// Warm-up (JIT) on every query, then collect the garbage of the generation before timing.
for (let r = 0; r < 2; r++) for (const q of queries) index.search(q.q, { limit: 5, autocomplete: q.autocomplete });
forceGc();
for (let r = 0; r < 2; r++) for (const q of queries) index.search(q.q, { limit: 5, autocomplete: q.autocomplete });

function latency(label: string, list: readonly EvaluationQuery[]): void {
  const times = new Float64Array(list.length * 3);
  let k = 0;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  for (let r = 0; r < 3; r++) {
    for (const q of list) {
      const t = performance.now();
      index.search(q.q, { limit: 5, autocomplete: q.autocomplete });
      times[k++] = performance.now() - t;
    }
  }
  const total = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  times.sort();
  const p = (x: number) => (times[Math.min(times.length - 1, Math.floor(times.length * x))] as number) * 1000;
  console.log(
    `${label.padEnd(22)} p50 ${p(0.5).toFixed(0).padStart(5)} µs  p99 ${p(0.99).toFixed(0).padStart(6)} µs  ` +
      `${fmt((times.length / total) * 1000).padStart(7)} requêtes/s (${fmt((times.length / cpuMs) * 1000)} par seconde CPU)`,
  );
}

console.log("\nLatence sur un cœur (limit 5) :");
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
{
  const points = queries.slice(0, 2000).map((q) => q.expected);
  const t = performance.now();
  for (const a of points) index.reverse(a.lat, a.lon);
  const ms = performance.now() - t;
  console.log(
    `${"reverse".padEnd(22)} ${((ms * 1000) / points.length).toFixed(0)} µs en moyenne, ${fmt((points.length / ms) * 1000)} requêtes/s`,
  );
}

console.log(`\nExactitude@1 (${PER_TYPE} requêtes par type, graine 7) :`);
for (const r of evaluate(index, queries)) {
  console.log(`  ${r.noise.padEnd(22)} ${(r.accuracy * 100).toFixed(1).padStart(5)} %  (${r.correct}/${r.total})`);
}
