// BAN import throughput: generates (or reuses) the demo address files of Normandy, or of the
// départements listed in BENCH_DEPARTEMENTS (e.g. "14,61"), then imports them into a fresh SQLite
// file and, when DATABASE_URL names one, a fresh PostgreSQL database; prints rows/s for parse+insert.
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { generateDemoAddresses } from "../src/modules/addresses/generate-demo-addresses/generate-demo-addresses.ts";
import { importBan } from "../src/modules/addresses/import-ban/import-ban.service.ts";
import { type Dialect, openDatabase } from "../src/shared/db/database.ts";
import { migrateToLatest } from "../src/shared/db/migrator.ts";
import { createScratchDatabase, postgresServerUrl } from "../src/shared/testing/test-databases.ts";

const departements = (process.env.BENCH_DEPARTEMENTS ?? "14,27,50,61,76").split(",").map((d) => d.trim());
const graine = Number(process.env.BENCH_GRAINE ?? 1);
const dir = path.join(tmpdir(), `territoire-adresses-demo-${departements.join("-")}-${graine}`);
const files = departements.map((d) => path.join(dir, `adresses-${d}.csv`));
const fmt = (n: number) => Math.round(n).toLocaleString("fr-FR");

if (files.every((f) => existsSync(f))) {
  console.log(`Fichiers de démonstration réutilisés : ${dir}`);
} else {
  const generated = generateDemoAddresses({ outDir: dir, departements, graine });
  console.log(
    `Génération : ${fmt(generated.adresses)} adresses (${generated.communes} communes, ${generated.sites} sites) en ${(generated.dureeMs / 1000).toFixed(1)} s → ${dir}`,
  );
}

// SQLite twice: parsing in a worker thread (the default) and in the main thread, since the gain of
// the worker depends on a second core being free.
const runs: { dialect: Dialect; parallel: boolean }[] = [
  { dialect: "sqlite", parallel: true },
  { dialect: "sqlite", parallel: false },
  ...(postgresServerUrl() ? [{ dialect: "postgres" as const, parallel: true }] : []),
];
for (const { dialect, parallel } of runs) {
  const scratch = await createScratchDatabase(dialect);
  const database = openDatabase(scratch.config);
  const label = `${dialect} (analyse ${parallel ? "dans un worker" : "dans le fil principal"})`;
  try {
    await migrateToLatest(database.db);
    const report = await importBan(database.db, files, { parallel });
    const seconds = report.dureeMs / 1000;
    console.log(
      `${label} : ${fmt(report.adresses)} adresses importées (${report.rejets} rejets) en ${seconds.toFixed(1)} s, soit ${fmt(report.lignesLues / seconds)} lignes/s (hachage + lecture + contrôle + insertion)`,
    );
    const again = await importBan(database.db, files, { parallel });
    console.log(`${label} : réimport des mêmes fichiers : ${again.statut} en ${(again.dureeMs / 1000).toFixed(1)} s`);
  } finally {
    await database.close();
    await scratch.drop();
  }
}
