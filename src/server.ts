import type { FastifyInstance } from "fastify";
import { buildApp } from "./app.ts";
import { recordAudit } from "./modules/accounts/audit-log/record-audit.ts";
import { ensureDemoAccounts } from "./modules/accounts/demo-accounts/demo-accounts.ts";
import { ensureDemoAddresses } from "./modules/addresses/demo-addresses/ensure-demo-addresses.ts";
import { ensureTerritories } from "./modules/territory/ensure-territories/ensure-territories.service.ts";
import { type AppConfig, describeDatabase } from "./shared/config/config.ts";
import { openDatabase } from "./shared/db/database.ts";
import { migrateToLatest } from "./shared/db/migrator.ts";
import type { ProgressListener } from "./shared/progress/progress.ts";

export interface StartedServer {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

/**
 * Everything `npm start` does after reading the configuration: open the database, migrate, import
 * the région's territories on first run, then listen.
 */
export async function startServer(
  config: AppConfig,
  {
    onProgress,
    log = console.log,
    logger = true,
  }: {
    onProgress: ProgressListener;
    log?: (line: string) => void;
    logger?: boolean | { level: string };
  },
): Promise<StartedServer> {
  log(`Base de données : ${describeDatabase(config.database)}`);
  const database = openDatabase(config.database);
  try {
    const migrations = await migrateToLatest(database.db);
    const applied = migrations.results?.filter((r) => r.status === "Success").length ?? 0;
    if (applied > 0) log(`Migrations appliquées : ${applied}`);
    const { imported } = await ensureTerritories(database.db, config.region, onProgress);
    if (imported) {
      await recordAudit(database.db, {
        acteur: "demarrage",
        action: "import.territoires",
        cible: `region:${imported.region.code}`,
        details: { communes: imported.communes, epci: imported.epci, sourceCog: imported.sourceCog },
      });
      log(
        `Territoires importés : ${imported.region.nom}, ${imported.departements} départements, ${imported.epci} EPCI, ${imported.communes} communes (${imported.communesAvecPolygone} avec contour)`,
      );
    }
    if (config.demo) {
      const created = await ensureDemoAccounts(database.db);
      if (created > 0) log(`Comptes de démonstration créés : ${created} (voir la page de connexion)`);
    }
    if (config.demoAddresses) await ensureDemoAddresses(database.db, config, onProgress, log);
    const app = await buildApp({ config, database, logger });
    const address = await app.listen({ port: config.port, host: config.host });
    const url = address.replace("0.0.0.0", "localhost").replace("[::]", "localhost");
    return {
      app,
      url,
      async close() {
        await app.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
