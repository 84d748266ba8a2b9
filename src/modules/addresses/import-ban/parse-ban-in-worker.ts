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

/**
 * parseBanFiles() in one worker thread, so that parsing the next batch overlaps inserting the
 * previous one on another core. Same batches, same errors. Falls back to parsing in this thread
 * when a worker cannot start (no tsx loader available, for instance).
 */
export async function* parseBanFilesInWorker(
  files: string[],
  options: ParseBanOptions = {},
): AsyncGenerator<FileBatch> {
  let worker: Worker;
  try {
    worker = new Worker(new URL("./parse-ban.worker.mjs", import.meta.url), {
      workerData: { files, communeCodes: options.communeCodes ? [...options.communeCodes] : null },
    });
  } catch {
    yield* parseBanFiles(files, options);
    return;
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
