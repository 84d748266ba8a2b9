import path from "node:path";
import type { Kysely } from "kysely";
import { expect, it } from "vitest";
import { describeEachDatabase } from "../../../shared/testing/test-databases.ts";
import type { BroadbandTables } from "../broadband.tables.ts";
import { importIpe } from "../import-ipe/import-ipe.service.ts";
import { importMciBaseImb } from "../import-mci-base-imb/import-mci-base-imb.ts";
import { importMciEligibilite } from "../import-mci-eligibilite/import-mci-eligibilite.ts";
import { aggregateQuarter } from "./aggregate-buildings.ts";

const BASE_IMB = path.join(import.meta.dirname, "../import-mci-base-imb/fixtures/base_imb_14.csv");
const ELIGIBILITE = path.join(import.meta.dirname, "../import-mci-eligibilite/fixtures/actuel_14.csv");
const IPE = path.join(import.meta.dirname, "../import-ipe/fixtures/IPE_Normandie_NFIB_PM_IPEZMD_V30_20180331.csv");

describeEachDatabase("Agrégation des immeubles par commune", (ctx) => {
  const db = () => ctx.db as Kysely<BroadbandTables>;
  const stat = (code: string) =>
    db()
      .selectFrom("thd_stat_commune")
      .selectAll()
      .where("trimestre", "=", "2020T1")
      .where("code_insee", "=", code)
      .executeTakeFirst();

  it("compte chaque local une fois, dans la classe de son meilleur débit, pour les trois variantes", async () => {
    const base = await importMciBaseImb(ctx.db, { trimestre: "2020T1", fichier: BASE_IMB });
    expect(base.statut).toBe("importe");
    const elig = await importMciEligibilite(ctx.db, { trimestre: "2020T1", fichier: ELIGIBILITE });
    expect(elig.statut).toBe("importe");
    if (elig.statut !== "importe") return;
    expect(elig.details.lignesEcrites).toBe(9);

    // Caen: 1001 (1 local, FO THD1G) · 1002 (10, CU HD3 + 4GF THD30) · 1003 (4, SAT THD30 only)
    // · 1004 (2, nothing) · 1006 (5, CU INEL + WMX BHD8).
    expect(await stat("14118")).toMatchObject({
      source: "immeubles",
      locaux: 22,
      filaire_inel: 11,
      filaire_0_3: 0,
      filaire_3_8: 10,
      filaire_8_30: 0,
      filaire_30_100: 0,
      filaire_100: 1,
      terrestre_inel: 6,
      terrestre_0_3: 0,
      terrestre_3_8: 0,
      terrestre_8_30: 5,
      terrestre_30_100: 10,
      terrestre_100: 1,
      toutes_inel: 2,
      toutes_0_3: 0,
      toutes_3_8: 0,
      toutes_8_30: 5,
      toutes_30_100: 14,
      toutes_100: 1,
      techno_cu: 11,
      techno_coax: 0,
      techno_ftth: 1,
      techno_4gf: 10,
      techno_thdr: 0,
      techno_sat: 4,
      ftth_raccordables: 0,
      ftth_operateurs_commerciaux: 1,
    });
    // Lisieux: 1005 (3 locaux, CU HD05; its THD radio offer is saturated, so not counted).
    expect(await stat("14366")).toMatchObject({
      locaux: 3,
      filaire_0_3: 3,
      terrestre_0_3: 3,
      toutes_0_3: 3,
      terrestre_30_100: 0,
      techno_cu: 3,
      techno_thdr: 0,
      ftth_operateurs_commerciaux: 0,
    });
  });

  it("compte les locaux raccordables FttH après l'IPE, par commune et par OI", async () => {
    const ipe = await importIpe(ctx.db, { trimestre: "2020T1", fichier: IPE });
    expect(ipe.statut === "importe" && ipe.details.rapproches).toBe(1);
    // 1001 (1 local, matched to IMB001, deployed) + IPE-only IMB002 (24, deployed).
    expect(await stat("14118")).toMatchObject({ locaux: 46, ftth_raccordables: 25, filaire_100: 1 });
    expect(await stat("14341")).toMatchObject({ ftth_raccordables: 0, ftth_raccordables_demande: 16 });
    const oi = await db()
      .selectFrom("thd_stat_commune_oi")
      .selectAll()
      .where("trimestre", "=", "2020T1")
      .orderBy("code_insee")
      .execute();
    expect(oi).toEqual([{ trimestre: "2020T1", code_insee: "14118", operateur: "NFIB", ftth_raccordables: 25 }]);
  });

  it("laisse intacte une commune tenue par une autre source et se recalcule à l'identique", async () => {
    await db().deleteFrom("thd_stat_commune").where("code_insee", "=", "14366").execute();
    await db()
      .insertInto("thd_stat_commune")
      .values({
        trimestre: "2020T1",
        code_insee: "14366",
        source: "arcep-ftth-communes",
        locaux: 9000,
        ftth_raccordables: 1234,
        ftth_raccordables_demande: null,
        ...Object.fromEntries(
          ["filaire", "terrestre", "toutes"].flatMap((v) =>
            ["inel", "0_3", "3_8", "8_30", "30_100", "100"].map((b) => [`${v}_${b}`, null]),
          ),
        ),
        techno_cu: null,
        techno_coax: null,
        techno_ftth: null,
        techno_4gf: null,
        techno_thdr: null,
        techno_sat: null,
      } as never)
      .execute();
    const before = await stat("14118");
    const summary = await aggregateQuarter(ctx.db, "2020T1");
    expect(summary).toMatchObject({ communesIgnorees: 1 });
    expect(await stat("14366")).toMatchObject({ source: "arcep-ftth-communes", locaux: 9000 });
    expect(await stat("14118")).toEqual(before);
  });

  it("laisse l'agrégation à la dernière de trois importations (agreger: false) et arrive aux mêmes chiffres", async () => {
    const rows = async (trimestre: string) => ({
      communes: (
        await db()
          .selectFrom("thd_stat_commune")
          .selectAll()
          .where("trimestre", "=", trimestre)
          .orderBy("code_insee")
          .execute()
      ).map(({ trimestre: _t, ...rest }) => rest),
      operateurs: (
        await db()
          .selectFrom("thd_stat_commune_oi")
          .selectAll()
          .where("trimestre", "=", trimestre)
          .orderBy("code_insee")
          .orderBy("operateur")
          .execute()
      ).map(({ trimestre: _t, ...rest }) => rest),
    });
    const imported = (result: { statut: string }) => expect(result.statut).toBe("importe");
    // Each import recomputes the quarter.
    imported(await importMciBaseImb(ctx.db, { trimestre: "2020T3", fichier: BASE_IMB }));
    imported(await importIpe(ctx.db, { trimestre: "2020T3", fichier: IPE }));
    imported(await importMciEligibilite(ctx.db, { trimestre: "2020T3", fichier: ELIGIBILITE }));
    // Only the last one does.
    const base = await importMciBaseImb(ctx.db, { trimestre: "2020T4", fichier: BASE_IMB, agreger: false });
    const ipe = await importIpe(ctx.db, { trimestre: "2020T4", fichier: IPE, agreger: false });
    expect([base, ipe].map((r) => r.statut === "importe" && r.details.communesAgregees)).toEqual([0, 0]);
    expect(await rows("2020T4")).toEqual({ communes: [], operateurs: [] });
    imported(await importMciEligibilite(ctx.db, { trimestre: "2020T4", fichier: ELIGIBILITE }));
    const once = await rows("2020T4");
    expect(once.communes.length).toBeGreaterThan(0);
    expect(once.operateurs.length).toBeGreaterThan(0);
    expect(once).toEqual(await rows("2020T3"));
    // The eligibility import computed them from the rows it wrote (first load of the quarter's
    // eligibility): the grouped statements over the tables give the same figures.
    await aggregateQuarter(ctx.db, "2020T4");
    expect(await rows("2020T4")).toEqual(once);
  });
});
