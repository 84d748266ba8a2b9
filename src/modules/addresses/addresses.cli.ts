import { writeFileSync } from "node:fs";
import { type Command, Command as CommanderCommand, InvalidArgumentError } from "commander";
import { withDatabase } from "../../cli/with-database.ts";
import { toCsv } from "../../shared/http/csv.ts";
import { terminalProgress } from "../../shared/progress/progress.ts";
import { generateDemoAddresses } from "./generate-demo-addresses/generate-demo-addresses.ts";
import { BanFileError, importBan } from "./import-ban/import-ban.service.ts";
import type { Rejection } from "./import-ban/parse-ban.ts";

const fmt = (n: number) => Math.round(n).toLocaleString("fr-FR");

/**
 * Registers the address commands: `import adresses FICHIER…` under the existing `import` command,
 * and returns the `demo` command (`demo adresses`) for the program to add.
 */
export function addressCommands(program: Command): Command {
  const importCommand = program.commands.find((c) => c.name() === "import");
  if (importCommand) importCommand.addCommand(importAddressesCommand());
  const demo = new CommanderCommand("demo").description("Produit des données de démonstration");
  demo.addCommand(demoAddressesCommand());
  return demo;
}

function importAddressesCommand(): Command {
  return new CommanderCommand("adresses")
    .description(
      "Importe des fichiers d'adresses au format BAN (CSV « ; », 23 colonnes, et le fichier des lieux-dits de la BAN, 13 colonnes ; .csv ou .csv.gz) comme nouveau lot, remplacé d'un coup ; les mêmes fichiers réimportés ne changent rien",
    )
    .argument("<fichiers...>", "fichiers adresses-<dep>.csv[.gz] et lieux-dits-<dep>-beta.csv[.gz]")
    .option("--strict", "ne charger aucune ligne si une seule est en erreur")
    .option(
      "--rapport <fichier.csv>",
      "écrire toutes les lignes rejetées (ligne, champ, valeur, motif) dans ce fichier",
    )
    .action(async (files: string[], options: { strict?: boolean; rapport?: string }) => {
      const progress = terminalProgress();
      await withDatabase(async (db) => {
        let report: Awaited<ReturnType<typeof importBan>>;
        try {
          report = await importBan(db, files, { strict: options.strict === true, onProgress: progress });
        } catch (error) {
          progress.end();
          if (error instanceof BanFileError) {
            process.stderr.write(`Erreur : ${error.message}\n`);
            process.exitCode = 1;
            return;
          }
          throw error;
        }
        progress.end();
        if (report.statut === "inchange") {
          console.log(
            `Rien à faire : ces fichiers (SHA-256 ${report.sha256.slice(0, 12)}…) sont déjà ceux du lot actif ${report.lotId} (${fmt(report.adresses)} adresses).`,
          );
          return;
        }
        const seconds = report.dureeMs / 1000;
        console.log(
          `${fmt(report.lignesLues)} lignes lues en ${seconds.toFixed(1)} s (${fmt(report.lignesLues / seconds)} lignes/s) ; ${fmt(report.adresses)} adresses chargées ; ${fmt(report.rejets)} lignes rejetées.`,
        );
        if (report.statut === "refuse") {
          console.log("Mode strict : lignes en erreur, aucune adresse chargée ; le lot actif précédent reste servi.");
          process.exitCode = 1;
        } else {
          console.log(`Lot ${report.lotId} actif${report.lotRemplace ? ` (remplace ${report.lotRemplace})` : ""}.`);
        }
        for (const r of report.rejections.slice(0, 10)) console.log(`  ${describeRejection(r)}`);
        if (report.rejets > 10) console.log(`  … et ${fmt(report.rejets - 10)} autres`);
        if (options.rapport) {
          writeFileSync(options.rapport, rejectionReport(report.rejections));
          console.log(
            `Rapport des rejets : ${options.rapport}${report.rejections.length < report.rejets ? ` (les ${fmt(report.rejections.length)} premiers)` : ""}`,
          );
        }
      });
    });
}

export function describeRejection(r: Rejection): string {
  return `${r.fichier} ligne ${r.line}, ${r.field} « ${r.value} » : ${r.reason}`;
}

export function rejectionReport(rejections: Rejection[]): string {
  return toCsv(rejections, [
    { header: "fichier", value: (r) => r.fichier },
    { header: "ligne", value: (r) => r.line },
    { header: "champ", value: (r) => r.field },
    { header: "valeur", value: (r) => r.value },
    { header: "motif", value: (r) => r.reason },
  ]);
}

function demoAddressesCommand(): Command {
  return new CommanderCommand("adresses")
    .description(
      "Écrit des adresses de démonstration au format BAN, un fichier adresses-<dep>.csv par département : voies inventées, positions dans les vrais contours, nombre de locaux réel (ARCEP), vrais sites (collèges, hôpitaux, enseignement supérieur)",
    )
    .requiredOption("--out <dossier>", "dossier où écrire les fichiers")
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
    .action((options: { out: string; departements?: string[]; graine?: number }) => {
      const report = generateDemoAddresses({
        outDir: options.out,
        ...(options.departements ? { departements: options.departements } : {}),
        ...(options.graine !== undefined ? { graine: options.graine } : {}),
        region: process.env.TERRITOIRE_REGION ?? "28",
      });
      for (const f of report.files) console.log(`${f.file} : ${fmt(f.adresses)} adresses`);
      console.log(
        `${fmt(report.adresses)} adresses (${fmt(report.communes)} communes, dont ${report.sites} sites réels et ${fmt(report.lieuxDits)} lieux-dits sans numéro) en ${(report.dureeMs / 1000).toFixed(1)} s.`,
      );
    });
}
