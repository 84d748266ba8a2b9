import { parentPort } from "node:worker_threads";
import { type ParseFile, packBatch, parseRecordBatches } from "./parse-records.ts";
import type { RecordParserSpec } from "./record-encoders.ts";
import type { Rejet } from "./rejections.ts";

/** At most this many batches (~64 kB of file each) parsed ahead of the writes: memory stays bounded. */
const AHEAD = 32;

const port = parentPort;
if (!port) throw new Error("parse-records.worker.ts doit être lancé comme worker");

/** The job being parsed (one at a time), its credits, and who waits for credits. */
let current = 0;
let credits = 0;
let wake: (() => void) | undefined;
const pending: { job: number; files: ParseFile[]; spec: RecordParserSpec }[] = [];
let running = false;

port.on("message", (message: { type: string; job: number; files?: ParseFile[]; spec?: RecordParserSpec }) => {
  if (message.type === "start") {
    pending.push({ job: message.job, files: message.files as ParseFile[], spec: message.spec as RecordParserSpec });
    void runJobs();
  } else if (message.job === current) {
    if (message.type === "more") credits++;
    else if (message.type === "cancel") current = -1;
    wake?.();
    wake = undefined;
  }
});

// Loaded: the parsers are ready for a job.
port.postMessage({ type: "ready" });

async function runJobs(): Promise<void> {
  if (running) return;
  running = true;
  while (pending.length > 0) {
    const { job, files, spec } = pending.shift() as (typeof pending)[number];
    current = job;
    credits = AHEAD;
    try {
      for await (const message of parseRecordBatches(files, spec)) {
        if (message.type === "batch") {
          while (credits === 0 && current === job) await new Promise<void>((resolve) => (wake = resolve));
          credits--;
        }
        if (current !== job) break;
        const packed = message.type === "batch" ? packBatch(message) : undefined;
        if (packed)
          port?.postMessage({ ...packed, job, packed: true }, [
            packed.lignes.buffer as ArrayBuffer,
            packed.ok.buffer as ArrayBuffer,
            packed.codes.buffer as ArrayBuffer,
            packed.numbers.buffer as ArrayBuffer,
          ]);
        else port?.postMessage({ ...message, job });
      }
      if (current === job) port?.postMessage({ job, type: "end" });
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      const rejets = (e as { rejets?: unknown }).rejets;
      if (current === job)
        port?.postMessage({
          job,
          type: "error",
          name: e.name,
          message: e.message,
          rejets: Array.isArray(rejets) ? (rejets as Rejet[]) : [],
        });
    }
  }
  running = false;
}
