import { readdir } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { type Migration, type MigrationProvider, type MigrationResultSet, Migrator } from "kysely";
import type { AppDatabase } from "./database.ts";

/**
 * Collects the migrations of every module (`src/modules/<module>/migrations/*.ts`) into one history,
 * ordered by file name. File names start with a date, then the module (`2026_11_28_0001_territory_…`),
 * so the global order is the order in which they were written whatever module holds them.
 */
export class ModuleMigrationProvider implements MigrationProvider {
  constructor(private readonly modulesDir: string) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const migrations: Record<string, Migration> = {};
    for (const module of await readdir(this.modulesDir, {
      withFileTypes: true,
    })) {
      if (!module.isDirectory()) continue;
      const dir = path.join(this.modulesDir, module.name, "migrations");
      let files: string[];
      try {
        files = await readdir(dir);
      } catch {
        continue;
      }
      for (const file of files.filter((f) => /^\d{4}_\d{2}_\d{2}_\d{4}_.+\.ts$/.test(f))) {
        const name = file.replace(/\.ts$/, "");
        if (migrations[name]) throw new Error(`Migration ${name} définie deux fois`);
        migrations[name] = (await import(pathToFileURL(path.join(dir, file)).href)) as Migration;
      }
    }
    return migrations;
  }
}

export const MODULES_DIR = path.resolve(import.meta.dirname, "../../modules");

export class MigrationError extends Error {
  override name = "MigrationError";
}

/** Brings the schema to the latest version; throws with the failing migration's name. */
export async function migrateToLatest(db: AppDatabase, modulesDir = MODULES_DIR): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: new ModuleMigrationProvider(modulesDir),
  });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === "Error")?.migrationName ?? "?";
    const cause = result.error instanceof Error ? result.error.message : String(result.error);
    throw new MigrationError(`La migration ${failed} a échoué : ${cause}`, {
      cause: result.error,
    });
  }
  return result;
}
