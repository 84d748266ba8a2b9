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
import { importMciBaseImb } from "./import-mci-base-imb.ts";

/** `territoire import mci-base-imb --trimestre CODE FICHIER…` */
export function importMciBaseImbCommand(): Command {
  return withBuildingImportOptions(
    new CommanderCommand("mci-base-imb")
      .description(
        "Importe les immeubles « Ma connexion internet » (base_imb_<DEP>.csv, « ; », coordonnées EPSG:3857) : remplace les immeubles du trimestre dans les départements du fichier",
      )
      .argument("<fichiers...>", "fichiers base_imb (décompressés)"),
  ).action(async (fichiers: string[], options: BuildingImportOptions) => {
    const progress = terminalProgress();
    await withDatabase(async (db, config) => {
      const result = await expectedFailures(() =>
        importMciBaseImb(
          db,
          {
            trimestre: options.trimestre,
            fichier: fichiers,
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
        describeDetails: (d) => [
          `  ${fmt(d.immeubles)} immeubles (départements ${d.departements.join(", ") || "aucun"}) ; ${fmt(d.supprimes)} absents du fichier supprimés ; ${fmt(d.rapprochesIpe)} immeubles IPE rapprochés.`,
          `  ${fmt(d.communesAgregees)} communes recalculées depuis les immeubles.`,
        ],
      });
    });
  });
}
