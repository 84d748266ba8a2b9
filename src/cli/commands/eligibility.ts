import { createWriteStream, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Command } from "commander";
import { recordAudit } from "../../modules/accounts/audit-log/record-audit.ts";
import { createAddressIndexService } from "../../modules/addresses/addresses.module.ts";
import { jobTarget } from "../../modules/eligibility/audit-port.ts";
import type { BatchAddressLookup } from "../../modules/eligibility/batch-eligibility/batch-address-lookup.ts";
import { BatchInputError, type ColumnChoice } from "../../modules/eligibility/batch-eligibility/batch-input.ts";
import { type BatchDb, findJob } from "../../modules/eligibility/batch-eligibility/batch-jobs.repository.ts";
import { buildXlsx, csvChunks } from "../../modules/eligibility/batch-eligibility/batch-output.ts";
import { processJob } from "../../modules/eligibility/batch-eligibility/batch-runner.ts";
import { createBatchJob } from "../../modules/eligibility/batch-eligibility/create-batch-job.ts";
import { createCatalogueService } from "../../modules/eligibility/service-catalogues/catalogue-service.ts";
import { describeDatabase } from "../../shared/config/config.ts";
import { terminalProgress } from "../../shared/progress/progress.ts";
import { withDatabase } from "../with-database.ts";
import { CliError } from "./accounts.ts";

interface BatchOptions {
  colonnes?: string;
  id?: string;
  lat?: string;
  lon?: string;
  postcode?: string;
  citycode?: string;
  separateur?: string;
  date?: string;
  sortie?: string;
}

const fmt = (n: number) => n.toLocaleString("fr-FR");

/**
 * `territoire eligibilite batch FICHIER`: the multi-site batch run in this process, against the
 * configured database (the same job, blocks and results as the web page's, so it can also be
 * followed or downloaded through the API by its id), with terminal progress.
 */
export function eligibilityCommand(): Command {
  const command = new Command("eligibilite").description("Serveur d'éligibilité");
  command
    .command("batch")
    .description(
      "Éligibilité multi-sites : lit un CSV de sites (au plus 100 000), écrit un CSV ou XLSX avec, par site, l'adresse trouvée, les technologies et classes de débit, la fibre, les meilleures offres, ou la raison d'un échec",
    )
    .argument("<fichier>", "CSV des sites (UTF-8 ou Windows-1252, séparateur détecté)")
    .option("--colonnes <a,b>", "colonnes qui forment l'adresse, dans l'ordre (toutes par défaut)")
    .option("--id <colonne>", "colonne de l'identifiant d'adresse BAN (au lieu de l'adresse)")
    .option("--lat <colonne>", "colonne de la latitude (avec --lon)")
    .option("--lon <colonne>", "colonne de la longitude (avec --lat)")
    .option("--postcode <colonne>", "colonne du code postal (filtre du géocodage)")
    .option("--citycode <colonne>", "colonne du code INSEE de la commune (filtre du géocodage)")
    .option("--separateur <s>", "séparateur du fichier : ; , | ou tab (détecté par défaut)")
    .option("--date <AAAA-MM-JJ>", "date de référence (ouvertures commerciales, catalogues) ; aujourd'hui par défaut")
    .option(
      "--sortie <fichier.csv|.xlsx>",
      "fichier de résultats (défaut : <fichier>.eligibilite.csv à côté de l'entrée)",
    )
    .action(async (file: string, options: BatchOptions) => {
      const output =
        options.sortie ??
        path.join(path.dirname(file), `${path.basename(file).replace(/\.[^.]*$/, "")}.eligibilite.csv`);
      if (!/\.(csv|xlsx)$/i.test(output)) throw new CliError("--sortie doit finir par .csv ou .xlsx");
      let content: Buffer;
      try {
        if (statSync(file).size > 20 * 1024 * 1024) throw new CliError(`${file} : plus de 20 Mio, découpez le fichier`);
        content = readFileSync(file);
      } catch (error) {
        if (error instanceof CliError) throw error;
        throw new CliError(`${file} : fichier illisible (${(error as NodeJS.ErrnoException).code ?? "erreur"})`);
      }
      const choice: ColumnChoice = {
        ...(options.colonnes ? { adresse: options.colonnes.split(",").map((c) => c.trim()) } : {}),
        ...(options.id ? { id: options.id } : {}),
        ...(options.lat ? { lat: options.lat } : {}),
        ...(options.lon ? { lon: options.lon } : {}),
        ...(options.postcode ? { postcode: options.postcode } : {}),
        ...(options.citycode ? { citycode: options.citycode } : {}),
      };
      await withDatabase(async (db, config) => {
        console.log(`Base de données : ${describeDatabase(config.database)}`);
        const started = performance.now();
        let lookup: BatchAddressLookup = () => [];
        if (!choice.id && !choice.lat) {
          const indexes = createAddressIndexService(db);
          await indexes.refresh();
          const index = indexes.loaded?.index;
          if (!index)
            throw new CliError("Aucune adresse importée : le géocodage est impossible (voir « import adresses »).");
          lookup = (q, o) =>
            index
              .search(q, { ...o, autocomplete: false })
              .map(({ id, label, score, lon, lat }) => ({ id, label, score, lon, lat }));
        }
        const processus = `cli-${process.pid}`;
        let created: { id: string; total: number; encoding: string };
        try {
          created = await createBatchJob(db, {
            file: content,
            fileName: path.basename(file),
            choice,
            ...(options.separateur ? { separator: options.separateur } : {}),
            ...(options.date ? { date: options.date } : {}),
            today: new Date().toISOString().slice(0, 10),
            ownerId: null,
            processus,
            audit: (trx, job) =>
              recordAudit(trx, {
                acteur: "cli",
                action: "lot.creation",
                cible: jobTarget(job.id),
                details: { sites: job.total },
              }),
          });
        } catch (error) {
          if (error instanceof BatchInputError) throw new CliError(`${file} : ${error.message}`);
          throw error;
        }
        console.log(`Lot ${created.id} : ${fmt(created.total)} sites (${created.encoding})`);
        const progress = terminalProgress();
        const outcome = await processJob(
          { db, lookup, catalogues: createCatalogueService(db) },
          created.id,
          processus,
          {
            onProgress: progress,
            log: (message, error) =>
              console.error(`${message} : ${error instanceof Error ? error.message : String(error)}`),
          },
        );
        progress.end();
        const job = await findJob(db as BatchDb, created.id);
        if (!job || outcome !== "termine") throw new CliError(job?.message ?? `lot ${created.id} : ${outcome}`);
        if (/\.xlsx$/i.test(output)) writeFileSync(output, await buildXlsx(db as BatchDb, job));
        else await pipeline(Readable.from(csvChunks(db as BatchDb, job)), createWriteStream(output));
        const seconds = (performance.now() - started) / 1000;
        console.log(
          `${fmt(job.total)} sites en ${seconds.toFixed(1)} s : ${fmt(job.resolues)} résolus, ${fmt(job.echecs)} non résolus.`,
        );
        for (const [raison, nombre] of Object.entries(JSON.parse(job.raisons) as Record<string, number>).sort(
          (a, b) => b[1] - a[1],
        )) {
          console.log(`  ${fmt(nombre)} × ${raison}`);
        }
        console.log(`Résultats : ${output}`);
      });
    });
  return command;
}
