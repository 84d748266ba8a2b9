import { Command } from "commander";
import { describeDatabase, loadConfig } from "../../shared/config/config.ts";
import { openDatabase } from "../../shared/db/database.ts";
import { migrateToLatest } from "../../shared/db/migrator.ts";

export function migrateCommand(): Command {
  return new Command("migrate").description("Met le schéma de la base à jour (DATABASE_URL)").action(async () => {
    const config = loadConfig();
    const database = openDatabase(config.database);
    try {
      console.log(`Base de données : ${describeDatabase(config.database)}`);
      const result = await migrateToLatest(database.db);
      const applied = result.results?.filter((r) => r.status === "Success") ?? [];
      for (const r of applied) console.log(`  appliquée : ${r.migrationName}`);
      console.log(applied.length === 0 ? "Schéma déjà à jour." : `${applied.length} migration(s) appliquée(s).`);
    } finally {
      await database.close();
    }
  });
}
