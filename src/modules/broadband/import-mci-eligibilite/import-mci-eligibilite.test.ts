import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../../../shared/testing/test-databases.ts";
import type { BroadbandTables } from "../broadband.tables.ts";
import { importMciBaseImb } from "../import-mci-base-imb/import-mci-base-imb.ts";
import { importMciEligibilite } from "./import-mci-eligibilite.ts";

const FIXTURE = readFileSync(path.join(import.meta.dirname, "fixtures/actuel_14.csv"), "utf8");
const BASE_IMB = path.join(import.meta.dirname, "../import-mci-base-imb/fixtures/base_imb_14.csv");
const dir = mkdtempSync(path.join(tmpdir(), "eligibilite-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};

describeEachDatabase("Import MCI eligibilite", (ctx) => {
  const db = () => ctx.db as Kysely<BroadbandTables>;
  const rows = () =>
    db()
      .selectFrom("thd_eligibilite")
      .selectAll()
      .where("trimestre", "=", "2022T1")
      .orderBy("immeuble_id")
      .orderBy("operateur")
      .orderBy("techno")
      .execute();
  beforeAll(async () => {
    await importMciBaseImb(ctx.db, { trimestre: "2022T1", fichier: BASE_IMB });
  });

  it("charge une ligne par immeuble, opérateur et technologie ; le second import ne change rien", async () => {
    const file = write("actuel_14.csv", FIXTURE);
    const result = await importMciEligibilite(ctx.db, { trimestre: "2022T1", fichier: file });
    expect(result.statut).toBe("importe");
    if (result.statut !== "importe") return;
    expect(result.details.operateursInconnus).toEqual(["BOUY", "FRTE", "NORN", "NUAT", "SFR0", "STAK"]);
    const loaded = await rows();
    expect(loaded).toHaveLength(9);
    expect(loaded.find((r) => r.immeuble_id === "1002" && r.techno === "4GF")).toMatchObject({
      operateur: "BOUY",
      classe_montant: "HD3",
      classe_descendant: "THD30",
      limitation: 200,
      saturation: 0,
    });
    expect(loaded.find((r) => r.techno === "THDR")?.saturation).toBe(1);
    expect((await importMciEligibilite(ctx.db, { trimestre: "2022T1", fichier: file })).statut).toBe("deja_importe");
    expect(await rows()).toEqual(loaded);
  });

  it("remplace les lignes du département par celles d'un nouveau fichier", async () => {
    const file = write(
      "actuel_14_v2.csv",
      FIXTURE.split("\n")
        .filter((l) => !l.startsWith("1006;"))
        .join("\n"),
    );
    const result = await importMciEligibilite(ctx.db, { trimestre: "2022T1", fichier: file });
    expect(result.statut === "importe" && result.details.departements).toEqual(["14"]);
    expect((await rows()).filter((r) => r.immeuble_id === "1006")).toEqual([]);
  });

  it("refuse technologie, classe, immeuble inconnus et lignes en double : rapport, rien d'écrit", async () => {
    const before = await rows();
    const lines = FIXTURE.trimEnd().split("\n");
    const bad = write(
      "actuel_bad.csv",
      [
        lines[0],
        (lines[1] as string).replace(";FO;", ";LIFI;"),
        (lines[2] as string).replace(";BHD8;", ";THD50;"),
        (lines[3] as string).replace(/^1002;/, "9999;"),
        lines[4],
        lines[4],
      ].join("\n"),
    );
    const result = await importMciEligibilite(ctx.db, { trimestre: "2022T1", fichier: bad });
    expect(result.statut).toBe("refuse");
    if (result.statut !== "refuse") return;
    expect(result.rapport.map((r) => [r.ligne, r.champ])).toEqual([
      [2, "code_techno"],
      [3, "classe_debit_descendant"],
      [4, "imb_id"],
      [6, "code_techno"],
    ]);
    expect(result.rapport[3]?.message).toMatch(/double.*ligne 5/);
    expect(await rows()).toEqual(before);
  });
});
