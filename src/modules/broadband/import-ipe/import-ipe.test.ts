import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Kysely } from "kysely";
import { afterAll, expect, it } from "vitest";
import { describeEachDatabase } from "../../../shared/testing/test-databases.ts";
import type { BroadbandTables } from "../broadband.tables.ts";
import { importIpe } from "./import-ipe.service.ts";

const FIXTURE_NAME = "IPE_Normandie_NFIB_PM_IPEZMD_V30_20180331.csv";
const FIXTURE = readFileSync(path.join(import.meta.dirname, "fixtures", FIXTURE_NAME), "utf8");
const dir = mkdtempSync(path.join(tmpdir(), "ipe-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a variant of the fixture under a name that keeps the OI code. */
function variant(name: string, text: string, encoding: BufferEncoding = "utf8"): string {
  const file = path.join(dir, name);
  writeFileSync(file, Buffer.from(text, encoding));
  return file;
}
const original = variant(FIXTURE_NAME, FIXTURE);

describeEachDatabase("Import IPE", (ctx) => {
  const db = () => ctx.db as Kysely<BroadbandTables>;
  const buildings = (trimestre: string) =>
    db().selectFrom("thd_immeuble").selectAll().where("trimestre", "=", trimestre).orderBy("id").execute();

  it("charge les immeubles : états, PM, dates, Lambert-93, commune ancienne, lignes sommées", async () => {
    const result = await importIpe(ctx.db, { trimestre: "2018T1", fichier: original });
    expect(result.statut).toBe("importe");
    if (result.statut !== "importe") return;
    expect(result.lignes).toBe(7);
    expect(result.details).toMatchObject({ operateurs: ["NFIB"], immeubles: 6, lignesSommees: 1, rapproches: 0 });
    const rows = await buildings("2018T1");
    expect(rows.map((r) => r.id)).toEqual([
      "ipe:NFIB:14341D0001/A",
      "ipe:NFIB:IMB001",
      "ipe:NFIB:IMB002",
      "ipe:NFIB:IMB003",
      "ipe:NFIB:IMB004",
      "ipe:NFIB:IMB007",
    ]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get("ipe:NFIB:IMB001")).toMatchObject({
      code_insee: "14118",
      etat_ftth: "deploye",
      etat_pm: "deploye",
      reference_pm: "PMCAEN01",
      date_mes_commerciale: "2017-09-01",
      adresse_id: "14118_1234_00012",
      operateur_infra: "NFIB",
      type: "pavillon",
      nom_voie: "RUE DE LA GARE",
      lon: -0.3591,
      lat: 49.1762,
    });
    const lambert = byId.get("ipe:NFIB:IMB002");
    expect(lambert?.lon).toBeCloseTo(-0.37, 1);
    expect(lambert?.lat).toBeCloseTo(49.18, 1);
    expect(lambert?.rep).toBe("b");
    expect(byId.get("ipe:NFIB:IMB003")).toMatchObject({ etat_ftth: "en_cours", date_prevue: "2018-06-30" });
    expect(byId.get("ipe:NFIB:IMB004")?.code_insee).toBe("14150");
    expect(byId.get("ipe:NFIB:14341D0001/A")).toMatchObject({ nb_locaux: 16, etat_ftth: "raccordable_demande" });
    // The quarter's commune figures follow: 25 connectable premises in Caen.
    const caen = await db()
      .selectFrom("thd_stat_commune")
      .selectAll()
      .where("trimestre", "=", "2018T1")
      .where("code_insee", "=", "14118")
      .executeTakeFirstOrThrow();
    expect(caen).toMatchObject({ source: "immeubles", locaux: 25, ftth_raccordables: 25 });
  });

  it("ne change rien au second import du même fichier", async () => {
    const before = await buildings("2018T1");
    const again = await importIpe(ctx.db, { trimestre: "2018T1", fichier: original });
    expect(again.statut).toBe("deja_importe");
    expect(await buildings("2018T1")).toEqual(before);
  });

  it("lit un fichier en windows-1252", async () => {
    const file = variant(`cp1252_${FIXTURE_NAME}`, FIXTURE, "latin1");
    const result = await importIpe(ctx.db, { trimestre: "2018T2", fichier: file });
    expect(result.statut).toBe("importe");
    const rows = await buildings("2018T2");
    expect(rows.find((r) => r.id === "ipe:NFIB:IMB003")?.nom_voie).toBe("RUE HENRY CHÉRON");
    expect(rows.find((r) => r.code_insee === "61001")?.nom_voie).toBe("PLACE DU PALAIS");
  });

  it("remplace les immeubles de l'OI et rapproche ceux de base_imb par code_ipe", async () => {
    await db()
      .insertInto("thd_trimestre")
      .values({
        code: "2018T3",
        statut: "brouillon",
        cree_le: "2018-07-01",
        publie_le: null,
        publie_par: null,
        simule: 0,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
    await db()
      .insertInto("thd_immeuble")
      .values({
        trimestre: "2018T3",
        id: "900001",
        code_ipe: "IMB001",
        adresse_id: null,
        code_insee: "14118",
        numero: "12",
        rep: null,
        nom_voie: "Rue de la Gare",
        lon: -0.36,
        lat: 49.17,
        type: "pavillon",
        nb_locaux: 2,
        reseau: null,
        operateur_infra: null,
        etat_ftth: null,
        reference_pm: null,
        etat_pm: null,
        date_mes_commerciale: null,
        date_prevue: null,
      })
      .execute();
    const first = await importIpe(ctx.db, { trimestre: "2018T3", fichier: original });
    expect(first.statut === "importe" && first.details.rapproches).toBe(1);
    let rows = await buildings("2018T3");
    expect(rows.find((r) => r.id === "ipe:NFIB:IMB001")).toBeUndefined();
    expect(rows.find((r) => r.id === "900001")).toMatchObject({
      etat_ftth: "deploye",
      operateur_infra: "NFIB",
      nb_locaux: 2,
      adresse_id: "14118_1234_00012",
      lon: -0.36,
    });

    // The OI's next file no longer lists IMB001 nor IMB007: both disappear from its view.
    const next = variant(
      "IPE_Normandie_NFIB_PM_IPEZMD_V30_20180930.csv",
      FIXTURE.split("\n")
        .filter((l) => !l.startsWith("IMB001;") && !l.startsWith("IMB007;"))
        .join("\n"),
    );
    const second = await importIpe(ctx.db, { trimestre: "2018T3", fichier: next });
    expect(second.statut).toBe("importe");
    rows = await buildings("2018T3");
    expect(rows.find((r) => r.id === "900001")).toMatchObject({ etat_ftth: null, operateur_infra: null, nb_locaux: 2 });
    expect(rows.map((r) => r.id)).not.toContain("ipe:NFIB:IMB007");
    expect(rows).toHaveLength(5);
  });

  it("un immeuble base_imb décrit par deux OI dans le même import prend la ligne lue en dernier", async () => {
    await db()
      .insertInto("thd_trimestre")
      .values({
        code: "2019T2",
        statut: "brouillon",
        cree_le: "2019-04-01",
        publie_le: null,
        publie_par: null,
        simule: 0,
      })
      .execute();
    await db()
      .insertInto("thd_immeuble")
      .values(
        ["IMB001", "IMB002"].map((code, i) => ({
          trimestre: "2019T2",
          id: `91000${i}`,
          code_ipe: code,
          adresse_id: null,
          code_insee: "14118",
          numero: null,
          rep: null,
          nom_voie: null,
          lon: null,
          lat: null,
          type: null,
          nb_locaux: 1,
          reseau: null,
          operateur_infra: null,
          etat_ftth: null,
          reference_pm: null,
          etat_pm: null,
          date_mes_commerciale: null,
          date_prevue: null,
        })),
      )
      .execute();
    // Same lines, another OI (from the file name), another state, PM and BAN key for IMB001.
    const other = variant(
      "IPE_Normandie_AXIO_PM_IPEZMD_V30_20190331.csv",
      FIXTURE.replace("12;;;1;DEPLOYE;20180115", "12;;;1;CIBLE;20180115").replace(
        "PMCAEN01;DEPLOYE;20170601;20170901;PAVILLON;14118_1234_00012",
        "PMAXIO;;;;PAVILLON;14118_1234_00099",
      ),
    );
    const result = await importIpe(ctx.db, { trimestre: "2019T2", fichier: [original, other] });
    expect(result.statut === "importe" && result.details).toMatchObject({
      operateurs: ["AXIO", "NFIB"],
      rapproches: 4,
    });
    const rows = await buildings("2019T2");
    expect(rows.find((r) => r.id === "910000")).toMatchObject({
      operateur_infra: "AXIO",
      etat_ftth: "cible",
      reference_pm: "PMAXIO",
      adresse_id: "14118_1234_00099",
    });
    expect(rows.find((r) => r.id === "910001")).toMatchObject({ operateur_infra: "AXIO", etat_ftth: "deploye" });
  });

  it("refuse un fichier à état inconnu, immeuble en double ou commune inconnue : rapport, rien d'écrit", async () => {
    const lines = FIXTURE.trimEnd().split("\n");
    const bad = variant(
      "IPE_Bad_NFIB_PM_IPEZMD_V30_20181231.csv",
      [
        ...lines.slice(0, 3),
        (lines[3] as string).replace("EN COURS DE DEPLOIEMENT;20180201", "EN TRAVAUX;20180201"),
        (lines[1] as string).replace("14118A0001", "14118A0009"),
        (lines[4] as string).replace("14002;", "75056;"),
      ].join("\n"),
    );
    const result = await importIpe(ctx.db, { trimestre: "2018T4", fichier: bad });
    expect(result.statut).toBe("refuse");
    if (result.statut !== "refuse") return;
    expect(result.rapport.map((r) => [r.ligne, r.champ])).toEqual([
      [4, "EtatImmeuble"],
      [5, "IdentifiantImmeuble"],
      [6, "CodeInseeImmeuble"],
    ]);
    expect(result.rapport[1]?.message).toMatch(/double.*ligne 2/);
    expect(await buildings("2018T4")).toEqual([]);
    expect(await db().selectFrom("thd_trimestre").select("code").where("code", "=", "2018T4").execute()).toEqual([]);

    const ignoring = await importIpe(ctx.db, { trimestre: "2018T4", fichier: bad, ignorerRejets: true });
    expect(ignoring.statut === "importe" && ignoring.rejets).toBe(3);
    expect((await buildings("2018T4")).map((r) => r.id)).toEqual(["ipe:NFIB:IMB001", "ipe:NFIB:IMB002"]);
  });

  it("refuse un fichier séparé par des virgules en nommant l'en-tête", async () => {
    const commas = variant(
      "IPE_Virgules_NFIB_PM_IPEZMD_V30_20190331.csv",
      FIXTURE.replaceAll(",", ".").replaceAll(";", ","),
    );
    const result = await importIpe(ctx.db, { trimestre: "2019T1", fichier: commas });
    expect(result.statut).toBe("refuse");
    if (result.statut !== "refuse") return;
    expect(result.rapport[0]).toMatchObject({ ligne: 1, champ: "en-tête" });
    expect(result.message).toMatch(/séparé par des « ; »/);
  });

  it("refuse d'écrire dans un trimestre publié", async () => {
    await db().updateTable("thd_trimestre").set({ statut: "publie" }).where("code", "=", "2018T2").execute();
    const file = variant(`autre_${FIXTURE_NAME}`, `${FIXTURE}\n`);
    await expect(importIpe(ctx.db, { trimestre: "2018T2", fichier: file })).rejects.toThrow(/publié/);
  });
});
