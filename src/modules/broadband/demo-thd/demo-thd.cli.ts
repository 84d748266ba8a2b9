import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { type Command, Command as CommanderCommand, InvalidArgumentError } from "commander";
import { CliError } from "../../../cli/commands/accounts.ts";
import { generateDemoThd } from "../generate-demo-thd/generate-demo-thd.ts";

const fmt = (n: number) => Math.round(n).toLocaleString("fr-FR");

/** `territoire demo thd --out DOSSIER`: writes the simulated THD files (see generate-demo-thd/README.md). */
export function demoThdCommand(): Command {
  return new CommanderCommand("thd")
    .description(
      "Écrit les données THD de démonstration (SIMULÉES, calées sur des agrégats réels) : statistiques MCI par commune pour chaque trimestre 2016T4–2025T4, fichiers MCI base_imb / éligibilité et IPE par immeuble pour 2025T4, fermeture du cuivre, sites stratégiques",
    )
    .requiredOption("--out <dossier>", "dossier où écrire les fichiers")
    .option(
      "--adresses <dossier>",
      "dossier des adresses de démonstration (adresses-<dep>.csv, `territoire demo adresses`) ; défaut : générées dans <out>/adresses",
    )
    .option("--departements <codes>", "départements, séparés par des virgules (défaut : toute la région)", (value) => {
      const codes = value.split(",").map((c) => c.trim());
      if (codes.some((c) => !/^(\d{2}|2[AB]|97\d)$/.test(c)))
        throw new InvalidArgumentError("codes de départements séparés par des virgules attendus (ex. 14,50)");
      return codes;
    })
    .option("--graine <n>", "graine du tirage (mêmes graine et données : mêmes fichiers)", (value) => {
      if (!/^\d+$/.test(value)) throw new InvalidArgumentError("entier positif attendu");
      return Number(value);
    })
    .option("--sans-immeubles", "seulement les statistiques par commune (pas de fichiers par immeuble)")
    .action(
      (options: {
        out: string;
        adresses?: string;
        departements?: string[];
        graine?: number;
        sansImmeubles?: boolean;
      }) => {
        let adresses: string[] | undefined;
        if (options.adresses) {
          if (!existsSync(options.adresses)) throw new CliError(`${options.adresses} : dossier introuvable`);
          adresses = readdirSync(options.adresses)
            .filter((f) => /^adresses-.+\.csv$/.test(f))
            .map((f) => path.join(options.adresses as string, f));
          if (adresses.length === 0) throw new CliError(`${options.adresses} : aucun fichier adresses-<dep>.csv`);
        }
        const report = generateDemoThd({
          outDir: options.out,
          ...(adresses ? { adresses } : {}),
          ...(options.departements ? { departements: options.departements } : {}),
          ...(options.graine !== undefined ? { graine: options.graine } : {}),
          immeubles: options.sansImmeubles !== true,
          region: process.env.TERRITOIRE_REGION ?? "28",
        });
        console.log(
          `${report.manifest.statistiques.length} trimestres de statistiques (${fmt(report.communes)} communes), ${fmt(report.immeubles)} immeubles, ${fmt(report.lignesEligibilite)} lignes d'éligibilité, en ${(report.dureeMs / 1000).toFixed(1)} s.`,
        );
        console.log(`Données SIMULÉES à partir d'agrégats réels : voir ${path.join(options.out, "LISEZMOI.md")}.`);
      },
    );
}

/** Adds `demo thd` under the program's `demo` command (created by the address module), or creates it. */
export function addDemoThdCommand(program: Command): void {
  let demo = program.commands.find((c) => c.name() === "demo");
  if (!demo) {
    demo = new CommanderCommand("demo").description("Produit des données de démonstration");
    program.addCommand(demo);
  }
  demo.addCommand(demoThdCommand());
}
