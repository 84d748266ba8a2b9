import { describe, expect, it } from "vitest";
import { currentPace, projectTargets } from "./forecast.ts";

const serie = (start: number, values: (number | null)[]) =>
  values.map((valeur, i) => ({ trimestre: `${2018 + Math.floor((start + i) / 4)}T${((start + i) % 4) + 1}`, valeur }));

describe("Prévision des objectifs au rythme actuel", () => {
  it("prend la pente des 4 derniers trimestres disponibles, en sautant les trimestres sans valeur", () => {
    // 2018T1..2019T2: the first two values are ignored (window of 4), the null one skipped.
    const pace = currentPace(serie(0, [0, 100, 10, 12, null, 14, 16]));
    expect(pace.trimestres).toEqual(["2018T3", "2018T4", "2019T2", "2019T3"]);
    // Regular 2 points per quarter on calendar positions 2, 3, 5, 6 gives a slope a bit under 2.
    expect(pace.pointsParTrimestre).toBeCloseTo(1.4, 1);
    expect(currentPace(serie(0, [10])).pointsParTrimestre).toBeNull();
  });

  it("date un objectif atteint, projette les autres, et dit quand ils ne le seront pas", () => {
    // 2018T1..2019T4, +5 points per quarter from 30 to 65.
    const values = serie(0, [30, 35, 40, 45, 50, 55, 60, 65]);
    const { rythme, objectifs } = projectTargets(values, [
      { annee: 2019, part: 60 },
      { annee: 2020, part: 80 },
      { annee: 2021, part: 100 },
    ]);
    expect(rythme.pointsParTrimestre).toBe(5);
    expect(objectifs[0]).toMatchObject({
      statut: "deja_atteint",
      atteintLe: "2019T3",
      dansLesDelais: true,
      valeurALEcheance: 65,
    });
    // 65 → 80 is 3 quarters after 2019T4.
    expect(objectifs[1]).toMatchObject({
      statut: "prevu",
      prevuLe: "2020T3",
      dansLesDelais: true,
      valeurALEcheance: null,
    });
    // 65 → 100 is 7 quarters: 2021T3, within 2021.
    expect(objectifs[2]).toMatchObject({ statut: "prevu", prevuLe: "2021T3", dansLesDelais: true });
    const late = projectTargets(values, [{ annee: 2020, part: 100 }]).objectifs[0];
    expect(late).toMatchObject({ statut: "prevu", prevuLe: "2021T3", dansLesDelais: false });
    expect(late?.libelle).toContain("après l'échéance");
  });

  it("dit « non atteint à ce rythme » quand la part stagne ou baisse, et « données insuffisantes » sans rythme", () => {
    const flat = projectTargets(serie(0, [50, 50, 49, 48]), [{ annee: 2025, part: 100 }]).objectifs[0];
    expect(flat).toMatchObject({ statut: "non_atteint_a_ce_rythme", prevuLe: null, dansLesDelais: false });
    expect(flat?.libelle).toBe("100 % en 2025 : non atteint à ce rythme");
    const single = projectTargets(serie(0, [50]), [{ annee: 2025, part: 100 }]).objectifs[0];
    expect(single?.statut).toBe("donnees_insuffisantes");
    const none = projectTargets(serie(0, [null, null]), [{ annee: 2025, part: 100 }]).objectifs[0];
    expect(none?.statut).toBe("donnees_insuffisantes");
  });
});
