import { describe, expect, it } from "vitest";
import { type BuildingFtthFacts, type EligibilityRow, evaluateBuilding, evaluateFtth } from "./eligibility-rules.ts";

const TODAY = "2026-06-15";
const building = (facts: Partial<BuildingFtthFacts>): BuildingFtthFacts => ({
  etat_ftth: "deploye",
  etat_pm: "deploye",
  date_mes_commerciale: "2024-01-10",
  date_prevue: null,
  ...facts,
});
const row = (
  operateur: string,
  techno: EligibilityRow["techno"],
  descendant: EligibilityRow["classe_descendant"],
  montant: EligibilityRow["classe_montant"],
  saturation = 0,
): EligibilityRow => ({ operateur, techno, classe_descendant: descendant, classe_montant: montant, saturation });

describe("règles FttH de Ma connexion internet", () => {
  it("ouvre la fibre quand l'immeuble et le PM sont déployés et la date commerciale atteinte", () => {
    expect(evaluateFtth(building({}), TODAY)).toEqual({
      etat: "raccordable",
      disponible: true,
      ouvertureCommerciale: null,
      datePrevue: null,
    });
    // The opening day itself counts, and no date means open.
    expect(evaluateFtth(building({ date_mes_commerciale: TODAY }), TODAY).disponible).toBe(true);
    expect(evaluateFtth(building({ date_mes_commerciale: null }), TODAY).disponible).toBe(true);
  });

  it("rapporte « raccordable sur demande » pour un immeuble RACD", () => {
    expect(evaluateFtth(building({ etat_ftth: "raccordable_demande" }), TODAY).etat).toBe("raccordable_sur_demande");
  });

  it("tient pour déployé un PM sans état (base_imb), pas un PM en cours", () => {
    expect(evaluateFtth(building({ etat_pm: null }), TODAY).disponible).toBe(true);
    expect(evaluateFtth(building({ etat_pm: "en_cours", date_prevue: "2026-09-01" }), TODAY)).toEqual({
      etat: "prevu",
      disponible: false,
      ouvertureCommerciale: null,
      datePrevue: "2026-09-01",
    });
  });

  it("annonce la date d'ouverture commerciale quand elle est à venir", () => {
    expect(evaluateFtth(building({ date_mes_commerciale: "2026-06-16" }), TODAY)).toEqual({
      etat: "prevu",
      disponible: false,
      ouvertureCommerciale: "2026-06-16",
      datePrevue: null,
    });
  });

  it("donne la date prévue d'un immeuble ciblé, et rien pour un immeuble sans projet ou abandonné", () => {
    expect(
      evaluateFtth(
        building({ etat_ftth: "cible", etat_pm: null, date_mes_commerciale: null, date_prevue: "2027-03-31" }),
        TODAY,
      ),
    ).toMatchObject({ etat: "prevu", datePrevue: "2027-03-31" });
    expect(evaluateFtth(building({ etat_ftth: null }), TODAY).etat).toBe("non_prevu");
    expect(evaluateFtth(building({ etat_ftth: "abandonne" }), TODAY).etat).toBe("non_prevu");
  });
});

describe("technologies et meilleur débit d'un immeuble", () => {
  it("prend par technologie la meilleure classe des opérateurs qui la vendent, saturés à part", () => {
    const result = evaluateBuilding(
      building({}),
      [
        row("SFR0", "FO", "THD1G", "THD100"),
        row("FRTE", "FO", "THD100", "THD100"),
        row("FRTE", "CU", "BHD8", "HD05"),
        row("FREE", "4GF", "THD30", "BHD8", 1),
        row("BOUY", "4GF", "BHD8", "HD3"),
        row("NUAT", "SAT", "THD30", "THD30"),
      ],
      TODAY,
    );
    expect(
      result.technologies.map((t) => [t.code, t.descendant, t.montant, t.operateurs, t.operateursSatures]),
    ).toEqual([
      ["FO", "THD1G", "THD100", ["FRTE", "SFR0"], []],
      ["CU", "BHD8", "HD05", ["FRTE"], []],
      ["4GF", "BHD8", "HD3", ["BOUY"], ["FREE"]],
      ["SAT", "THD30", "THD30", ["NUAT"], []],
    ]);
    expect(result.meilleur).toEqual({ descendant: "THD1G", montant: "THD100", technologies: ["FO"] });
  });

  it("écarte la fibre tant qu'elle n'est pas ouverte, et ne compte pas une offre saturée dans le meilleur débit", () => {
    const result = evaluateBuilding(
      building({ date_mes_commerciale: "2027-01-01" }),
      [row("FRTE", "FO", "THD1G", "THD1G"), row("FREE", "4GF", "THD30", "BHD8", 1), row("FRTE", "CU", "HD3", "HD05")],
      TODAY,
    );
    expect(result.ftth.etat).toBe("prevu");
    expect(result.technologies.map((t) => [t.code, t.disponible])).toEqual([
      ["CU", true],
      ["4GF", false],
    ]);
    expect(result.meilleur).toEqual({ descendant: "HD3", montant: "HD05", technologies: ["CU"] });
  });

  it("n'a pas de meilleur débit sans aucune offre vendue", () => {
    expect(evaluateBuilding(building({ etat_ftth: null }), [], TODAY)).toMatchObject({
      technologies: [],
      meilleur: null,
    });
  });
});
