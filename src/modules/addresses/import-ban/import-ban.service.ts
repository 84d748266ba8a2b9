import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import path from "node:path";
import type { AppDatabase } from "../../../shared/db/database.ts";
import { ignoreProgress, type ProgressListener } from "../../../shared/progress/progress.ts";
import {
  type AddressDb,
  activateLot,
  cleanUpLots,
  createLot,
  deleteLotRows,
  failLot,
  findActiveLot,
  insertAddresses,
} from "./import-ban.repository.ts";
import { BanFileError, type BanRow, type ParseBanOptions, type Rejection } from "./parse-ban.ts";
import { type BanParsing, type FileBatch, parseBanFiles, startParsingInWorker } from "./parse-ban-in-worker.ts";

export interface ImportBanOptions extends ParseBanOptions {
  /** Load nothing when any line is bad (default: load the good lines, report the bad ones). */
  strict?: boolean;
  onProgress?: ProgressListener;
  /** Parse in a worker thread, overlapping the inserts (default true). */
  parallel?: boolean;
  /** Rows written per transaction (several prepared multi-row statements each). */
  batchRows?: number;
  /** Rejections kept in the report; further ones are only counted. */
  maxRejectionsKept?: number;
  now?: () => Date;
}

export interface ImportBanReport {
  /** `importe`: a new lot is active; `inchange`: same files as the active lot; `refuse`: strict mode and bad lines. */
  statut: "importe" | "inchange" | "refuse";
  lotId: string;
  fichiers: { nom: string; sha256: string }[];
  sha256: string;
  /** Data lines read (header and empty lines excluded). */
  lignesLues: number;
  /** Addresses loaded in the new lot (0 when unchanged or refused). */
  adresses: number;
  rejets: number;
  /** The first `maxRejectionsKept` rejections, in file order. */
  rejections: Rejection[];
  /** Lot replaced by this import. */
  lotRemplace: string | null;
  dureeMs: number;
}

export { BanFileError };

/**
 * Imports BAN CSV files as a new address lot, then swaps it in: readers keep reading the previous
 * active lot until the final short transaction. Same files (SHA-256) as the active lot: nothing to do.
 * Any failure (unreadable file, bad encoding, an exception from the progress listener…) leaves the
 * previous lot active and removes what was written.
 */
export async function importBan(
  database: AppDatabase,
  files: string[],
  options: ImportBanOptions = {},
): Promise<ImportBanReport> {
  if (files.length === 0) throw new BanFileError("aucun fichier à importer");
  // Parsing starts now, in a worker, while the files are hashed and the active lot looked up.
  const parsing: BanParsing =
    options.parallel === false
      ? { batches: parseBanFiles(files, options), stop: async () => {} }
      : startParsingInWorker(files, options);
  try {
    return await importParsed(database, files, options, parsing.batches);
  } finally {
    await parsing.stop();
  }
}

async function importParsed(
  database: AppDatabase,
  files: string[],
  options: ImportBanOptions,
  batches: AsyncGenerator<FileBatch>,
): Promise<ImportBanReport> {
  const db = database as AddressDb;
  const started = performance.now();
  const now = options.now ?? (() => new Date());
  const onProgress = options.onProgress ?? ignoreProgress;
  const batchRows = options.batchRows ?? 25_000;
  const maxKept = options.maxRejectionsKept ?? 100_000;
  const fichiers: { nom: string; sha256: string }[] = [];
  for (const file of files) fichiers.push({ nom: path.basename(file), sha256: await sha256File(file) });
  const sha256 = combinedSha256(fichiers.map((f) => f.sha256));

  await cleanUpLots(db, now());
  const active = await findActiveLot(db);
  const base = { fichiers, sha256, rejections: [] as Rejection[], lotRemplace: null };
  if (active && active.sha256 === sha256) {
    return {
      ...base,
      statut: "inchange",
      lotId: active.id,
      lignesLues: 0,
      adresses: active.lignes,
      rejets: active.rejets,
      dureeMs: performance.now() - started,
    };
  }

  // Short (it is repeated in every row and in both indexes) and ordered by creation time.
  const lotId = `l${now().getTime().toString(36)}${randomBytes(3).toString("hex")}`;
  await createLot(db, { id: lotId, cree_le: now().toISOString(), fichiers: JSON.stringify(fichiers), sha256 });

  let lignesLues = 0;
  let adresses = 0;
  let rejets = 0;
  const rejections: Rejection[] = [];
  try {
    let buffer: BanRow[] = [];
    const write = async (rows: BanRow[]) => {
      // Strict mode: once a line is bad nothing will be kept, so stop writing.
      if (!(options.strict && rejets > 0)) adresses += await insertAddresses(db, lotId, rows);
      onProgress({ step: "Import des adresses", done: lignesLues, total: null });
    };
    let readBefore = 0;
    let currentFile = 0;
    for await (const batch of batches) {
      if (batch.fileIndex !== currentFile) {
        readBefore = lignesLues;
        currentFile = batch.fileIndex;
      }
      lignesLues = readBefore + batch.linesRead;
      rejets += batch.rejections.length;
      for (const r of batch.rejections) if (rejections.length < maxKept) rejections.push(r);
      for (const row of batch.rows) buffer.push(row);
      while (buffer.length >= batchRows) {
        const rows = buffer.length === batchRows ? buffer : buffer.slice(0, batchRows);
        buffer = buffer.length === batchRows ? [] : buffer.slice(batchRows);
        await write(rows);
      }
    }
    await write(buffer);

    const termine_le = now().toISOString();
    if (options.strict && rejets > 0) {
      await failLot(db, lotId, {
        message: `mode strict : ${rejets} ligne(s) en erreur, aucune adresse chargée`,
        lignes: 0,
        rejets,
        termine_le,
      });
      return {
        ...base,
        statut: "refuse",
        lotId,
        lignesLues,
        adresses: 0,
        rejets,
        rejections,
        dureeMs: performance.now() - started,
      };
    }
    const previous = await activateLot(db, lotId, { lignes: adresses, rejets, termine_le });
    if (previous) await deleteLotRows(db, previous);
    return {
      ...base,
      statut: "importe",
      lotId,
      lignesLues,
      adresses,
      rejets,
      rejections,
      lotRemplace: previous ?? null,
      dureeMs: performance.now() - started,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await failLot(db, lotId, { message, lignes: 0, rejets, termine_le: now().toISOString() });
    throw error;
  }
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BanFileError(
      `${path.basename(file)} : lecture impossible (${code === "ENOENT" ? "fichier introuvable" : (code ?? String(error))})`,
    );
  }
  return hash.digest("hex");
}

/** Independent of the order in which the files are given. */
function combinedSha256(hashes: string[]): string {
  return createHash("sha256")
    .update([...hashes].sort().join("\n"))
    .digest("hex");
}
