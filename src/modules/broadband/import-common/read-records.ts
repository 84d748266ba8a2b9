import { type CsvLine, openCsv } from "./csv-reader.ts";
import { rejet } from "./rejections.ts";
import type { ThdImportContext, ThdImportFile } from "./run-thd-import.ts";

export interface RecordHandlers<P> {
  /** The file's first record: returns what reads its lines (throw ThdFileError when unusable). */
  header(line: CsvLine, fichier: ThdImportFile): P;
  /** Each data record; a promise is awaited (only then: most records need none). */
  record(reader: P, line: CsvLine, fichier: ThdImportFile): void | Promise<void>;
  /** After each batch of records (about READ_CHUNK_BYTES of the file), e.g. to write what was read. */
  afterBatch?(): Promise<void>;
}

/**
 * Reads every `;`-separated file of an import, the same way for the building importers: header
 * record first, then data records, progress per file as bytes read, and an empty file rejected
 * (`en-tête` field, "fichier vide : en-tête <format> attendu"). Returns the number of data records.
 */
export async function readImportRecords<P>(
  ctx: ThdImportContext,
  format: string,
  handlers: RecordHandlers<P>,
): Promise<number> {
  let lignes = 0;
  for (const fichier of ctx.fichiers) {
    const reader = await openCsv(fichier.chemin, { separateur: ";", encodage: fichier.encodage });
    let parser: P | undefined;
    let headerRead = false;
    for await (const batch of reader.batches()) {
      for (const line of batch) {
        if (!headerRead) {
          parser = handlers.header(line, fichier);
          headerRead = true;
          continue;
        }
        lignes++;
        const pending = handlers.record(parser as P, line, fichier);
        if (pending) await pending;
      }
      if (handlers.afterBatch) await handlers.afterBatch();
      ctx.onProgress({
        step: `Lecture de ${fichier.nom}`,
        done: Math.min(fichier.octets, reader.octetsLus()),
        total: fichier.octets,
      });
    }
    if (!headerRead) ctx.rejeter(rejet(1, "en-tête", "", `fichier vide : en-tête ${format} attendu`, fichier.nom));
  }
  return lignes;
}
