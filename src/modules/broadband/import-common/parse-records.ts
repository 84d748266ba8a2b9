import { Worker } from "node:worker_threads";
import { type CsvEncoding, CsvFileError, openCsv } from "./csv-reader.ts";
import {
  createRecordEncoder,
  RECORD_WIDTH,
  type RecordEncoder,
  type RecordParserSpec,
  type RejectedRecord,
} from "./record-encoders.ts";
import { type Rejet, rejet, ThdFileError } from "./rejections.ts";
import type { ThdImportContext, ThdImportFile } from "./run-thd-import.ts";

/**
 * The building importers' record loop with the parsing (CSV splitting, field checks, commune codes,
 * coordinates) in a worker thread: the worker reads and parses the files while this thread writes
 * the rows of the batches already parsed, on the machine's other core. The importer's own per-line
 * logic (duplicates, matching, buffering) still runs here, line by line, in file order, so the
 * rejections, their order and what is written are exactly those of the parsers run in this thread;
 * the import stays one transaction. Without a worker (it cannot start), the same parsing runs here.
 */

/** One file of the import, as the parser needs it. */
export interface ParseFile {
  chemin: string;
  nom: string;
  encodage: CsvEncoding;
}

/** The data records of one read (~64 kB) of a file: line numbers, values of the good ones, rejections of the others. */
export interface ParsedBatch {
  type: "batch";
  fileIndex: number;
  /** Bytes of the file read so far (progress). */
  octetsLus: number;
  /** First physical line of each data record of the batch, in order. */
  lignes: ArrayLike<number>;
  /** Per record: 1 parsed (its values follow in `values`), 0 rejected (its entry follows in `rejected`). */
  ok: ArrayLike<number>;
  /** RECORD_WIDTH[kind] values per parsed record, in order. */
  values: unknown[];
  rejected: RejectedRecord[];
}

/**
 * A batch as the worker sends it: its values dictionary-encoded (each distinct string once, joined
 * by U+0001; per value, the index of its string, -1 for null, -2 for the number in `numbers`), so
 * that copying it between threads creates few strings (a structured clone of the values made one
 * per value, most of them repeated: technology, class, quarter…). Line numbers and flags as typed
 * arrays, transferred rather than copied.
 */
export interface PackedBatch extends Omit<ParsedBatch, "values" | "lignes" | "ok"> {
  lignes: Int32Array;
  ok: Uint8Array;
  codes: Int32Array;
  numbers: Float64Array;
  words: string;
  wordCount: number;
}

/** Packs a batch (undefined when a value cannot be: a string holding U+0001, another type). */
export function packBatch(batch: ParsedBatch): PackedBatch | undefined {
  const { values, lignes, ok, ...rest } = batch;
  const n = values.length;
  const codes = new Int32Array(n);
  const numbers = new Float64Array(n);
  const index = new Map<string, number>();
  const words: string[] = [];
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v === "string") {
      let k = index.get(v);
      if (k === undefined) {
        if (v.includes("\u0001")) return undefined;
        k = words.length;
        words.push(v);
        index.set(v, k);
      }
      codes[i] = k;
    } else if (typeof v === "number") {
      codes[i] = -2;
      numbers[i] = v;
    } else if (v === null) codes[i] = -1;
    else return undefined;
  }
  return {
    ...rest,
    lignes: Int32Array.from(lignes),
    ok: Uint8Array.from(ok),
    codes,
    numbers,
    words: words.join("\u0001"),
    wordCount: words.length,
  };
}

/** The batch a PackedBatch holds. */
export function unpackBatch(packed: PackedBatch): ParsedBatch {
  const { codes, numbers, words, wordCount, ...rest } = packed;
  const dictionary = wordCount === 0 ? [] : words.split("\u0001");
  const values: unknown[] = new Array(codes.length);
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i] as number;
    values[i] = code >= 0 ? dictionary[code] : code === -1 ? null : numbers[i];
  }
  return { ...rest, values };
}

export type ParseMessage =
  | ParsedBatch
  /** End of a file; `headerRead` false when it held no record at all. */
  | { type: "file-end"; fileIndex: number; headerRead: boolean };

/** Parses the files in this thread, batch by batch (what the worker runs). */
export async function* parseRecordBatches(
  files: readonly ParseFile[],
  spec: RecordParserSpec,
): AsyncGenerator<ParseMessage> {
  for (const [fileIndex, file] of files.entries()) {
    const reader = await openCsv(file.chemin, { separateur: ";", encodage: file.encodage });
    let encoder: RecordEncoder | undefined;
    for await (const lines of reader.batches()) {
      const lignes: number[] = [];
      const ok: number[] = [];
      const values: unknown[] = [];
      const rejected: RejectedRecord[] = [];
      for (const line of lines) {
        if (encoder === undefined) {
          encoder = createRecordEncoder(spec, line, file.nom);
          continue;
        }
        lignes.push(line.ligne);
        const refused = encoder.encode(line, values);
        if (refused === undefined) ok.push(1);
        else {
          ok.push(0);
          rejected.push(refused);
        }
      }
      yield { type: "batch", fileIndex, octetsLus: reader.octetsLus(), lignes, ok, values, rejected };
    }
    yield { type: "file-end", fileIndex, headerRead: encoder !== undefined };
  }
}

