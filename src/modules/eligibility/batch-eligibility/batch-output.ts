import type { Kysely } from "kysely";
import { type CellValue, writeXlsxAsync } from "../../../shared/export/xlsx.ts";
import type { BroadbandTables } from "../../broadband/broadband.tables.ts";
import { parseBatchCsv } from "./batch-input.ts";
import { type BatchDb, type JobRow, readBlocks, readInput } from "./batch-jobs.repository.ts";
import { RESULT_COLUMNS } from "./batch-resolve.ts";

/** The input file was purged while the results remain: should not happen (deleted together). */
export class MissingInputError extends Error {}

/**
 * Every output line: the input columns as uploaded, then the result columns. The input is parsed
 * again from the stored file; results come block by block from the table.
 */
export async function* outputRows(db: BatchDb, job: JobRow): AsyncGenerator<CellValue[]> {
  const content = await readInput(db, job.id);
  if (content === undefined) throw new MissingInputError(job.id);
  const header = JSON.parse(job.entete) as string[];
  const { rows } = parseBatchCsv(content, job.separateur);
  yield [...header, ...RESULT_COLUMNS];
  let n = 0;
  for await (const block of readBlocks(db, job.id)) {
    for (const cells of block) {
      const input = rows[n++] ?? [];
      yield [...header.map((_, i) => input[i] ?? ""), ...(cells as CellValue[])];
    }
  }
}

function quote(value: CellValue): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return /[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The platform's CSV (`;`, UTF-8 with BOM, CRLF), produced a thousand lines at a time. */
export async function* csvChunks(db: BatchDb, job: JobRow): AsyncGenerator<string> {
  let chunk = "\uFEFF";
  let lines = 0;
  for await (const row of outputRows(db, job)) {
    chunk += `${row.map(quote).join(";")}\r\n`;
    if (++lines % 1000 === 0) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk !== "") yield chunk;
}

/** The same table as XLSX, with an « À propos » sheet saying what was read. */
export async function buildXlsx(db: BatchDb, job: JobRow): Promise<Buffer> {
  const rows: CellValue[][] = [];
  for await (const row of outputRows(db, job)) rows.push(row);
  const quarter = job.trimestre
    ? await (db as unknown as Kysely<BroadbandTables>)
        .selectFrom("thd_trimestre")
        .select("simule")
        .where("code", "=", job.trimestre)
        .executeTakeFirst()
    : undefined;
  const about: CellValue[][] = [
    ["Éligibilité multi-sites"],
    [`Fichier : ${job.nom_fichier}`],
    [
      `Données du trimestre ${job.trimestre ?? "?"}${Number(quarter?.simule) === 1 ? " (données simulées de démonstration)" : ""}`,
    ],
    [`Date de référence (ouvertures commerciales, catalogues en vigueur) : ${job.date_reference}`],
    [`Sites : ${job.total}, résolus : ${job.resolues}, non résolus : ${job.echecs} (colonne « raison »)`],
    [
      "Classes de débit ARCEP (descendant / montant) : INEL < 0,5 ; HD05 ≥ 0,5 ; HD3 ≥ 3 ; BHD8 ≥ 8 ; THD30 ≥ 30 ; THD100 ≥ 100 ; THD1G ≥ 1 000 Mbit/s.",
    ],
    ["Prix hors taxes, en euros par mois ; GTR : garantie de temps de rétablissement, en heures."],
  ];
  return writeXlsxAsync([
    { name: "Résultats", rows },
    { name: "À propos", rows: about },
  ]);
}

/** A download name from the uploaded file's: `sites.csv` → `sites.eligibilite.xlsx`. */
export function outputName(job: JobRow, format: "csv" | "xlsx"): string {
  const base = job.nom_fichier.replace(/\.[^.]*$/, "").replace(/[^\w.-]/g, "_") || "sites";
  return `${base}.eligibilite.${format}`;
}
