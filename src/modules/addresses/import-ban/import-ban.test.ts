import { readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { expect, it } from "vitest";
import { describeEachDatabase } from "../../../shared/testing/test-databases.ts";
import { listActiveAddresses } from "../read-addresses/read-addresses.repository.ts";
import {
  banLine,
  generateFixture,
  lieuDitLine,
  splitLieuxDits,
  writeBanFile,
  writeLieuxDitsFile,
} from "../test-fixtures.ts";
import { type AddressDb, countActiveAddresses, findActiveLot, findLot } from "./import-ban.repository.ts";
import { BanFileError, importBan } from "./import-ban.service.ts";

describeEachDatabase("Import BAN des adresses", (ctx) => {
  const db = () => ctx.db as AddressDb;
  const fixture = generateFixture();

  it("charge un fichier généré (une EPCI) sans aucun rejet", async () => {
    const report = await importBan(ctx.db, [fixture.file]);
    expect(report.statut).toBe("importe");
    expect(report.rejets).toBe(0);
    expect(report.adresses).toBe(fixture.report.adresses);
    expect(report.adresses).toBeGreaterThan(2000);
    expect(await countActiveAddresses(db())).toBe(report.adresses);
    const caen = await db()
      .selectFrom("adresse")
      .selectAll()
      .where("lot_id", "=", report.lotId)
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(typeof caen.lon).toBe("number");
    expect(typeof caen.numero).toBe("number");
    // Lieux-dits without numbers keep their own row (numero 99999): the index makes them localities.
    const lieuxDits = await db()
      .selectFrom("adresse")
      .select(["id", "numero", "rep", "nom_voie"])
      .where("lot_id", "=", report.lotId)
      .where("numero", "=", 99_999)
      .execute();
    expect(lieuxDits).toHaveLength(fixture.report.lieuxDits);
    expect(lieuxDits.every((r) => r.id.endsWith("_99999") && r.rep === null && r.nom_voie !== "")).toBe(true);
  });

  it("sert les adresses du lot actif, commune par commune", async () => {
    const { fixtureCommunes } = await import("../test-fixtures.ts");
    const code = fixtureCommunes()[0] ?? "";
    const rows = await listActiveAddresses(db(), code);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.code_insee === code)).toBe(true);
    expect(await countActiveAddresses(db(), code)).toBe(rows.length);
  });

  it("ne fait rien quand on réimporte les mêmes fichiers", async () => {
    const before = await findActiveLot(db());
    const report = await importBan(ctx.db, [fixture.file]);
    expect(report.statut).toBe("inchange");
    expect(report.lotId).toBe(before?.id);
    expect((await findActiveLot(db()))?.id).toBe(before?.id);
  });

  it("charge les bonnes lignes et nomme la ligne et le champ des mauvaises (BOM, CRLF, guillemets, lignes vides)", async () => {
    const file = writeBanFile(
      [
        banLine(),
        "",
        banLine({ id: "14118_0120_00010", numero: "10", nom_voie: '"Rue ""du Port""; quai"' }),
        banLine({ id: "14118_0120_00012", numero: "12a" }),
        banLine({ id: "14118_0120_00014", numero: "14", lat: "12.5" }),
        banLine({ id: "99999_0120_00016", numero: "16", code_insee: "99999" }),
        "14118_0120_00018;trop;court",
        banLine({ id: "14118_0120_00020", numero: "20", lon: "-0,369" }),
        banLine(),
        "",
      ],
      "adresses-erreurs.csv",
      { bom: true, eol: "\r\n" },
    );
    const report = await importBan(ctx.db, [file]);
    expect(report.statut).toBe("importe");
    expect(report.adresses).toBe(2);
    expect(report.lignesLues).toBe(8);
    const byLine = report.rejections.map((r) => [r.line, r.field, r.value]);
    expect(byLine).toEqual([
      [5, "numero", "12a"],
      [6, "lon/lat", "-0.369 12.5"],
      [7, "code_insee", "99999"],
      [8, "ligne", "14118_0120_00018;trop;court"],
      [9, "lon", "-0,369"],
      [10, "id", "14118_0120_00008"],
    ]);
    expect(report.rejections.map((r) => r.reason)).toEqual([
      "numéro entier de 0 à 99999 attendu",
      "position hors de France",
      "code commune inconnu du COG en vigueur",
      "3 colonnes au lieu de 23",
      "longitude décimale attendue (point comme séparateur)",
      "identifiant déjà présent plus haut dans le fichier",
    ]);
    const quoted = await db()
      .selectFrom("adresse")
      .select("nom_voie")
      .where("lot_id", "=", report.lotId)
      .where("id", "=", "14118_0120_00010")
      .executeTakeFirstOrThrow();
    expect(quoted.nom_voie).toBe('Rue "du Port"; quai');
  });

  it("en mode strict, ne charge rien si une ligne est mauvaise et garde le lot actif", async () => {
    await importBan(ctx.db, [fixture.file]);
    const active = await findActiveLot(db());
    const count = await countActiveAddresses(db());
    const file = writeBanFile([banLine(), banLine({ id: "14118_0120_00012", numero: "douze" })], "adresses-strict.csv");
    const report = await importBan(ctx.db, [file], { strict: true });
    expect(report.statut).toBe("refuse");
    expect(report.adresses).toBe(0);
    expect(report.rejections).toMatchObject([{ line: 3, field: "numero", value: "douze" }]);
    expect((await findActiveLot(db()))?.id).toBe(active?.id);
    expect(await countActiveAddresses(db())).toBe(count);
    expect((await findLot(db(), report.lotId))?.statut).toBe("echoue");
    const rows = await db().selectFrom("adresse").select("id").where("lot_id", "=", report.lotId).execute();
    expect(rows).toEqual([]);
  });

  it("refuse un fichier qui n'est pas en UTF-8 en le disant, sans toucher au lot actif", async () => {
    const active = await findActiveLot(db());
    const latin1 = Buffer.from(banLine({ nom_voie: "Rue Écuyère" }), "latin1");
    const file = writeBanFile([banLine({ id: "14118_0120_00002", numero: "2" }), latin1], "adresses-latin1.csv");
    await expect(importBan(ctx.db, [file])).rejects.toThrow(BanFileError);
    await expect(importBan(ctx.db, [file])).rejects.toThrow(/pas en UTF-8 .*ligne 3.*Latin-1/);
    expect((await findActiveLot(db()))?.id).toBe(active?.id);
  });

  it("refuse un fichier dont l'en-tête n'est pas celui de la BAN", async () => {
    const file = writeBanFile([]);
    const { writeFileSync } = await import("node:fs");
    writeFileSync(file, "code;nom\n14118;Caen\n");
    await expect(importBan(ctx.db, [file])).rejects.toThrow(/en-tête inattendu à la ligne 1/);
  });

  it("un import qui échoue en cours de route laisse le lot précédent actif et servi", async () => {
    const active = await findActiveLot(db());
    const count = await countActiveAddresses(db());
    const other = generateFixture(8);
    let batches = 0;
    await expect(
      importBan(ctx.db, [other.file], {
        batchRows: 500,
        onProgress: () => {
          batches++;
          if (batches === 3) throw new Error("panne simulée");
        },
      }),
    ).rejects.toThrow("panne simulée");
    expect(batches).toBe(3);
    expect((await findActiveLot(db()))?.id).toBe(active?.id);
    expect(await countActiveAddresses(db())).toBe(count);
    const failed = await db().selectFrom("adresse_lot").selectAll().where("statut", "=", "echoue").execute();
    expect(failed.some((l) => l.message === "panne simulée")).toBe(true);
    const leftovers = await db()
      .selectFrom("adresse")
      .select("id")
      .where(
        "lot_id",
        "in",
        failed.map((l) => l.id),
      )
      .limit(1)
      .execute();
    expect(leftovers).toEqual([]);

    // The next import of the same new file then swaps it in and drops the old rows.
    const report = await importBan(ctx.db, [other.file]);
    expect(report.statut).toBe("importe");
    expect(report.lotRemplace).toBe(active?.id);
    expect(await countActiveAddresses(db())).toBe(other.report.adresses);
    const old = await db()
      .selectFrom("adresse")
      .select("id")
      .where("lot_id", "=", active?.id ?? "")
      .limit(1)
      .execute();
    expect(old).toEqual([]);
    expect((await findLot(db(), active?.id ?? ""))?.statut).toBe("remplace");
  });

  it("charge le fichier des lieux-dits de la BAN, même compressé, comme les lignes 99999 d'une BAL", async () => {
    // The demo file writes its lieux-dits as a BAL does; the BAN publishes them apart (13 columns).
    expect(fixture.report.lieuxDits).toBeGreaterThan(0);
    const { adresses, lieuxDits } = splitLieuxDits(fixture.file);
    const gzipped = `${lieuxDits}.gz`;
    writeFileSync(gzipped, gzipSync(readFileSync(lieuxDits)));
    const rowsOf = (lotId: string) =>
      db()
        .selectFrom("adresse")
        .select(["id", "numero", "rep", "nom_voie", "code_postal", "code_insee", "nom_commune", "lon", "lat", "source"])
        .where("lot_id", "=", lotId)
        .orderBy("id")
        .execute();
    const split = await importBan(ctx.db, [adresses, gzipped]);
    expect(split).toMatchObject({ statut: "importe", rejets: 0, adresses: fixture.report.adresses });
    const whole = await importBan(ctx.db, [fixture.file]);
    expect(whole.statut).toBe("importe");
    expect(await rowsOf(split.lotId)).toEqual([]);
    const expected = await rowsOf(whole.lotId);
    await importBan(ctx.db, [lieuxDits, adresses]);
    const active = await findActiveLot(db());
    expect(await rowsOf(active?.id ?? "")).toEqual(expected);
  });

  it("nomme la ligne et le champ des mauvaises lignes d'un fichier de lieux-dits", async () => {
    const file = writeLieuxDitsFile([
      lieuDitLine(),
      lieuDitLine({ id: "14118_b002", nom_lieu_dit: "" }),
      lieuDitLine({ id: "14118_b001_00001" }),
      lieuDitLine({ id: "14118_b003", code_insee: "14999" }),
      lieuDitLine({ id: "14118_b004", lat: "12.5" }),
      lieuDitLine(),
      "14118_b005;trop;court",
    ]);
    const report = await importBan(ctx.db, [file]);
    expect(report.adresses).toBe(1);
    expect(report.rejections.map((r) => [r.line, r.field, r.value, r.reason])).toEqual([
      [3, "nom_lieu_dit", "", "nom de lieu-dit vide"],
      [4, "id", "14118_b001_00001", "identifiant de lieu-dit mal formé (attendu <insee>_<voie>)"],
      [5, "code_insee", "14999", "code commune inconnu du COG en vigueur"],
      [6, "lon/lat", "-0.371 12.5", "position hors de France"],
      [7, "id", "14118_b001", "identifiant déjà présent plus haut dans le fichier"],
      [8, "ligne", "14118_b005;trop;court", "3 colonnes au lieu de 13"],
    ]);
    const [row] = await db().selectFrom("adresse").selectAll().where("lot_id", "=", report.lotId).execute();
    expect(row).toMatchObject({ id: "14118_b001_99999", numero: 99_999, rep: null, nom_voie: "Le Hamel" });
  });

  it("refuse une archive gzip abîmée sans toucher au lot actif", async () => {
    const active = await findActiveLot(db());
    const file = writeLieuxDitsFile([lieuDitLine()], "lieux-dits-14-beta.csv.gz");
    const whole = gzipSync(readFileSync(file));
    writeFileSync(file, whole.subarray(0, whole.length - 12));
    await expect(importBan(ctx.db, [file])).rejects.toThrow(/archive gzip illisible/);
    expect((await findActiveLot(db()))?.id).toBe(active?.id);
  });
});
