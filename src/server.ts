import cluster, { type Worker } from "node:cluster";
import type { FastifyInstance } from "fastify";
import { buildApp } from "./app.ts";
import { recordAudit } from "./modules/accounts/audit-log/record-audit.ts";
import { ensureDemoAccounts } from "./modules/accounts/demo-accounts/demo-accounts.ts";
import { ensureDemoAddresses } from "./modules/addresses/demo-addresses/ensure-demo-addresses.ts";
import { ensureDemoThd } from "./modules/broadband/demo-thd/ensure-demo-thd.ts";
import { ensureDemoCatalogues } from "./modules/eligibility/service-catalogues/demo-catalogues.ts";
import { ensureTerritories } from "./modules/territory/ensure-territories/ensure-territories.service.ts";
import { type AppConfig, describeDatabase } from "./shared/config/config.ts";
import { openDatabase } from "./shared/db/database.ts";
import { migrateToLatest } from "./shared/db/migrator.ts";
import type { ProgressListener } from "./shared/progress/progress.ts";

export interface StartedServer {
  /** The application; null in the primary process of the multi-process mode, which serves nothing itself. */
  app: FastifyInstance | null;
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
    if (config.demoThd) await ensureDemoThd(database.db, config, onProgress, log);
    if (config.demoThd) {
      const versions = await ensureDemoCatalogues(database.db);
      if (versions > 0) log(`Catalogues d'exemple des RIP normands créés : ${versions} versions`);
    }
    // TERRITOIRE_PROCESSUS > 1: the database is ready; workers (this same command) each build their
    // own address index and share the port. They run the checks above again, as no-ops.
    if (config.processes > 1 && cluster.isPrimary) {
      const workers = await startWorkers(config, log);
      await database.close();
      return workers;
    }
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

/**
 * The primary process of the multi-process mode: forks `config.processes` workers running the same
 * command, waits until each listens, replaces a worker that dies, stops them all on close. The
 * kernel's connections are shared out by node:cluster (round robin by the primary).
 */
async function startWorkers(config: AppConfig, log: (line: string) => void): Promise<StartedServer> {
  let closing = false;
  const fork = () => cluster.fork({ TERRITOIRE_PROCESSUS: String(config.processes) });
  const listening = (worker: Worker) =>
    new Promise<string>((resolve, reject) => {
      const exited = (code: number | null) =>
        reject(new Error(`Le processus ${worker.process.pid} s'est arrêté au démarrage (code ${code})`));
      worker.once("exit", exited);
      worker.once("listening", (address) => {
        worker.off("exit", exited);
        const host = ["0.0.0.0", "::", ""].includes(address.address ?? "") ? "localhost" : address.address;
        resolve(`http://${address.addressType === 6 && host !== "localhost" ? `[${host}]` : host}:${address.port}`);
      });
    });
  const started = performance.now();
  const stopAll = () =>
    Promise.all(
      Object.values(cluster.workers ?? {}).map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (!worker || worker.isDead()) return resolve();
            worker.once("exit", () => resolve());
            worker.kill("SIGTERM");
          }),
      ),
    );
  let url: string;
  try {
    // All at once: they build their indexes in parallel; with PORT=0 they share one random port.
    [url = ""] = await Promise.all(Array.from({ length: config.processes }, () => listening(fork())));
  } catch (error) {
    closing = true;
    await stopAll();
    throw error;
  }
  log(`${config.processes} processus servent ${url} (prêts en ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  cluster.on("exit", (worker, code, signal) => {
    if (closing) return;
    log(`Processus ${worker.process.pid} arrêté (${signal ?? code}) : remplacé`);
    fork();
  });
  return {
    app: null,
    url,
    async close() {
      closing = true;
      await stopAll();
    },
  };
}
