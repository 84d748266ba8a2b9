import { type Command, Command as CommanderCommand } from "commander";
import { withDatabase } from "../../../cli/with-database.ts";
import { expectedFailures, fmt, quarterOption } from "../import-common/cli-options.ts";
import { aggregateQuarter } from "./aggregate-buildings.ts";

/** `territoire observatoire agreger --trimestre CODE`, added to the `observatoire` command. */
export function aggregateCommand(): Command {
  return new CommanderCommand("agreger")
    .description(
      "Recalcule les chiffres par commune d'un trimestre brouillon depuis ses immeubles et leur éligibilité (classes de débit, technologies, raccordables FttH, par OI)",
    )
    .requiredOption("--trimestre <code>", "trimestre, ex. 2018T1", quarterOption)
    .action(async (options: { trimestre: string }) => {
      await withDatabase(async (db) => {
        const started = Date.now();
        const summary = await expectedFailures(() => aggregateQuarter(db, options.trimestre));
        console.log(
          `Trimestre ${summary.trimestre} : ${fmt(summary.communes)} communes recalculées (${fmt(summary.locaux)} locaux) en ${((Date.now() - started) / 1000).toFixed(1)} s${summary.communesIgnorees > 0 ? ` ; ${fmt(summary.communesIgnorees)} communes gardent les chiffres d'une autre source` : ""}.`,
        );
      });
    });
}
