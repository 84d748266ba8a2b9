import { describe, expect, it } from "vitest";
import { assessCommune, type CommuneFtthRow } from "./get-zone-fibree.service.ts";

const row = (figures: Partial<CommuneFtthRow>): CommuneFtthRow => ({
  code: "61001",
  nom: "Alpha",
  locaux: 1000,
  ftth_raccordables: 1000,
  ftth_raccordables_demande: 0,
  ftth_operateurs_commerciaux: 2,
  ...figures,
});

/** The answer as the API serialises it: the JSON text must not change with the implementation. */
const json = (figures: Partial<CommuneFtthRow>, seuil = 100) => JSON.stringify(assessCommune(row(figures), seuil));

describe("Conditions mesurables de la zone fibrée, commune par commune", () => {
  it("dit chaque condition et chaque motif, au caractère près", () => {
    expect(json({})).toBe(
      '{"code":"61001","nom":"Alpha","locaux":1000,"ftthRaccordables":1000,"ftthRaccordablesDemande":0,"couverture":100,"operateursCommerciaux":2,"zoneFibree":true,"conditions":[{"condition":"donnees_ftth","etat":"remplie"},{"condition":"locaux_raccordables","etat":"remplie"},{"condition":"offre_commerciale","etat":"remplie"}],"motifs":[]}',
    );
    // Thousands in French (narrow no-break space), couverture with a decimal comma, both motifs in order.
    expect(
      json({ locaux: 12345, ftth_raccordables: 6000, ftth_raccordables_demande: 172, ftth_operateurs_commerciaux: 0 }),
    ).toBe(
      '{"code":"61001","nom":"Alpha","locaux":12345,"ftthRaccordables":6000,"ftthRaccordablesDemande":172,"couverture":50,"operateursCommerciaux":0,"zoneFibree":false,"conditions":[{"condition":"donnees_ftth","etat":"remplie"},{"condition":"locaux_raccordables","etat":"non_remplie"},{"condition":"offre_commerciale","etat":"non_remplie"}],"motifs":["6\u202f173 locaux sur 12\u202f345 ni raccordables ni raccordables à la demande (couverture 50 %, seuil 100 %)","Aucun opérateur commercial ne propose la fibre"]}',
    );
    expect(
      json({ locaux: 3, ftth_raccordables: 2, ftth_raccordables_demande: null, ftth_operateurs_commerciaux: null }),
    ).toBe(
      '{"code":"61001","nom":"Alpha","locaux":3,"ftthRaccordables":2,"ftthRaccordablesDemande":null,"couverture":66.67,"operateursCommerciaux":null,"zoneFibree":false,"conditions":[{"condition":"donnees_ftth","etat":"remplie"},{"condition":"locaux_raccordables","etat":"non_remplie"},{"condition":"offre_commerciale","etat":"non_mesuree"}],"motifs":["1 local sur 3 ni raccordable ni raccordable à la demande (couverture 66,67 %, seuil 100 %)"]}',
    );
  });

  it("dit pourquoi les chiffres manquent, et ne bloque pas sur une condition non mesurée", () => {
    const sansChiffres = assessCommune(
      row({ locaux: null, ftth_raccordables: null, ftth_operateurs_commerciaux: null }),
      100,
    );
    expect(sansChiffres).toMatchObject({
      zoneFibree: false,
      couverture: null,
      motifs: ["Pas de chiffres pour ce trimestre"],
    });
    expect(sansChiffres.conditions.map((c) => c.etat)).toEqual(["non_remplie", "non_mesuree", "non_mesuree"]);
    expect(assessCommune(row({ locaux: 0 }), 100).motifs).toEqual(["Aucun local recensé"]);
    expect(assessCommune(row({ ftth_raccordables: null, ftth_operateurs_commerciaux: 0 }), 100).motifs).toEqual([
      "Pas de chiffres FttH pour ce trimestre",
      "Aucun opérateur commercial ne propose la fibre",
    ]);
    const nonMesuree = assessCommune(row({ ftth_operateurs_commerciaux: null }), 100);
    expect(nonMesuree).toMatchObject({ zoneFibree: true, motifs: [] });
    expect(nonMesuree.conditions[2]).toEqual({ condition: "offre_commerciale", etat: "non_mesuree" });
    // Beyond 100 % (more connectable premises than premises): capped.
    expect(assessCommune(row({ ftth_raccordables: 1005 }), 100).couverture).toBe(100);
  });

  it("applique le seuil au local près, et partage sans risque les listes de conditions", () => {
    expect(assessCommune(row({ ftth_raccordables: 995 }), 99.5).zoneFibree).toBe(true);
    expect(assessCommune(row({ ftth_raccordables: 994 }), 99.5).motifs).toEqual([
      "6 locaux sur 1\u202f000 ni raccordables ni raccordables à la demande (couverture 99,4 %, seuil 99.5 %)",
    ]);
    expect(assessCommune(row({ ftth_raccordables: 994, ftth_raccordables_demande: 1 }), 99.5).zoneFibree).toBe(true);
    // The lists are shared between communes in the same situation: they cannot be modified.
    const a = assessCommune(row({}), 100);
    const b = assessCommune(row({ code: "61002" }), 100);
    expect(a.conditions).toBe(b.conditions);
    expect(() => a.conditions.push({ condition: "donnees_ftth", etat: "remplie" })).toThrow(TypeError);
    expect(() => a.motifs.push("x")).toThrow(TypeError);
    expect(b.conditions).toHaveLength(3);
  });
});
