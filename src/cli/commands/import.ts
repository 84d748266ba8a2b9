import { Command, InvalidArgumentError } from "commander";
import { recordAudit } from "../../modules/accounts/audit-log/record-audit.ts";
import { importTerritories } from "../../modules/territory/import-territories/import-territories.service.ts";
import { describeDatabase, loadConfig } from "../../shared/config/config.ts";
import { openDatabase } from "../../shared/db/database.ts";
import { migrateToLatest } from "../../shared/db/migrator.ts";
import { terminalProgress } from "../../shared/progress/progress.ts";

export function importCommand(): Command {
  const command = new Command("import").description("Importe des données de référence");
  command
    .command("territoires")
    .description(
      "Importe (ou réimporte) les régions, départements, EPCI et communes du COG en vigueur, avec contours, centres et densité",
    )
    .option("--region <code>", "code INSEE de la région (défaut : TERRITOIRE_REGION)", (value) => {
      if (!/^\d{2}$/.test(value)) throw new InvalidArgumentError("code de région à deux chiffres attendu (ex. 28)");
      return value;
    })
    .action(async (options: { region?: string }) => {
      const config = loadConfig(options.region ? { ...process.env, TERRITOIRE_REGION: options.region } : process.env);
      const database = openDatabase(config.database);
      const progress = terminalProgress();
      try {
        console.log(`Base de données : ${describeDatabase(config.database)}`);
        await migrateToLatest(database.db);
        const report = await importTerritories(database.db, config.region, {
          onProgress: progress,
        });
        progress.end();
        await recordAudit(database.db, {
          acteur: "cli",
          action: "import.territoires",
          cible: `region:${report.region.code}`,
          details: { communes: report.communes, epci: report.epci, sourceCog: report.sourceCog },
        });
        console.log(
          `${report.region.nom} (${report.region.code}) : ${report.departements} départements, ${report.epci} EPCI, ${report.communes} communes.`,
        );
        console.log(
          `Contours : ${report.communesAvecPolygone}/${report.communes} communes avec polygone${report.communesAvecPolygone < report.communes ? " (les autres sont représentées par leur centre)" : ""}.`,
        );
        for (const m of report.contoursFusionnes)
          console.log(`  contour ${m.ancien} rattaché à la commune ${m.actuel} (COG en vigueur)`);
        for (const code of report.contoursIgnores) console.log(`  contour ${code} ignoré : commune inconnue du COG`);
      } finally {
        await database.close();
      }
    });
  return command;
}
