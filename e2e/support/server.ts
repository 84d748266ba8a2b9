import { ensureWebBuild } from "../../scripts/web-build.ts";
import { type StartedServer, startServer } from "../../src/server.ts";
import { type AppConfig, loadConfig } from "../../src/shared/config/config.ts";
import { type AppDatabase, openDatabase } from "../../src/shared/db/database.ts";
import { migrateToLatest } from "../../src/shared/db/migrator.ts";
import { ignoreProgress } from "../../src/shared/progress/progress.ts";
import { createScratchDatabase } from "../../src/shared/testing/test-databases.ts";

export interface JourneyServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The real platform for a browser journey: the built web front end, a fresh SQLite database
 * (optionally filled by `prepare` before the server builds its indexes), no demo addresses.
 */
export async function startJourneyServer(
  options: { config?: Partial<AppConfig>; prepare?: (db: AppDatabase) => Promise<void> } = {},
): Promise<JourneyServer> {
  await ensureWebBuild(() => {});
  const scratch = await createScratchDatabase("sqlite");
  if (options.prepare) {
    const opened = openDatabase(scratch.config);
    try {
      await migrateToLatest(opened.db);
      await options.prepare(opened.db);
    } finally {
      await opened.close();
    }
  }
  let server: StartedServer;
  try {
    server = await startServer(
      {
        ...loadConfig({ TERRITOIRE_DEMO_ADRESSES: "non", TERRITOIRE_DEMO_THD: "non" }),
        ...options.config,
        database: scratch.config,
        port: 0,
        host: "127.0.0.1",
      },
      { onProgress: ignoreProgress, log: () => {}, logger: false },
    );
  } catch (error) {
    await scratch.drop();
    throw error;
  }
  return {
    url: server.url,
    async close() {
      await server.close();
      await scratch.drop();
    },
  };
}
