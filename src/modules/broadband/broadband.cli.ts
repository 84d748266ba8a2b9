import { type Command, Command as CommanderCommand } from "commander";
import { withDatabase } from "../../cli/with-database.ts";
import { terminalProgress } from "../../shared/progress/progress.ts";
import { aggregateCommand } from "./aggregate-buildings/aggregate-buildings.command.ts";
import { addDemoThdCommand } from "./demo-thd/demo-thd.cli.ts";
import { ArcepFtthOptionError, importArcepFtth } from "./import-arcep-ftth/import-arcep-ftth.service.ts";
import { expectedFailures, fmt, quarterOption, withImportOptions } from "./import-common/cli-options.ts";
import { printImportResult } from "./import-common/cli-report.ts";
import { importFermetureCuivre } from "./import-fermeture-cuivre/import-fermeture-cuivre.service.ts";
import { importIpeCommand } from "./import-ipe/import-ipe.command.ts";
import { importMciBaseImbCommand } from "./import-mci-base-imb/import-mci-base-imb.command.ts";
import { importMciEligibiliteCommand } from "./import-mci-eligibilite/import-mci-eligibilite.command.ts";
import {
  importMciStatistiques,
  mciStatisticsFiles,
} from "./import-mci-statistiques/import-mci-statistiques.service.ts";
import { importAnnuaireEducationCommand, importSitesCommand } from "./import-sites/import-sites.command.ts";
import { listQuarters, publishQuarter } from "./quarters/quarters.service.ts";

/** The broadband failures a person can fix: one French line, exit code 1. */
const expected = <T>(action: () => Promise<T>) => expectedFailures(action, [ArcepFtthOptionError]);

/**
 * Registers the broadband commands: the THD importers under the existing `import` command, and
 * returns the `trimestre` command (list, publish) for the program to add. One entry per importer.
 */
export function broadbandCommands(program: Command): Command {
  const importCommand = program.commands.find((c) => c.name() === "import");
  if (importCommand) {
    for (const command of [importArcepFtthCommand(), importMciStatistiquesCommand(), importFermetureCuivreCommand()])
      importCommand.addCommand(command);
    for (const command of [
      importIpeCommand(),
      importMciBaseImbCommand(),
      importMciEligibiliteCommand(),
      importSitesCommand(),
      importAnnuaireEducationCommand(),
    ])
      importCommand.addCommand(command);
  }
  const observatoire =
    program.commands.find((c) => c.name() === "observatoire") ??
    program.command("observatoire").description("Observatoire du THD : calculs sur les données importées");
  observatoire.addCommand(aggregateCommand());
  addDemoThdCommand(program);
  return quarterCommand();
}

interface ImportOptions {
  ignorerRejets?: boolean;
  rapport?: string;
}

function importArcepFtthCommand(): Command {
  return withImportOptions(
    new CommanderCommand("arcep-ftth")
      .description(
        "Importe le déploiement FttH ARCEP par commune (ftthCommunes.csv tel que publié : lignes de titre, « , », espaces des milliers, « - » pour zéro, codes communes d'avant 2019 rapportés au COG 2026), un trimestre par colonne",
      )
      .argument("<fichier>", "ftthCommunes.csv")
      .option(
        "--communes <fichier>",
        "communes.csv ARCEP : locaux = logements + établissements, et opérateur d'infrastructure (défaut : locaux = raccordables)",
      )
      .option("--trimestre <code>", "ne charger que ce trimestre (ex. 2018T1)", quarterOption),
  ).action(async (fichier: string, options: ImportOptions & { communes?: string; trimestre?: string }) => {
    const progress = terminalProgress();
    await withDatabase(async (db, config) => {
      const results = await expected(() =>
        importArcepFtth(db, {
          fichier,
          ...(options.communes ? { communes: options.communes } : {}),
          ...(options.trimestre ? { trimestre: options.trimestre } : {}),
          region: config.region,
          ignorerRejets: options.ignorerRejets === true,
          importePar: "cli",
          onProgress: progress,
        }),
      );
      progress.end();
      for (const result of results) {
        printImportResult(result, {
          ...(options.rapport ? { rapport: options.rapport } : {}),
          describeDetails: (d) => [
            `  ${fmt(d.communes)} communes (COG 2026) depuis ${fmt(d.communesSource)} codes communes du fichier, dont ${fmt(d.codesRattaches)} rattachés à une commune nouvelle ; ${fmt(d.autresRegions)} communes d'autres régions ignorées.`,
            `  ${fmt(d.ftthRaccordables)} locaux raccordables FttH : ${Object.entries(d.parDepartement)
              .sort()
              .map(([dep, n]) => `${dep} → ${fmt(n)}`)
              .join(" ; ")}.`,
            ...(d.communesAbsentes.length > 0
              ? [
                  `  Sans chiffre dans le fichier (comptées dans une autre commune ou absentes) : ${d.communesAbsentes.join(", ")}.`,
                ]
              : []),
            d.locaux === "raccordables"
              ? "  Locaux : nombre de raccordables faute de communes.csv (--communes)."
              : `  Locaux : logements + établissements (communes.csv) ; ${fmt(d.communesAvecOi)} communes avec un opérateur d'infrastructure.`,
          ],
        });
      }
    });
  });
}

