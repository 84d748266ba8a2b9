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
import { importIpe } from "./import-ipe.service.ts";

/** `territoire import ipe --trimestre CODE FICHIER…` */
export function importIpeCommand(): Command {
  return withBuildingImportOptions(
    new CommanderCommand("ipe")
      .description(
        "Importe des fichiers IPE (Interop'Fibre PM v3 : « ; », UTF-8 ou windows-1252, <…>_<CodeOI>_PM_IPEZMD_V30_<AAAAMMJJ>.csv) : remplace les immeubles FttH du trimestre pour chaque OI présent",
      )
      .argument("<fichiers...>", "fichiers IPE"),
  ).action(async (fichiers: string[], options: BuildingImportOptions) => {
    const progress = terminalProgress();
    await withDatabase(async (db, config) => {
      const result = await expectedFailures(() =>
        importIpe(
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
          `  ${fmt(d.immeubles)} immeubles (OI : ${d.operateurs.join(", ") || "aucun"}), dont ${fmt(d.rapproches)} rapprochés d'un immeuble base_imb ; ${fmt(d.lignesSommees)} lignes sommées avec une autre du même hexaclé et bâtiment.`,
          `  ${fmt(d.communesAgregees)} communes recalculées depuis les immeubles.`,
        ],
      });
    });
  });
}
