import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Kysely } from "kysely";
import { afterAll, expect, it } from "vitest";
import { describeEachDatabase } from "../../../shared/testing/test-databases.ts";
import type { BroadbandTables } from "../broadband.tables.ts";
import { importIpe } from "../import-ipe/import-ipe.service.ts";
import { importMciBaseImb } from "./import-mci-base-imb.ts";

const FIXTURE = readFileSync(path.join(import.meta.dirname, "fixtures/base_imb_14.csv"), "utf8");
const IPE = path.join(import.meta.dirname, "../import-ipe/fixtures/IPE_Normandie_NFIB_PM_IPEZMD_V30_20180331.csv");
const dir = mkdtempSync(path.join(tmpdir(), "base-imb-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};
const original = write("base_imb_14.csv", FIXTURE);

describeEachDatabase("Import MCI base_imb", (ctx) => {
  const db = () => ctx.db as Kysely<BroadbandTables>;
  const buildings = (trimestre: string) =>
    db().selectFrom("thd_immeuble").selectAll().where("trimestre", "=", trimestre).orderBy("id").execute();

  it("charge les immeubles : EPSG:3857 → lon/lat, clé BAN, type, code IPE", async () => {
    const result = await importMciBaseImb(ctx.db, { trimestre: "2021T1", fichier: original });
    expect(result.statut).toBe("importe");
    const rows = await buildings("2021T1");
    expect(rows).toHaveLength(6);
    const first = rows[0];
    expect(first).toMatchObject({
      id: "1001",
      code_ipe: "IMB001",
      adresse_id: "14118_1234_00012",
      code_insee: "14118",
      numero: "12",
      nom_voie: "Rue de la Gare",
      type: "pavillon",
      nb_locaux: 1,
    });
    expect(first?.lon).toBeCloseTo(-0.3591, 6);
    expect(first?.lat).toBeCloseTo(49.1762, 6);
    // addr_source cada: no BAN key; the lieu-dit stands for the street.
    expect(rows.find((r) => r.id === "1004")).toMatchObject({
      adresse_id: null,
      nom_voie: "Le Bourg",
      type: "pavillon",
    });
    expect(rows.find((r) => r.id === "1002")).toMatchObject({ rep: "b", type: "immeuble" });
    expect((await importMciBaseImb(ctx.db, { trimestre: "2021T1", fichier: original })).statut).toBe("deja_importe");
  });

  it("garde l'état FttH venu de l'IPE quand base_imb est réimporté, et supprime les immeubles disparus", async () => {
    await importIpe(ctx.db, { trimestre: "2021T1", fichier: IPE });
    expect((await buildings("2021T1")).find((r) => r.id === "1001")?.etat_ftth).toBe("deploye");
    const next = write(
      "base_imb_14_v2.csv",
      FIXTURE.split("\n")
        .filter((l) => !l.startsWith("1004;"))
        .map((l) => (l.startsWith("1001;") ? l.replace(";14118;1;fo;", ";14118;3;fo;") : l))
        .join("\n"),
    );
    const result = await importMciBaseImb(ctx.db, { trimestre: "2021T1", fichier: next });
    expect(result.statut === "importe" && result.details).toMatchObject({ departements: ["14"], supprimes: 1 });
    const rows = await buildings("2021T1");
    expect(rows.find((r) => r.id === "1001")).toMatchObject({
      nb_locaux: 3,
      etat_ftth: "deploye",
      operateur_infra: "NFIB",
    });
    expect(rows.map((r) => r.id)).not.toContain("1004");
    // IPE buildings of other communes stay.
    expect(rows.map((r) => r.id)).toContain("ipe:NFIB:IMB002");
  });

  it("rapproche les immeubles IPE importés avant base_imb", async () => {
    await importIpe(ctx.db, { trimestre: "2021T2", fichier: IPE });
    const result = await importMciBaseImb(ctx.db, { trimestre: "2021T2", fichier: original });
    expect(result.statut === "importe" && result.details.rapprochesIpe).toBe(1);
    const rows = await buildings("2021T2");
    expect(rows.map((r) => r.id)).not.toContain("ipe:NFIB:IMB001");
    expect(rows.find((r) => r.id === "1001")).toMatchObject({ etat_ftth: "deploye", reference_pm: "PMCAEN01" });
  });

  it("refuse commune inconnue, immeuble en double, type inconnu : rapport, rien d'écrit", async () => {
    const lines = FIXTURE.trimEnd().split("\n");
    const bad = write(
      "base_imb_bad.csv",
      [
        ...lines.slice(0, 3),
        (lines[3] as string).replace(";14118;4;", ";75056;4;"),
        (lines[4] as string).replace(/^1004;/, "1002;"),
        (lines[5] as string).replace(";PA;", ";XX;"),
      ].join("\n"),
    );
    const result = await importMciBaseImb(ctx.db, { trimestre: "2021T3", fichier: bad });
    expect(result.statut).toBe("refuse");
    if (result.statut !== "refuse") return;
    expect(result.rapport.map((r) => [r.ligne, r.champ])).toEqual([
      [4, "imb_code_insee"],
      [5, "imb_id"],
      [6, "imb_type"],
    ]);
    expect(await buildings("2021T3")).toEqual([]);
  });

  it("refuse un fichier sans les colonnes base_imb", async () => {
    const wrong = write("base_imb_virgules.csv", FIXTURE.replaceAll(";", ","));
    const result = await importMciBaseImb(ctx.db, { trimestre: "2021T3", fichier: wrong });
    expect(result.statut === "refuse" && result.rapport[0]).toMatchObject({ ligne: 1, champ: "en-tête" });
  });
});
