import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../shared/db/database.ts";
import { createScratchDatabase, type ScratchDatabase, testDialects } from "../shared/testing/test-databases.ts";

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, "../../bin/territoire.js");

async function territoire(args: string[], env: NodeJS.ProcessEnv = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { ...process.env, DATABASE_URL: "", ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("CLI territoire", () => {
  it("documente chaque commande avec --help", async () => {
    const root = await territoire(["--help"]);
    expect(root.code).toBe(0);
    for (const command of ["serve", "migrate", "import"]) expect(root.stdout).toContain(command);
    expect(root.stdout).toContain("DATABASE_URL");
    for (const args of [
      ["serve", "--help"],
      ["migrate", "--help"],
      ["import", "territoires", "--help"],
    ]) {
      const help = await territoire(args);
      expect(help.code, args.join(" ")).toBe(0);
      expect(help.stdout, args.join(" ")).toMatch(/Usage: territoire/);
    }
    expect((await territoire(["import", "territoires", "--help"])).stdout).toContain("--region <code>");
  });

  it("s'arrête avec une explication d'une ligne sur une configuration invalide", async () => {
    const bad = await territoire(["migrate"], { DATABASE_URL: "mysql://x/y" });
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toMatch(/^Erreur : DATABASE_URL/);
    const badRegion = await territoire(["serve"], { TERRITOIRE_REGION: "99", DATABASE_URL: "sqlite::memory:" });
    expect(badRegion.code).toBe(1);
    expect(badRegion.stderr).toMatch(/TERRITOIRE_REGION "99"/);
    const badOption = await territoire(["import", "territoires", "--region", "Normandie"]);
    expect(badOption.code).not.toBe(0);
    expect(badOption.stderr).toContain("code de région à deux chiffres");
  });
});

for (const dialect of testDialects()) {
  describe(`CLI territoire sur une vraie base [${dialect}]`, () => {
    let scratch: ScratchDatabase;
    let url: string;
    beforeAll(async () => {
      scratch = await createScratchDatabase(dialect);
      url = scratch.config.dialect === "sqlite" ? `sqlite:${scratch.config.filename}` : scratch.config.connectionString;
    });
    afterAll(() => scratch?.drop());

    it("migre, puis ne refait rien la seconde fois", async () => {
      const first = await territoire(["migrate"], { DATABASE_URL: url });
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toMatch(/appliquée : \d{4}_\d{2}_\d{2}_\d{4}_territory_create-tables/);
      const second = await territoire(["migrate"], { DATABASE_URL: url });
      expect(second.stdout).toContain("Schéma déjà à jour.");
    });

    it("importe les territoires d'une région en montrant la progression", async () => {
      const result = await territoire(["import", "territoires", "--region", "28"], { DATABASE_URL: url });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain("Normandie (28) : 5 départements, 71 EPCI, 2644 communes.");
      expect(result.stdout).toContain("Contours : 2644/2644 communes avec polygone.");
      // Not a terminal: one progress line per step and per tenth.
      expect(result.stderr).toMatch(/Enregistrement des territoires \[█+\] 100 %/);
      const opened = openDatabase(scratch.config);
      try {
        const entry = await opened.db
          .selectFrom("journal_audit")
          .selectAll()
          .where("action", "=", "import.territoires")
          .executeTakeFirstOrThrow();
        expect(entry).toMatchObject({ acteur: "cli", cible: "region:28" });
      } finally {
        await opened.close();
      }
      expect(result.stderr.match(/^Contours des communes \[.+\] \d+ %/gm)?.length).toBeGreaterThanOrEqual(5);
    });
  });
}
