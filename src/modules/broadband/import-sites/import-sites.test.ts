import path from "node:path";
import type { Kysely } from "kysely";
import { expect, it } from "vitest";
import { describeEachDatabase } from "../../../shared/testing/test-databases.ts";
import type { BroadbandTables } from "../broadband.tables.ts";
import { importIpe } from "../import-ipe/import-ipe.service.ts";
import { importMciBaseImb } from "../import-mci-base-imb/import-mci-base-imb.ts";
import { importAnnuaireEducation, importSites } from "./import-sites.service.ts";

const fixture = (name: string) => path.join(import.meta.dirname, "fixtures", name);
const FICHIERS = {
  college: fixture("colleges.csv"),
  sante: fixture("sante.csv"),
  enseignement_superieur: fixture("esr.csv"),
};
const BASE_IMB = path.join(import.meta.dirname, "../import-mci-base-imb/fixtures/base_imb_14.csv");
const IPE = path.join(import.meta.dirname, "../import-ipe/fixtures/IPE_Normandie_NFIB_PM_IPEZMD_V30_20180331.csv");

describeEachDatabase("Sites stratégiques", (ctx) => {
  const db = () => ctx.db as Kysely<BroadbandTables>;
  const sites = (trimestre: string) =>
    db().selectFrom("thd_site_strategique").selectAll().where("trimestre", "=", trimestre).orderBy("id").execute();

  it("charge les sites de la région et les rattache à l'immeuble de même adresse ou le plus proche à 100 m", async () => {
    await importMciBaseImb(ctx.db, { trimestre: "2023T1", fichier: BASE_IMB });
    const result = await importSites(ctx.db, { trimestre: "2023T1", fichiers: FICHIERS });
    expect(result.statut).toBe("importe");
    if (result.statut !== "importe") return;
    expect(result.details).toEqual({
      parType: { college: 1, sante: 2, enseignement_superieur: 1 },
      relies: 2,
      raccordes: 0,
    });
    const rows = await sites("2023T1");
    expect(rows.map((r) => [r.id, r.code_insee, r.immeuble_id])).toEqual([
      ["college:0149999A", "14118", "1001"],
      ["enseignement_superieur:TEST1", "14118", null],
      ["sante:140099998", "14762", null],
      ["sante:140099999", "14118", "1003"],
    ]);
    expect(rows[0]).toMatchObject({
      nom: "Collège de la Gare",
      adresse: "12 rue DE LA GARE, 14000 Caen",
      type: "college",
    });
    expect((await importSites(ctx.db, { trimestre: "2023T1", fichiers: FICHIERS })).statut).toBe("deja_importe");
  });

  it("date le raccordement d'un site quand l'IPE déclare son immeuble déployé", async () => {
    await importIpe(ctx.db, { trimestre: "2023T1", fichier: IPE });
    const college = (await sites("2023T1")).find((r) => r.id === "college:0149999A");
    expect(college).toMatchObject({ immeuble_id: "1001", raccorde_le: "2017-09-01" });
    expect((await sites("2023T1")).find((r) => r.id === "sante:140099999")?.raccorde_le).toBeNull();
  });

  it("importe les collèges d'un fichier au format annuaire de l'éducation, sans toucher aux autres sites", async () => {
    const result = await importAnnuaireEducation(ctx.db, {
      trimestre: "2023T1",
      fichier: fixture("annuaire-education.csv"),
    });
    expect(result.statut === "importe" && result.details.parType).toEqual({ college: 2 });
    const rows = await sites("2023T1");
    expect(rows.filter((r) => r.type === "college").map((r) => [r.id, r.raccorde_le, r.lat])).toEqual([
      ["college:0142222Y", null, null],
      ["college:0149999A", "2017-09-01", 49.177],
    ]);
    expect(rows.filter((r) => r.type === "sante")).toHaveLength(2);
  });

  it("lit les vrais fichiers livrés sans rejet (Normandie)", async () => {
    const result = await importSites(ctx.db, { trimestre: "2023T2", region: "28" });
    expect(result.statut).toBe("importe");
    if (result.statut !== "importe") return;
    expect(result.rejets).toBe(0);
    expect(result.details.parType).toEqual({ college: 397, sante: 338, enseignement_superieur: 13 });
  });
});
