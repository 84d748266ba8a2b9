// The geocoder as people use it: the Normandy demo addresses (or BENCH_DEPARTEMENTS=14,50…)
// generated, imported into a fresh SQLite file, indexed by a real server; then HTTP throughput and
// latency on loopback with 16 connections (autocannon, like the addok figure of the issue), the CSV
// batch of 100,000 lines, and the index's build time and memory per address.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { buildApp } from "../src/app.ts";
import { generateDemoAddresses } from "../src/modules/addresses/generate-demo-addresses/generate-demo-addresses.ts";
import { importBan } from "../src/modules/addresses/import-ban/import-ban.service.ts";
import { importTerritories } from "../src/modules/territory/import-territories/import-territories.service.ts";
import { loadConfig } from "../src/shared/config/config.ts";
import { openDatabase } from "../src/shared/db/database.ts";
import { migrateToLatest } from "../src/shared/db/migrator.ts";

const departements = (process.env.BENCH_DEPARTEMENTS ?? "14,27,50,61,76").split(",");
const DURATION_S = Number(process.env.BENCH_SECONDES ?? 10);
const dir = mkdtempSync(path.join(tmpdir(), "bench-geocoder-"));
const fmt = (n: number, digits = 0) => n.toLocaleString("fr-FR", { maximumFractionDigits: digits });

console.log(`Géocodeur, départements ${departements.join(", ")}, dossier ${dir}`);
const generated = generateDemoAddresses({ outDir: dir, departements });
console.log(`Génération : ${fmt(generated.adresses)} adresses en ${fmt(generated.dureeMs / 1000, 1)} s`);

const databaseConfig = { dialect: "sqlite" as const, filename: path.join(dir, "bench.db") };
const database = openDatabase(databaseConfig);
await migrateToLatest(database.db);
await importTerritories(database.db, "28");
const imported = await importBan(
  database.db,
  generated.files.map((f) => f.file),
);
console.log(
  `Import : ${fmt(imported.adresses)} adresses en ${fmt(imported.dureeMs / 1000, 1)} s, ${fmt(imported.adresses / (imported.dureeMs / 1000))} adresses/s`,
);

global.gc?.();
const heapBefore = process.memoryUsage();
const app = await buildApp({
  config: { ...loadConfig({ TERRITOIRE_LIMITE_IP: "9999999" }), database: databaseConfig },
  database,
});
global.gc?.();
const heapAfter = process.memoryUsage();
const bytes = heapAfter.heapUsed + heapAfter.arrayBuffers - (heapBefore.heapUsed + heapBefore.arrayBuffers);
console.log(
  `Index : construit au démarrage (lecture de la base comprise) ; mémoire ${global.gc ? `${fmt(bytes / imported.adresses, 1)} octets/adresse` : "non mesurée (lancer avec node --expose-gc)"}`,
);
await app.listen({ port: 0, host: "127.0.0.1" });
const address = app.server.address();
if (!address || typeof address === "string") throw new Error("adresse d'écoute");
const base = `http://127.0.0.1:${address.port}`;

// Queries as people type them: labels of random addresses of the demo, lower case, no postcode.
const lines = readFileSync(generated.files[0]?.file as string, "utf8")
  .split("\n")
  .slice(1, 200_001)
  .filter(Boolean);
const queries = lines
  .filter((_, i) => i % 97 === 0)
  .slice(0, 500)
  .map((l) => {
    const f = l.split(";");
    return `${f[2]} ${f[4]} ${f[7]}`.toLowerCase();
  });
let next = 0;
const result = await autocannon({
  url: base,
  connections: 16,
  duration: DURATION_S,
  requests: [
    {
      setupRequest: (request) => ({
        ...request,
        path: `/api/adresse/search?q=${encodeURIComponent(queries[next++ % queries.length] as string)}&limit=5`,
      }),
    },
  ],
});
console.log(
  `HTTP /search, 16 connexions, ${DURATION_S} s : ${fmt(result.requests.average)} requêtes/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, erreurs ${result.errors + result.non2xx}`,
);

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

await app.close();
await database.close();
