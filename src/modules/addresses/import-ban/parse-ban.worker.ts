import { parentPort, workerData } from "node:worker_threads";
import { parseBanFile } from "./parse-ban.ts";

/** At most this many batches parsed ahead of the inserts (memory stays bounded). */
const AHEAD = 4;

const port = parentPort;
if (!port) throw new Error("parse-ban.worker.ts doit être lancé comme worker");
const { files, communeCodes } = workerData as { files: string[]; communeCodes: string[] | null };

let credits = AHEAD;
let wake: (() => void) | undefined;
port.on("message", (message) => {
  if (message === "more") {
    credits++;
    wake?.();
    wake = undefined;
  }
});

try {
  const options = communeCodes ? { communeCodes: new Set(communeCodes) } : {};
  for (const [fileIndex, file] of files.entries()) {
    for await (const batch of parseBanFile(file, options)) {
      while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
      credits--;
      port.postMessage({ type: "batch", batch: { ...batch, fileIndex } });
    }
  }
  port.postMessage({ type: "end" });
} catch (error) {
  const e = error instanceof Error ? error : new Error(String(error));
  port.postMessage({ type: "error", name: e.name, message: e.message });
}
port.close();
