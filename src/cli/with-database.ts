import { type AppConfig, loadConfig } from "../shared/config/config.ts";
import { type AppDatabase, openDatabase } from "../shared/db/database.ts";
import { migrateToLatest } from "../shared/db/migrator.ts";

/** Runs a CLI action on the configured database, migrated, and closes it whatever happens. */
export async function withDatabase<T>(action: (db: AppDatabase, config: AppConfig) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = openDatabase(config.database);
  try {
    await migrateToLatest(database.db);
    return await action(database.db, config);
  } finally {
    await database.close();
  }
}

/** Reads the whole standard input (for secrets that must not appear in the process list). */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}
