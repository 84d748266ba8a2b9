import type { Kysely } from "kysely";
import type { AppDatabase } from "../../../shared/db/database.ts";
import type { BroadbandTables } from "../../broadband/broadband.tables.ts";
import { latestBuildingQuarter } from "../published-quarter.ts";
import {
  BATCH_LIMITS,
  BatchInputError,
  type ColumnChoice,
  decodeUpload,
  describeMapping,
  mapColumns,
  parseBatchCsv,
  SEPARATORS,
} from "./batch-input.ts";
import { type BatchDb, insertJob, newJobId } from "./batch-jobs.repository.ts";

/** Lines per committed block: progress granularity, and the unit a restart resumes from. */
export const BLOCK_SIZE = 1000;

export interface BatchUpload {
  file: Uint8Array;
  fileName: string;
  choice: ColumnChoice;
  /** One of ; , \t | (or "tab"); detected from the header line when absent. */
  separator?: string;
  /** AAAA-MM-JJ; today when absent. */
  date?: string;
  today: string;
  ownerId: string | null;
  /** The runner that will run it itself (CLI): the job starts "en_cours" for it instead of queued. */
  processus?: string;
  blockSize?: number;
  /** Records the journal line inside the job's transaction, given the new job's id. */
  audit?: (trx: AppDatabase, job: { id: string; total: number }) => Promise<void>;
}

function checkDate(date: string): string {
  const parsed = new Date(`${date}T00:00:00Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(date) ||
    Number.isNaN(parsed.getTime()) ||
    parsed.toISOString().slice(0, 10) !== date
  ) {
    throw new BatchInputError(
      400,
      "PARAMETRE_INVALIDE",
      `Paramètre « date » invalide : « ${date} » n'est pas une date AAAA-MM-JJ.`,
      "date",
    );
  }
  return date;
}

function checkSeparator(separator: string): string {
  const value = separator === "tab" || separator === "\\t" ? "\t" : separator;
  if (!(SEPARATORS as readonly string[]).includes(value)) {
    throw new BatchInputError(
      400,
      "PARAMETRE_INVALIDE",
      "Paramètre « separateur » invalide : attendu ; , | ou tab (tabulation).",
      "separateur",
    );
  }
  return value;
}

/**
 * Checks an upload completely before anything is stored (encoding, header, columns, caps, data to
 * read), then stores the job and its file in one transaction. Throws BatchInputError (4xx).
 */
export async function createBatchJob(
  db: AppDatabase,
  upload: BatchUpload,
): Promise<{ id: string; total: number; encoding: string }> {
  if (upload.file.length > BATCH_LIMITS.bytes) {
    throw new BatchInputError(
      413,
      "FICHIER_TROP_GRAND",
      `Fichier trop volumineux : au plus ${BATCH_LIMITS.bytes / 1024 / 1024} Mio.`,
      "fichier",
    );
  }
  const date = upload.date === undefined || upload.date === "" ? upload.today : checkDate(upload.date.trim());
  const separator = upload.separator ? checkSeparator(upload.separator) : undefined;
  const { text, encoding } = decodeUpload(upload.file);
  const parsed = parseBatchCsv(text, separator);
  const mapping = mapColumns(parsed.header, upload.choice);
  if (!(await latestBuildingQuarter(db as Kysely<BroadbandTables>))) {
    throw new BatchInputError(
      409,
      "AUCUN_TRIMESTRE",
      "Aucun trimestre publié ne contient encore d'immeubles : l'éligibilité ne peut pas être calculée.",
      "fichier",
    );
  }
  const id = newJobId();
  const audit = upload.audit;
  await insertJob(
    db as BatchDb,
    {
      id,
      statut: upload.processus ? "en_cours" : "en_attente",
      nomFichier: upload.fileName.slice(0, 200) || "sites.csv",
      encodage: encoding,
      separateur: parsed.separator,
      entete: parsed.header,
      colonnes: describeMapping(parsed.header, mapping),
      dateReference: date,
      total: parsed.rows.length,
      tailleBloc: upload.blockSize ?? BLOCK_SIZE,
      proprietaireId: upload.ownerId,
      processus: upload.processus ?? null,
      contenu: text,
    },
    audit && ((trx) => audit(trx, { id, total: parsed.rows.length })),
  );
  return { id, total: parsed.rows.length, encoding };
}