type WorkerMessage =
  | (ParseMessage & { job: number })
  | (PackedBatch & { job: number; packed: true })
  | { job: number; type: "end" }
  | { job: number; type: "error"; name: string; message: string; rejets: Rejet[] };

/** A parse under way (started early, so that it overlaps the importer's own preparation). */
export interface RecordParsing {
  spec: RecordParserSpec;
  messages: AsyncGenerator<ParseMessage>;
  /** Stops the parse (idempotent); call it in a `finally`. */
  stop(): Promise<void>;
}

/** Errors of the worker, as the parsers threw them. */
function rebuildError(message: { name: string; message: string; rejets: Rejet[] }): Error {
  if (message.name === "ThdFileError") return new ThdFileError(message.message, message.rejets);
  if (message.name === "CsvFileError") return new CsvFileError(message.message);
  return new Error(message.message);
}

/**
 * The parse worker of this process: started on first use and kept for the next imports (a worker
 * thread loading the TypeScript parsers takes about half a second to start: an import that finds
 * it still loading parses in its own thread), without holding the process open. One parse at a
 * time (imports run one after the other: one transaction each).
 */
interface ParseWorker {
  worker: Worker;
  /** Messages of the current job, and who waits for them. */
  queue: WorkerMessage[];
  notify: (() => void) | undefined;
  /** Set when the worker died: every job fails (or, before its first message, parses here). */
  crashed: Error | undefined;
  busy: boolean;
  /** Set when the worker has loaded the parsers (its first message). */
  ready: boolean;
  /** Who waits for it to be ready (or to die). */
  readyWaiters: (() => void)[];
}

let shared: ParseWorker | undefined;
let nextJob = 1;

function parseWorker(): ParseWorker | undefined {
  if (shared && !shared.crashed && !shared.busy) return shared;
  if (shared?.busy) return undefined;
  let worker: Worker;
  try {
    worker = new Worker(new URL("./parse-records.worker.mjs", import.meta.url));
  } catch {
    return undefined;
  }
  const state: ParseWorker = {
    worker,
    queue: [],
    notify: undefined,
    crashed: undefined,
    busy: false,
    ready: false,
    readyWaiters: [],
  };
  const settle = () => {
    for (const waiter of state.readyWaiters.splice(0)) waiter();
  };
  const wake = () => {
    state.notify?.();
    state.notify = undefined;
  };
  worker.on("message", (message: WorkerMessage | { type: "ready" }) => {
    if (message.type === "ready") {
      state.ready = true;
      settle();
      return;
    }
    state.queue.push(message as WorkerMessage);
    wake();
  });
  const die = (error: Error) => {
    state.crashed ??= error;
    if (shared === state) shared = undefined;
    wake();
    settle();
  };
  worker.on("error", die);
  worker.on("exit", () => die(new Error("le worker d'analyse s'est arrêté")));
  // Kept for the next imports, but does not hold the process open between them.
  worker.unref();
  shared = state;
  return state;
}

/**
 * Starts the parse worker if it is not running yet, so that it is ready by the time the files are
 * hashed and the transaction opened (call it first thing in an importer).
 */
export function prewarmRecordParsing(): void {
  if (process.env.TERRITOIRE_THD_PARSE_WORKER !== "non") parseWorker();
}

/** True when the parse worker is loaded and free (the next parse will run in it). */
export function parseWorkerReady(): boolean {
  return shared?.ready === true && !shared.busy && !shared.crashed;
}

/**
 * Starts parsing the import's files in the process's parse worker (in this thread when it cannot
 * start, or is busy with another import). The worker parses a bounded number of batches ahead.
 */
