import { tmpdir } from "node:os";
import path from "node:path";
import type { AppConfig } from "../../../shared/config/config.ts";
import type { AppDatabase } from "../../../shared/db/database.ts";
import type { ProgressListener } from "../../../shared/progress/progress.ts";
import { generateDemoAddresses } from "../generate-demo-addresses/generate-demo-addresses.ts";
import { findActiveLot } from "../import-ban/import-ban.repository.ts";
import { importBan } from "../import-ban/import-ban.service.ts";

/**
 * First start in demo mode: writes the demo addresses as BAN files next to the database and loads
 * them with the ordinary importer, as a real BAN file would be. Later starts find the active lot and
 * do nothing.
 */
export async function ensureDemoAddresses(
  db: AppDatabase,
  config: AppConfig,
  onProgress: ProgressListener,
  log: (line: string) => void,
): Promise<void> {
  if (await findActiveLot(db)) return;
  const baseDir =
    config.database.dialect === "sqlite" && config.database.filename !== ":memory:"
      ? path.dirname(config.database.filename)
      : tmpdir();
  const outDir = path.join(baseDir, "adresses-demo");
  onProgress({ step: "Génération des adresses de démonstration (BAN)", done: 0, total: null });
  const generated = generateDemoAddresses({ outDir, region: config.region });
  log(
    `Adresses de démonstration : ${generated.adresses.toLocaleString("fr-FR")} adresses simulées écrites dans ${outDir} en ${(generated.dureeMs / 1000).toFixed(1)} s`,
  );
  const report = await importBan(
    db,
    generated.files.map((f) => f.file),
    { onProgress },
  );
  log(
    `Adresses importées : ${report.adresses.toLocaleString("fr-FR")} (${report.rejets} rejet(s)) en ${(report.dureeMs / 1000).toFixed(1)} s ; construction de l'index de recherche…`,
  );
}
