import { type Command, Command as CommanderCommand } from "commander";
import { withDatabase } from "../../../cli/with-database.ts";
import type { AppDatabase } from "../../../shared/db/database.ts";
import { type ProgressListener, terminalProgress } from "../../../shared/progress/progress.ts";
import { type BuildingImportOptions, expectedFailures, withBuildingImportOptions } from "./cli-options.ts";
import { printImportResult } from "./cli-report.ts";
import type { ThdImportResult } from "./run-thd-import.ts";

/** What every building-level importer is given by its command. */
export interface BuildingImportInput {
  trimestre: string;
  fichier: string[];
  region: string;
  simule: boolean;
  ignorerRejets: boolean;
  importePar: "cli";
}

/**
 * `territoire import <name> --trimestre CODE FICHIER…` for the building-level formats (IPE, MCI
 * base_imb, MCI eligibilite): the same options, progress, expected failures and report; only the
 * importer and its own figures differ.
 */
export function buildingImportCommand<D>(spec: {
  name: string;
  description: string;
  filesLabel: string;
  run(db: AppDatabase, input: BuildingImportInput, progress: ProgressListener): Promise<ThdImportResult<D>>;
  describeDetails(details: D): string[];
}): Command {
  return withBuildingImportOptions(
    new CommanderCommand(spec.name).description(spec.description).argument("<fichiers...>", spec.filesLabel),
  ).action(async (fichiers: string[], options: BuildingImportOptions) => {
    const progress = terminalProgress();
    await withDatabase(async (db, config) => {
      const input: BuildingImportInput = {
        trimestre: options.trimestre,
        fichier: fichiers,
        region: config.region,
        simule: options.simule === true,
        ignorerRejets: options.ignorerRejets === true,
        importePar: "cli",
      };
      const result = await expectedFailures(() => spec.run(db, input, progress));
      progress.end();
      printImportResult(result, {
        ...(options.rapport ? { rapport: options.rapport } : {}),
        describeDetails: spec.describeDetails,
      });
    });
  });
}
