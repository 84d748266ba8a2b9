import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Kysely } from "kysely";
import { afterAll, expect, it } from "vitest";
import { describeEachDatabase } from "../../../shared/testing/test-databases.ts";
import type { BroadbandTables } from "../broadband.tables.ts";
import { openCsv } from "./csv-reader.ts";
import { parseCount } from "./fields.ts";
import { columnsOf } from "./file-checks.ts";
import { rejet } from "./rejections.ts";
import { runThdImport, type ThdImportContext } from "./run-thd-import.ts";

const dir = mkdtempSync(path.join(tmpdir(), "thd-run-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, content: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** A tiny importer: code_insee;nbr → thd_stat_commune.locaux, rejecting malformed counts. */
async function applyCounts(ctx: ThdImportContext) {
  const f = ctx.fichiers[0];
  if (!f) throw new Error("pas de fichier");
  const reader = await openCsv(f.chemin, { encodage: f.encodage, separateur: ";" });
  let columns: Map<string, number> | undefined;
  let lignes = 0;
  for await (const line of reader.lines()) {
    if (!columns) {
      columns = columnsOf(line, { obligatoires: ["code_insee", "nbr"] }, f.nom);
      continue;
    }
    lignes++;
    const text = line.champs[columns.get("nbr") as number] ?? "";
    const nbr = parseCount(text);
    if (nbr === undefined) {
      ctx.rejeter(rejet(line.ligne, "nbr", text, "nombre attendu", f.nom));
      continue;
    }
    await ctx.db
      .insertInto("thd_stat_commune")
      .values({ trimestre: ctx.trimestre, code_insee: line.champs[0] as string, source: "test", locaux: nbr } as never)
      .execute();
  }
  return { lignes, details: { ecrites: lignes - ctx.nombreRejets() } };
}

describeEachDatabase("runThdImport : une transaction, idempotent, rien d'écrit sur rejet", (ctx) => {
  const db = () => ctx.db as Kysely<BroadbandTables>;
  const count = async (table: "thd_stat_commune" | "thd_import" | "thd_trimestre") =>
    Number(
      (
        await db()
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it("importe un fichier une fois ; le même fichier une seconde fois ne change rien", async () => {
    const f = file("bon.csv", "code_insee;nbr\n14118;10\n14047;20\n");
    const first = await runThdImport(
      ctx.db,
      { trimestre: "2019T1", format: "mci-statistiques", fichier: f, importePar: "test" },
      applyCounts,
    );
    expect(first).toMatchObject({
      statut: "importe",
      dejaImporte: false,
      lignes: 2,
      rejets: 0,
      details: { ecrites: 2 },
    });
    const rows = await count("thd_stat_commune");
    const second = await runThdImport(
      ctx.db,
      { trimestre: "2019T1", format: "mci-statistiques", fichier: f },
      applyCounts,
    );
    expect(second).toMatchObject({ statut: "deja_importe", dejaImporte: true });
    if (first.statut === "importe" && second.statut === "deja_importe") expect(second.importId).toBe(first.importId);
    expect(await count("thd_stat_commune")).toBe(rows);
    expect(await count("thd_import")).toBe(1);
    const imported = await db().selectFrom("thd_import").selectAll().executeTakeFirstOrThrow();
    expect(imported).toMatchObject({
      trimestre: "2019T1",
      format: "mci-statistiques",
      fichier: "bon.csv",
      lignes: 2,
      rejets: 0,
      importe_par: "test",
    });
    expect(imported.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("refuse tout le fichier dès une ligne rejetée, et ne crée même pas le trimestre", async () => {
    const f = file("mauvais.csv", "code_insee;nbr\n14118;10\n14047;2x0\n");
    const result = await runThdImport(
      ctx.db,
      { trimestre: "2019T2", format: "mci-statistiques", fichier: f },
      applyCounts,
    );
    expect(result.statut).toBe("refuse");
    if (result.statut !== "refuse") return;
    expect(result.message).toMatch(/1 ligne rejetée : rien n'a été importé/);
    expect(result.rapport).toEqual([
      { ligne: 3, champ: "nbr", valeur: "2x0", message: "nombre attendu", fichier: "mauvais.csv" },
    ]);
    expect(await db().selectFrom("thd_trimestre").select("code").where("code", "=", "2019T2").execute()).toEqual([]);
    expect(
      await db().selectFrom("thd_stat_commune").select("code_insee").where("trimestre", "=", "2019T2").execute(),
    ).toEqual([]);
  });

  it("avec ignorerRejets, charge les bonnes lignes et liste les mauvaises", async () => {
    const f = file("mauvais.csv", "code_insee;nbr\n14118;10\n14047;2x0\n");
    const result = await runThdImport(
      ctx.db,
      { trimestre: "2019T2", format: "mci-statistiques", fichier: f, ignorerRejets: true },
      applyCounts,
    );
    expect(result).toMatchObject({ statut: "importe", lignes: 2, rejets: 1 });
    expect(
      await db().selectFrom("thd_stat_commune").select("code_insee").where("trimestre", "=", "2019T2").execute(),
    ).toEqual([{ code_insee: "14118" }]);
  });

  it("refuse un fichier inutilisable (séparateur) en nommant l'en-tête, et annule tout sur une erreur", async () => {
    const f = file("virgules.csv", "code_insee,nbr\n14118,10\n");
    const before = [await count("thd_stat_commune"), await count("thd_import"), await count("thd_trimestre")];
    const result = await runThdImport(
      ctx.db,
      { trimestre: "2019T3", format: "mci-statistiques", fichier: f },
      applyCounts,
    );
    expect(result.statut).toBe("refuse");
    if (result.statut === "refuse") expect(result.rapport[0]).toMatchObject({ ligne: 1, champ: "en-tête" });
    const g = file("plante.csv", "code_insee;nbr\n14118;10\n");
    await expect(
      runThdImport(ctx.db, { trimestre: "2019T3", format: "mci-statistiques", fichier: g }, async (c) => {
        await applyCounts(c);
        throw new Error("panne au milieu");
      }),
    ).rejects.toThrow("panne au milieu");
    expect([await count("thd_stat_commune"), await count("thd_import"), await count("thd_trimestre")]).toEqual(before);
  });
});
