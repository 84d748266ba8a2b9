import { type Command, Command as CommanderCommand } from "commander";
import { withDatabase } from "../../../cli/with-database.ts";
import { terminalProgress } from "../../../shared/progress/progress.ts";
import {
  type BuildingImportOptions,
  expectedFailures,
  fmt,
  withBuildingImportOptions,
} from "../import-common/cli-options.ts";
import { printImportResult } from "../import-common/cli-report.ts";
import { importMciEligibilite } from "./import-mci-eligibilite.ts";

/** `territoire import mci-eligibilite --trimestre CODE FICHIER…` */
export function importMciEligibiliteCommand(): Command {
  return withBuildingImportOptions(
    new CommanderCommand("mci-eligibilite")
      .description(
        "Importe l'éligibilité « Ma connexion internet » (actuel_<DEP>.csv : immeuble × opérateur × technologie, classes de débit) ; les immeubles doivent avoir été importés (mci-base-imb)",
      )
      .argument("<fichiers...>", "fichiers eligibilite (décompressés)"),
  ).action(async (fichiers: string[], options: BuildingImportOptions) => {
    const progress = terminalProgress();
    await withDatabase(async (db) => {
      const result = await expectedFailures(() =>
        importMciEligibilite(
          db,
          {
            trimestre: options.trimestre,
            fichier: fichiers,
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
        describeDetails: (d) => [
          `  ${fmt(d.lignesEcrites)} lignes d'éligibilité (départements ${d.departements.join(", ") || "aucun"}) ; ${fmt(d.communesAgregees)} communes recalculées.`,
          ...(d.operateursInconnus.length > 0
            ? [`  Opérateurs sans nom dans thd_operateur : ${d.operateursInconnus.join(", ")}.`]
            : []),
        ],
      });
    });
  });
}
