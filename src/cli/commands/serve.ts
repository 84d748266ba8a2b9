import cluster from "node:cluster";
import { Command } from "commander";
import { startServer } from "../../server.ts";
import { loadConfig } from "../../shared/config/config.ts";
import { terminalProgress } from "../../shared/progress/progress.ts";

export function serveCommand(): Command {
  return new Command("serve")
    .description("Migre la base, importe les territoires au premier lancement, puis sert l'API et le site web sur PORT")
    .action(async () => {
      const config = loadConfig();
      // Workers of the multi-process mode (TERRITOIRE_PROCESSUS) work silently: the primary reports.
      const worker = cluster.isWorker;
      const progress = worker ? Object.assign(() => {}, { end: () => {} }) : terminalProgress();
      const started = performance.now();
      const server = await startServer(config, {
        onProgress: progress,
        logger: { level: "warn" },
        ...(worker ? { log: () => {} } : {}),
      });
      if (worker) {
        const stopWorker = async () => {
          await server.close();
          process.exit(0);
        };
        process.once("SIGINT", stopWorker);
        process.once("SIGTERM", stopWorker);
        return;
      }
      progress.end();
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(`Prêt en ${seconds} s : ${server.url} (API : ${server.url}/api/docs)`);
      const stop = async () => {
        await server.close();
        process.exit(0);
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
}
