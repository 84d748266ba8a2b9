import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { describeEachDatabase } from "../../../shared/testing/test-databases.ts";
import { importFermetureCuivre } from "./import-fermeture-cuivre.service.ts";

const dir = mkdtempSync(path.join(tmpdir(), "thd-cuivre-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, content: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

describeEachDatabase("Fermeture du cuivre par commune", (ctx) => {
  it("lit le format data.economie.gouv.fr : zéro initial perdu, dates, message, autres régions ignorées", async () => {
    const f = file(
      "fermeture-reseau-cuivre.csv",
      [
        "code_insee;nom_commune;fermeture_technique;output_usager",
        "14118;Caen;2028-11-30;La fermeture technique est prévue le 30/11/2028",
        "61001;Alençon;;pas encore prévu",
        '1001;L\'Abergement-Clémenciat;2026-01-31T00:00:00+00:00;"déjà fermé"',
        "50592;Tessy-Bocage;2027-11-30;",
        "14513;Pont-Farcy;2029-11-30;",
      ].join("\r\n"),
    );
    const result = await importFermetureCuivre(ctx.db, { trimestre: "2025T4", fichier: f, region: "28" });
    expect(result).toMatchObject({ statut: "importe", details: { communes: 3, autresRegions: 1, codesRattaches: 1 } });
    const rows = await ctx.db.selectFrom("thd_fermeture_cuivre").selectAll().orderBy("code_insee").execute();
    expect(rows).toEqual([
      {
        trimestre: "2025T4",
        code_insee: "14118",
        lot: null,
        fermeture_commerciale: null,
        fermeture_technique: "2028-11-30",
        message_usager: "La fermeture technique est prévue le 30/11/2028",
      },
      {
        trimestre: "2025T4",
        code_insee: "50592",
        lot: null,
        fermeture_commerciale: null,
        // Pont-Farcy closes later than Tessy-Bocage: copper is gone from the whole commune then.
        fermeture_technique: "2029-11-30",
        message_usager: null,
      },
      {
        trimestre: "2025T4",
        code_insee: "61001",
        lot: null,
        fermeture_commerciale: null,
        fermeture_technique: null,
        message_usager: "pas encore prévu",
      },
    ]);
    expect((await importFermetureCuivre(ctx.db, { trimestre: "2025T4", fichier: f, region: "28" })).statut).toBe(
      "deja_importe",
    );
  });

  it("accepte lot et fermeture_commerciale (séparateur « , », dates JJ/MM/AAAA) et remplace le calendrier du trimestre", async () => {
    const f = file(
      "lots.csv",
      "code_insee,lot,fermeture_commerciale,fermeture_technique\n14118,lot 3,30/11/2027,30/11/2028\n",
    );
    const result = await importFermetureCuivre(ctx.db, { trimestre: "2025T4", fichier: f, region: "28" });
    expect(result.statut).toBe("importe");
    const rows = await ctx.db.selectFrom("thd_fermeture_cuivre").selectAll().execute();
    expect(rows).toEqual([
      {
        trimestre: "2025T4",
        code_insee: "14118",
        lot: "lot 3",
        fermeture_commerciale: "2027-11-30",
        fermeture_technique: "2028-11-30",
        message_usager: null,
      },
    ]);
  });

  it("refuse une date invalide ou une commune inconnue en nommant ligne et champ, sans rien écrire", async () => {
    const f = file(
      "mauvais.csv",
      "code_insee;fermeture_technique;output_usager\n14118;2028-13-30;\n14999;2028-11-30;\n",
    );
    const result = await importFermetureCuivre(ctx.db, { trimestre: "2025T4", fichier: f, region: "28" });
    expect(result.statut).toBe("refuse");
    if (result.statut !== "refuse") return;
    expect(result.rapport.map((r) => [r.ligne, r.champ, r.valeur])).toEqual([
      [2, "fermeture_technique", "2028-13-30"],
      [3, "code_insee", "14999"],
    ]);
    expect(await ctx.db.selectFrom("thd_fermeture_cuivre").select("lot").execute()).toEqual([{ lot: "lot 3" }]);
  });
});
