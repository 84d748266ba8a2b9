import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchDatabase, type ScratchDatabase, testDialects } from "./shared/testing/test-databases.ts";
import { getJson } from "./shared/testing/test-server.ts";

const BIN = path.resolve(import.meta.dirname, "../bin/territoire.js");

/** `territoire serve` with TERRITOIRE_PROCESSUS=2, as an operator starts it. */
function serveTwoProcesses(databaseUrl: string) {
  const child = spawn(process.execPath, [BIN, "serve"], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: "0",
      HOST: "127.0.0.1",
      TERRITOIRE_PROCESSUS: "2",
      TERRITOIRE_DEMO: "non",
      TERRITOIRE_DEMO_ADRESSES: "non",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const ready = new Promise<string>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Prêt en [\d.]+ s : (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1] as string);
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    child.once("exit", (code) => reject(new Error(`arrêt (code ${code}) : ${output}`)));
  });
  return { child, ready, output: () => output };
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });

for (const dialect of testDialects()) {
  describe(`Plusieurs processus sur le même port (TERRITOIRE_PROCESSUS) [${dialect}]`, () => {
    let scratch: ScratchDatabase;
    beforeAll(async () => {
      scratch = await createScratchDatabase(dialect);
    });
    afterAll(() => scratch?.drop());

    it("prépare la base une fois, sert par deux processus, s'arrête entièrement sur SIGTERM", async () => {
      const url =
        scratch.config.dialect === "sqlite" ? `sqlite:${scratch.config.filename}` : scratch.config.connectionString;
      const server = serveTwoProcesses(url);
      try {
        const base = await server.ready;
        expect(server.output()).toContain("2 processus servent");
        expect(server.output().match(/Territoires importés/g)).toHaveLength(1);
        for (let i = 0; i < 10; i++) {
          const health = await getJson(`${base}/api/health`);
          expect(health).toMatchObject({ status: "ok", database: { dialect } });
        }
        const search = await getJson(`${base}/api/adresse/search?q=rue+de+la+paix`);
        expect(search).toMatchObject({ type: "FeatureCollection", features: [] });
      } finally {
        server.child.kill("SIGTERM");
        expect(await exited(server.child)).toBe(0);
      }
    }, 120_000);
  });
}
