import { spawn } from "node:child_process";
import path from "node:path";
import type { ScratchDatabase } from "./test-databases.ts";

const BIN = path.resolve(import.meta.dirname, "../../../bin/territoire.js");

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `territoire <args>` in a real process, `env` over this one's, `stdin` written then closed. */
export function runTerritoire(args: string[], env: NodeJS.ProcessEnv, stdin = ""): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** The DATABASE_URL that points the CLI at a scratch database. */
export function databaseUrlOf(scratch: ScratchDatabase): string {
  return scratch.config.dialect === "sqlite" ? `sqlite:${scratch.config.filename}` : scratch.config.connectionString;
}
