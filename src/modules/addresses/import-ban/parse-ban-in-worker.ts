import { Worker } from "node:worker_threads";
import { type BanBatch, BanFileError, type ParseBanOptions, parseBanFile } from "./parse-ban.ts";

/** A batch of one of the files (index in the list given). */
export type FileBatch = BanBatch & { fileIndex: number };

type WorkerMessage =
  | { type: "batch"; batch: FileBatch }
  | { type: "end" }
  | { type: "error"; name: string; message: string }
  | { type: "crash"; error: Error };

/** parseBanFile() over several files, in this thread. */
export async function* parseBanFiles(files: string[], options: ParseBanOptions = {}): AsyncGenerator<FileBatch> {
  for (const [fileIndex, file] of files.entries()) {
    for await (const batch of parseBanFile(file, options)) yield { ...batch, fileIndex };
  }
}

/** A parse under way: its batches, and a way to stop it when they will not be read. */
export interface BanParsing {
  batches: AsyncGenerator<FileBatch>;
  stop(): Promise<void>;
}

/**
 * parseBanFiles() in one worker thread, started at once, so that parsing overlaps what the caller
 * does meanwhile (hashing the files, inserting the previous batch) on another core. Same batches,
 * same errors. Falls back to parsing in this thread when a worker cannot start (no tsx loader
 * available, for instance).
 */
export function startParsingInWorker(files: string[], options: ParseBanOptions = {}): BanParsing {
  let worker: Worker;
  try {
    worker = new Worker(new URL("./parse-ban.worker.mjs", import.meta.url), {
      workerData: { files, communeCodes: options.communeCodes ? [...options.communeCodes] : null },
    });
  } catch {
    return { batches: parseBanFiles(files, options), stop: async () => {} };
  }
  const queue: WorkerMessage[] = [];
  let notify: (() => void) | undefined;
  const push = (message: WorkerMessage) => {
    queue.push(message);
    notify?.();
    notify = undefined;
  };
  worker.on("message", (message: WorkerMessage) => push(message));
  worker.on("error", (error) => push({ type: "crash", error }));
  worker.on("exit", () => push({ type: "crash", error: new Error("le worker d'analyse s'est arrêté") }));

  async function* batches(): AsyncGenerator<FileBatch> {
    let received = 0;
    try {
      while (true) {
        if (queue.length === 0) await new Promise<void>((resolve) => (notify = resolve));
        const message = queue.shift() as WorkerMessage;
        if (message.type === "batch") {
          received++;
          worker.postMessage("more");
          yield message.batch;
        } else if (message.type === "end") return;
        else if (message.type === "error") {
          throw message.name === "BanFileError" ? new BanFileError(message.message) : new Error(message.message);
        } else {
          // The worker could not even start: parse here instead.
          if (received === 0) {
            yield* parseBanFiles(files, options);
            return;
          }
          throw message.error;
        }
      }
    } finally {
      await worker.terminate();
    }
  }
  return {
    batches: batches(),
    stop: async () => {
      await worker.terminate();
    },
  };
}

export function parseBanFilesInWorker(files: string[], options: ParseBanOptions = {}): AsyncGenerator<FileBatch> {
  return startParsingInWorker(files, options).batches;
}
