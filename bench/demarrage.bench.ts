// Start-up cost as a person sees it: `territoire serve` in a new process, from spawn until
// /api/health answers, first on an empty database (migrations, territory import and, in demo mode,
// the demo addresses; TERRITOIRE_DEMO_ADRESSES=non leaves them out) then again on the
// same database; for SQLite and, when DATABASE_URL names one, PostgreSQL. Then the heaviest read
// of the home page: all commune contours of the région over HTTP.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import type { Dialect } from "../src/shared/db/database.ts";
import { createScratchDatabase, postgresServerUrl } from "../src/shared/testing/test-databases.ts";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const region = process.env.TERRITOIRE_REGION ?? "28";
const PORT = 3900;
const BIN = path.resolve(import.meta.dirname, "../bin/territoire.js");
const dialects: Dialect[] = postgresServerUrl() ? ["sqlite", "postgres"] : ["sqlite"];
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const ms = (n: number) => `${n.toFixed(0)} ms`;

async function timedStart(databaseUrl: string): Promise<{ child: ChildProcess; millis: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, "serve"], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(PORT),
      HOST: "127.0.0.1",
      TERRITOIRE_REGION: region,
    },
    stdio: "ignore",
  });
  const deadline = started + 120_000;
  while (performance.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${PORT}/api/health`);
      if (res.ok) return { child, millis: performance.now() - started };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill();
  throw new Error("le serveur n'a pas démarré en 120 s");
}

async function stop(child: ChildProcess): Promise<void> {
  await new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

console.log(`territoire serve, région ${region}, ${RUNS} essais par mesure (médiane)`);
for (const dialect of dialects) {
  const first: number[] = [];
  const second: number[] = [];
  const contours: number[] = [];
  let bytes = 0;
  for (let run = 0; run < RUNS; run++) {
    const scratch = await createScratchDatabase(dialect);
    const url =
      scratch.config.dialect === "sqlite" ? `sqlite:${scratch.config.filename}` : scratch.config.connectionString;
    let server = await timedStart(url);
    first.push(server.millis);
    await stop(server.child);
    server = await timedStart(url);
    second.push(server.millis);
    const t = performance.now();
    const res = await fetch(`http://127.0.0.1:${PORT}/api/territoires/communes/contours?region=${region}`);
    bytes = (await res.arrayBuffer()).byteLength;
    contours.push(performance.now() - t);
    await stop(server.child);
    await scratch.drop();
  }
  console.log(
    `${dialect.padEnd(8)} premier démarrage ${ms(median(first))} · second démarrage ${ms(median(second))} · contours des communes ${ms(median(contours))} (${(bytes / 1e6).toFixed(1)} Mo)`,
  );
}
