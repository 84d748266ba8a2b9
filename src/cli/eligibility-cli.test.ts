import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  insertBatchFixture,
  sitesCsv,
} from "../modules/eligibility/batch-eligibility/batch-eligibility.test-fixture.ts";
import { openDatabase } from "../shared/db/database.ts";
import { migrateToLatest } from "../shared/db/migrator.ts";
import { readXlsx } from "../shared/export/xlsx.ts";
import { databaseUrlOf, runTerritoire } from "../shared/testing/cli-process.ts";
import { createScratchDatabase, type ScratchDatabase, testDialects } from "../shared/testing/test-databases.ts";

for (const dialect of testDialects()) {
  describe(`CLI de l'éligibilité multi-sites [${dialect}]`, () => {
    let scratch: ScratchDatabase;
    let env: NodeJS.ProcessEnv;
    const dir = mkdtempSync(path.join(tmpdir(), "lots-cli-"));
    beforeAll(async () => {
      scratch = await createScratchDatabase(dialect);
      const opened = openDatabase(scratch.config);
      try {
        await migrateToLatest(opened.db);
        await insertBatchFixture(opened.db);
      } finally {
        await opened.close();
      }
      env = { DATABASE_URL: databaseUrlOf(scratch) };
    });
    afterAll(() => scratch?.drop());

    it("traite un fichier avec progression et écrit les résultats en CSV puis en XLSX ; refuse une colonne inconnue", async () => {
      const input = path.join(dir, "sites.csv");
      writeFileSync(input, sitesCsv());
      const run = await runTerritoire(
        ["eligibilite", "batch", input, "--colonnes", "rue,ville", "--postcode", "cp", "--date", "2026-06-01"],
        env,
      );
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain("Éligibilité des sites [████████████████████████] 100 % (47/47)");
      expect(run.stdout).toMatch(/Lot [A-Za-z0-9_-]{24} : 47 sites \(utf-8\)/);
      expect(run.stdout).toContain("47 sites en");
      expect(run.stdout).toContain(": 41 résolus, 6 non résolus.");
      expect(run.stdout).toContain("1 × adresse vide");
      const records: Record<string, string>[] = parse(readFileSync(path.join(dir, "sites.eligibilite.csv")), {
        delimiter: ";",
        bom: true,
        columns: true,
      });
      expect(records).toHaveLength(47);
      expect(records[0]).toMatchObject({ site: "Agence 1", statut: "resolu", immeuble_id: "IMB-OUVERT" });

      const xlsx = path.join(dir, "resultats.xlsx");
      const byPosition = path.join(dir, "positions.csv");
      writeFileSync(byPosition, "nom,lat,lon\nA,48.43,0.09\nB,43.3,5.4\n");
      const second = await runTerritoire(
        ["eligibilite", "batch", byPosition, "--lat", "lat", "--lon", "lon", "--sortie", xlsx],
        env,
      );
      expect(second.code, second.stderr).toBe(0);
      const [sheet] = readXlsx(readFileSync(xlsx));
      expect(sheet?.rows.map((r) => r[0])).toEqual(["nom", "A", "B"]);

      const unknown = await runTerritoire(["eligibilite", "batch", input, "--colonnes", "adresse"], env);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toMatch(/^Erreur : .*sites\.csv : Colonne « adresse » absente de l'en-tête/);

      // Each job made is journalled by the CLI under the token's prefix only; the refused file is not.
      const id = /Lot ([A-Za-z0-9_-]{24})/.exec(run.stdout)?.[1] ?? "";
      const opened = openDatabase(scratch.config);
      try {
        const lines = await opened.db
          .selectFrom("journal_audit")
          .selectAll()
          .where("action", "=", "lot.creation")
          .execute();
        expect(lines).toHaveLength(2);
        expect(lines).toContainEqual(expect.objectContaining({ acteur: "cli", cible: `lot:${id.slice(0, 6)}` }));
        expect(JSON.stringify(lines)).not.toContain(id);
      } finally {
        await opened.close();
      }
    });
  });
}