function importMciStatistiquesCommand(): Command {
  return withImportOptions(
    new CommanderCommand("mci-statistiques")
      .description(
        "Importe les statistiques communales « Ma connexion internet » (ARCEP) d'un trimestre : commune_debit.csv, commune_debit_terrestre.csv, commune_debit_filaire.csv, commune_techno.csv (« ; », UTF-8, seuils cumulés convertis en classes)",
      )
      .argument("<chemins...>", "un dossier qui contient ces fichiers, ou les fichiers eux-mêmes")
      .requiredOption("--trimestre <code>", "trimestre où charger les chiffres (ex. 2024T4)", quarterOption),
  ).action(async (chemins: string[], options: ImportOptions & { trimestre: string }) => {
    const progress = terminalProgress();
    await withDatabase(async (db, config) => {
      const fichiers = await expected(async () => mciStatisticsFiles(chemins));
      const result = await expected(() =>
        importMciStatistiques(
          db,
          {
            trimestre: options.trimestre,
            fichiers,
            region: config.region,
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
          `  ${fmt(d.communes)} communes ; fichiers : ${d.fichiers.join(", ")} ; ${fmt(d.autresRegions)} lignes d'autres régions et ${fmt(d.autresTypes)} lignes d'un autre type que « all » ignorées.`,
        ],
      });
    });
  });
}

function importFermetureCuivreCommand(): Command {
  return withImportOptions(
    new CommanderCommand("fermeture-cuivre")
      .description(
        "Importe le calendrier de fermeture du réseau cuivre par commune (format data.economie.gouv.fr « fermeture-reseau-cuivre » : code_insee, fermeture_technique, output_usager ; lot et fermeture_commerciale facultatifs)",
      )
      .argument("<fichier>", "fichier CSV (« ; » ou « , »)")
      .requiredOption("--trimestre <code>", "trimestre où charger le calendrier (ex. 2025T4)", quarterOption),
  ).action(async (fichier: string, options: ImportOptions & { trimestre: string }) => {
    const progress = terminalProgress();
    await withDatabase(async (db, config) => {
      const result = await expected(() =>
        importFermetureCuivre(db, {
          trimestre: options.trimestre,
          fichier,
          region: config.region,
          ignorerRejets: options.ignorerRejets === true,
          importePar: "cli",
          onProgress: progress,
        }),
      );
      progress.end();
      printImportResult(result, {
        ...(options.rapport ? { rapport: options.rapport } : {}),
        describeDetails: (d) => [
          `  ${fmt(d.communes)} communes au calendrier, dont ${fmt(d.avecDateTechnique)} avec une date de fermeture technique ; ${fmt(d.autresRegions)} lignes d'autres régions ignorées.`,
        ],
      });
    });
  });
}

function quarterCommand(): Command {
  const command = new CommanderCommand("trimestre").description(
    "Trimestres de l'observatoire du THD : un import remplit un brouillon, un agent le publie (il ne change plus)",
  );
  command
    .command("liste")
    .description("Liste les trimestres, brouillons compris")
    .action(async () => {
      await withDatabase(async (db) => {
        const quarters = await listQuarters(db, { brouillons: true });
        if (quarters.length === 0) console.log("Aucun trimestre : importez des données (territoire import …).");
        for (const q of quarters) {
          const imports = await db
            .selectFrom("thd_import")
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .where("trimestre", "=", q.code)
            .executeTakeFirstOrThrow();
          console.log(
            `${q.code}  ${q.statut === "publie" ? `publié le ${q.publieLe?.slice(0, 10)} par ${q.publiePar}` : "brouillon"}${q.simule ? "  (simulé)" : ""}  ${fmt(Number(imports.n))} import${Number(imports.n) > 1 ? "s" : ""}`,
          );
        }
      });
    });
  command
    .command("publier")
    .description("Publie un trimestre : il devient public et ne peut plus être modifié")
    .argument("<code>", "trimestre, ex. 2018T1", quarterOption)
    .action(async (code: string) => {
      await withDatabase(async (db) => {
        const q = await expected(() => publishQuarter(db, code, "cli"));
        console.log(`Trimestre ${q.code} publié le ${q.publieLe?.slice(0, 10)} : il ne peut plus être modifié.`);
      });
    });
  return command;
}
