import { existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Kysely } from "kysely";
import type { AppConfig } from "../../../shared/config/config.ts";
import type { AppDatabase } from "../../../shared/db/database.ts";
import type { ProgressListener } from "../../../shared/progress/progress.ts";
import type { BroadbandTables } from "../broadband.tables.ts";
import { DEMO_LAST_QUARTER } from "../generate-demo-thd/demo-quarters.ts";
import { loadDemoThd } from "./load-demo-thd.ts";

/**
 * First start in demo mode: generates the simulated THD files next to the database (data/demo-thd),
 * on the demo addresses already written there, and loads them with the ordinary importers. Later
 * starts find the latest demo quarter published and do nothing.
 */
export async function ensureDemoThd(
  db: AppDatabase,
  config: AppConfig,
  onProgress: ProgressListener,
  log: (line: string) => void,
): Promise<void> {
  const latest = await (db as unknown as Kysely<BroadbandTables>)
    .selectFrom("thd_trimestre")
    .select("statut")
    .where("code", "=", DEMO_LAST_QUARTER)
    .executeTakeFirst();
  if (latest?.statut === "publie") return;
  const baseDir =
    config.database.dialect === "sqlite" && config.database.filename !== ":memory:"
      ? path.dirname(config.database.filename)
      : tmpdir();
  const addressDir = path.join(baseDir, "adresses-demo");
  const adresses = existsSync(addressDir)
    ? readdirSync(addressDir)
        .filter((f) => /^adresses-.+\.csv$/.test(f))
        .map((f) => path.join(addressDir, f))
    : [];
  const report = await loadDemoThd(db, path.join(baseDir, "demo-thd"), onProgress, {
    ...(adresses.length > 0 ? { adresses } : {}),
    region: config.region,
    immeubles: config.demoThdImmeubles,
    log,
  });
  log(
    `THD de démonstration (simulé) : ${report.trimestres} trimestres publiés, ${report.immeubles.toLocaleString("fr-FR")} immeubles en ${DEMO_LAST_QUARTER}, import en ${(report.dureeImportMs / 1000).toFixed(1)} s`,
  );
}
