import { type Command, InvalidArgumentError } from "commander";
import { CliError } from "../../../cli/commands/accounts.ts";
import { InvalidQuarterError, quarterCode } from "../quarters/quarter-code.ts";
import { QuarterNotFoundError, QuarterPublishedError } from "../quarters/quarters.service.ts";

/** Helpers shared by every broadband command (imports, quarters, aggregation). */
export const fmt = (n: number) => Math.round(n).toLocaleString("fr-FR");

export const quarterOption = (value: string) => {
  try {
    return quarterCode(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
};

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Expected failures (published or unknown quarter, bad code, and the command's own `also`): one
 * French line, exit code 1.
 */
export async function expectedFailures<T>(action: () => Promise<T>, also: readonly ErrorClass[] = []): Promise<T> {
  try {
    return await action();
  } catch (error) {
    const expected: readonly ErrorClass[] = [QuarterPublishedError, QuarterNotFoundError, InvalidQuarterError, ...also];
    if (expected.some((kind) => error instanceof kind)) throw new CliError((error as Error).message);
    throw error;
  }
}

/** Options every THD import takes: what to do with rejected lines. */
export function withImportOptions(command: Command): Command {
  return command
    .option(
      "--ignorer-rejets",
      "charger les lignes valides même si d'autres sont rejetées (défaut : rien n'est chargé)",
    )
    .option(
      "--rapport <fichier.csv>",
      "écrire les lignes rejetées (fichier, ligne, champ, valeur, motif) dans ce fichier",
    );
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
  return withImportOptions(withQuarter).option(
    "--simule",
    "marquer le trimestre comme simulé (données de démonstration)",
  );
}
