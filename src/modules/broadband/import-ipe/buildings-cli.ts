import { type Command, InvalidArgumentError } from "commander";
import { CliError } from "../../../cli/commands/accounts.ts";
import { InvalidQuarterError, quarterCode } from "../quarters/quarter-code.ts";
import { QuarterNotFoundError, QuarterPublishedError } from "../quarters/quarters.service.ts";

/** Helpers of the building-level commands (IPE, MCI, sites, aggregation). */
export const fmt = (n: number) => Math.round(n).toLocaleString("fr-FR");

export const quarterOption = (value: string) => {
  try {
    return quarterCode(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
};

/** Expected failures (published or unknown quarter, bad code): one French line, exit code 1. */
export async function expectedFailures<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (
      error instanceof QuarterPublishedError ||
      error instanceof QuarterNotFoundError ||
      error instanceof InvalidQuarterError
    )
      throw new CliError(error.message);
    throw error;
  }
}

export interface BuildingImportOptions {
  trimestre: string;
  ignorerRejets?: boolean;
  rapport?: string;
  simule?: boolean;
}

/** The options every building-level import takes. */
export function withBuildingImportOptions(command: Command, trimestreRequired = true): Command {
  const withQuarter = trimestreRequired
    ? command.requiredOption("--trimestre <code>", "trimestre où charger les données (ex. 2018T1)", quarterOption)
    : command.option("--trimestre <code>", "trimestre (défaut : le dernier trimestre brouillon)", quarterOption);
  return withQuarter
    .option(
      "--ignorer-rejets",
      "charger les lignes valides même si d'autres sont rejetées (défaut : rien n'est chargé)",
    )
    .option(
      "--rapport <fichier.csv>",
      "écrire les lignes rejetées (fichier, ligne, champ, valeur, motif) dans ce fichier",
    )
    .option("--simule", "marquer le trimestre comme simulé (données de démonstration)");
}
