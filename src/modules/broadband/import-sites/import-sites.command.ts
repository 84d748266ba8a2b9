import { type Command, Command as CommanderCommand } from "commander";
import { CliError } from "../../../cli/commands/accounts.ts";
import { withDatabase } from "../../../cli/with-database.ts";
import type { AppDatabase } from "../../../shared/db/database.ts";
import { terminalProgress } from "../../../shared/progress/progress.ts";
import {
  type BuildingImportOptions,
  expectedFailures,
  fmt,
  withBuildingImportOptions,
} from "../import-common/cli-options.ts";
import { printImportResult } from "../import-common/cli-report.ts";
import type { ImportSitesDetails } from "./import-sites.service.ts";
import { importAnnuaireEducation, importSites } from "./import-sites.service.ts";

const TYPES: Record<string, string> = {
  college: "collèges",
  sante: "établissements de santé",
  enseignement_superieur: "sites d'enseignement supérieur",
};

const describe = (d: ImportSitesDetails) => [
  `  ${Object.entries(d.parType)
    .map(([t, n]) => `${fmt(n)} ${TYPES[t] ?? t}`)
    .join(", ")} ; ${fmt(d.relies)} rattachés à un immeuble, dont ${fmt(d.raccordes)} raccordés.`,
];

/** The quarter given, else the latest draft one. */
async function targetQuarter(db: AppDatabase, given: string | undefined): Promise<string> {
  if (given) return given;
  const latest = await db
    .selectFrom("thd_trimestre")
    .select("code")
    .where("statut", "=", "brouillon")
    .orderBy("code", "desc")
    .executeTakeFirst();
  if (!latest) throw new CliError("Aucun trimestre brouillon : précisez --trimestre");
  return latest.code as string;
}

/** `territoire import sites [--trimestre CODE]` */
export function importSitesCommand(): Command {
  return withBuildingImportOptions(
    new CommanderCommand("sites").description(
      "Importe les sites publics stratégiques de la région (collèges, établissements de santé, enseignement supérieur : fichiers réels livrés) et les rattache aux immeubles du trimestre",
    ),
    false,
  ).action(async (options: Partial<BuildingImportOptions>) => {
    const progress = terminalProgress();
    await withDatabase(async (db, config) => {
      const trimestre = await targetQuarter(db, options.trimestre);
      const result = await expectedFailures(() =>
        importSites(
          db,
          {
            trimestre,
            region: config.region,
            simule: options.simule === true,
            ignorerRejets: options.ignorerRejets === true,
            importePar: "cli",
          },
          progress,
        ),
      );
      progress.end();
      printImportResult(result, {
        ...(options.rapport ? { rapport: options.rapport } : {}),
        describeDetails: describe,
      });
    });
  });
}

/** `territoire import annuaire-education FICHIER [--trimestre CODE]` */
export function importAnnuaireEducationCommand(): Command {
  return withBuildingImportOptions(
    new CommanderCommand("annuaire-education")
      .description(
        "Importe les collèges de la région depuis un fichier de l'annuaire de l'éducation (« ; » : numero_uai ou Identifiant_de_l_etablissement, nom, adresse, code_commune, latitude, longitude) ; remplace les collèges du trimestre",
      )
      .argument("<fichier>", "fichier CSV de l'annuaire"),
    false,
  ).action(async (fichier: string, options: Partial<BuildingImportOptions>) => {
    const progress = terminalProgress();
    await withDatabase(async (db, config) => {
      const trimestre = await targetQuarter(db, options.trimestre);
      const result = await expectedFailures(() =>
        importAnnuaireEducation(
          db,
          {
            trimestre,
            fichier,
            region: config.region,
            simule: options.simule === true,
            ignorerRejets: options.ignorerRejets === true,
            importePar: "cli",
          },
          progress,
        ),
      );
      progress.end();
      printImportResult(result, {
        ...(options.rapport ? { rapport: options.rapport } : {}),
        describeDetails: describe,
      });
    });
  });
}