export function startRecordParsing(
  ctx: ThdImportContext,
  spec: RecordParserSpec,
  where: "worker" | "here" = "worker",
): RecordParsing {
  const files: ParseFile[] = ctx.fichiers.map((f) => ({ chemin: f.chemin, nom: f.nom, encodage: f.encodage }));
  const inline = (): RecordParsing => ({ spec, messages: parseRecordBatches(files, spec), stop: async () => {} });
  if (where === "here" || process.env.TERRITOIRE_THD_PARSE_WORKER === "non") return inline();
  const found = parseWorker();
  if (!found) return inline();
  if (found.ready) return viaWorker(found, files, spec);
  // Still loading (about half a second): a small import parses here and leaves the worker to the
  // next ones; a big one (parsing alone would take longer) waits for it, then runs beside it.
  const bytes = ctx.fichiers.reduce((total, f) => total + f.octets, 0);
  if (bytes < WAIT_FOR_WORKER_BYTES) return inline();
  let chosen: RecordParsing | undefined;
  async function* whenReady(): AsyncGenerator<ParseMessage> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, WAIT_FOR_WORKER_MS);
      found?.readyWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    chosen = found?.ready && !found.busy && !found.crashed ? viaWorker(found, files, spec) : inline();
    yield* chosen.messages;
  }
  return { spec, messages: whenReady(), stop: async () => chosen?.stop() };
}

/** Files at least this big wait for a loading worker (parsing them here takes longer than its load). */
const WAIT_FOR_WORKER_BYTES = 16 * 1024 * 1024;
/** How long at most (a worker that does not load in that time is left; the import parses here). */
const WAIT_FOR_WORKER_MS = 3000;

function viaWorker(state: ParseWorker, files: ParseFile[], spec: RecordParserSpec): RecordParsing {
  const job = nextJob++;
  state.busy = true;
  // Held while a parse runs (its messages are awaited), let go between imports.
  state.worker.ref();
  state.queue.length = 0;
  state.worker.postMessage({ type: "start", job, files, spec });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (!state.crashed) state.worker.postMessage({ type: "cancel", job });
    state.queue.length = 0;
    state.busy = false;
    state.worker.unref();
  };

  async function* messages(): AsyncGenerator<ParseMessage> {
    let received = 0;
    try {
      while (true) {
        if (state.queue.length === 0 && !state.crashed) await new Promise<void>((resolve) => (state.notify = resolve));
        const message = state.queue.shift();
        if (message === undefined) {
          // The worker died: before its first message (it could not even start), parse here instead.
          if (received === 0) {
            yield* parseRecordBatches(files, spec);
            return;
          }
          throw state.crashed;
        }
        if (message.job !== job) continue;
        if (message.type === "batch" || message.type === "file-end") {
          received++;
          if (message.type === "batch") state.worker.postMessage({ type: "more", job });
          const { job: _, ...parsed } = message;
          yield "packed" in parsed ? unpackBatch(parsed) : (parsed as ParseMessage);
        } else if (message.type === "end") return;
        else throw rebuildError(message);
      }
    } finally {
      await stop();
    }
  }
  return { spec, messages: messages(), stop };
}

export interface ParsedRecordHandlers {
  /** A parsed line: its values are `values[offset]` … `values[offset + width - 1]`. A promise is awaited. */
  row(values: unknown[], offset: number, ligne: number, fichier: ThdImportFile): void | Promise<void>;
  /** A line the parser refused (its rejections are NOT recorded yet: the handler records them). */
  rejected(refused: RejectedRecord, ligne: number, fichier: ThdImportFile): void;
  /** After each batch of records (about 64 kB of the file), e.g. to write what was read. */
  afterBatch?(): Promise<void>;
}

/**
 * Reads every file of an import through `parsing`, as readImportRecords does (records in file
 * order, progress per file as bytes read, an empty file rejected: `en-tête` field, "fichier vide :
 * en-tête <format> attendu"). Returns the number of data records. Stops the parsing at the end.
 */
export async function readParsedRecords(
  ctx: ThdImportContext,
  format: string,
  parsing: RecordParsing,
  handlers: ParsedRecordHandlers,
): Promise<number> {
  const width = RECORD_WIDTH[parsing.spec.kind];
  let lignes = 0;
  try {
    for await (const message of parsing.messages) {
      const fichier = ctx.fichiers[message.fileIndex] as ThdImportFile;
      if (message.type === "file-end") {
        if (!message.headerRead)
          ctx.rejeter(rejet(1, "en-tête", "", `fichier vide : en-tête ${format} attendu`, fichier.nom));
        continue;
      }
      const { ok, values, rejected } = message;
      const numbers = message.lignes;
      let offset = 0;
      let refused = 0;
      for (let i = 0; i < numbers.length; i++) {
        lignes++;
        if (ok[i] === 1) {
          const pending = handlers.row(values, offset, numbers[i] as number, fichier);
          offset += width;
          if (pending) await pending;
        } else handlers.rejected(rejected[refused++] as RejectedRecord, numbers[i] as number, fichier);
      }
      if (handlers.afterBatch) await handlers.afterBatch();
      ctx.onProgress({
        step: `Lecture de ${fichier.nom}`,
        done: Math.min(fichier.octets, message.octetsLus),
        total: fichier.octets,
      });
    }
  } finally {
    await parsing.stop();
  }
  return lignes;
}
