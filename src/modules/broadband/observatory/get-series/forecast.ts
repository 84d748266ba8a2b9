import type { ObjectifThd } from "../../../../shared/config/config.ts";
import { addQuarters, compareQuarters, parseQuarter } from "../../quarters/quarter-code.ts";

/**
 * When each target would be reached at the current pace. The pace is the least-squares slope of the
 * share over the last four quarters that have a value (in points per quarter, quarters placed on
 * the calendar so that a gap counts); the projection starts from the latest value. A target already
 * met is dated by the first quarter at or above it.
 */
export const FORECAST_WINDOW = 4;
export const FORECAST_METHOD =
  "Rythme actuel : pente des moindres carrés de la part sur les 4 derniers trimestres disponibles (points par trimestre), prolongée depuis la dernière valeur ; un objectif déjà atteint est daté du premier trimestre où la part l'atteint.";

export interface SeriesValue {
  trimestre: string;
  valeur: number | null;
}

export type ProjectionStatut = "deja_atteint" | "prevu" | "non_atteint_a_ce_rythme" | "donnees_insuffisantes";

export interface Projection {
  annee: number;
  part: number;
  /** The last quarter of the target's year. */
  echeance: string;
  statut: ProjectionStatut;
  atteintLe: string | null;
  prevuLe: string | null;
  /** Reached, or projected to be reached, by the deadline; null without a date. */
  dansLesDelais: boolean | null;
  /** The share observed at the deadline's quarter, when the series covers it. */
  valeurALEcheance: number | null;
  libelle: string;
}

export interface Pace {
  pointsParTrimestre: number | null;
  trimestres: string[];
}

const quarterIndex = (code: string) => {
  const q = parseQuarter(code);
  return q.annee * 4 + q.numero - 1;
};

export function currentPace(series: SeriesValue[]): Pace {
  const known = series.filter((p): p is { trimestre: string; valeur: number } => p.valeur !== null);
  const window = known.slice(-FORECAST_WINDOW);
  if (window.length < 2) return { pointsParTrimestre: null, trimestres: window.map((p) => p.trimestre) };
  const xs = window.map((p) => quarterIndex(p.trimestre));
  const meanX = xs.reduce((a, b) => a + b, 0) / xs.length;
  const meanY = window.reduce((a, p) => a + p.valeur, 0) / window.length;
  let num = 0;
  let den = 0;
  window.forEach((p, i) => {
    const dx = (xs[i] as number) - meanX;
    num += dx * (p.valeur - meanY);
    den += dx * dx;
  });
  return {
    pointsParTrimestre: Math.round((num / den) * 1000) / 1000,
    trimestres: window.map((p) => p.trimestre),
  };
}

const LAST_YEAR = 2100;

export function projectTargets(
  series: SeriesValue[],
  objectifs: ObjectifThd[],
): { rythme: Pace; objectifs: Projection[] } {
  const rythme = currentPace(series);
  const known = series.filter((p): p is { trimestre: string; valeur: number } => p.valeur !== null);
  const last = known[known.length - 1];
  const projections = objectifs.map((objectif): Projection => {
    const echeance = `${objectif.annee}T4`;
    const atEcheance = known.filter((p) => compareQuarters(p.trimestre, echeance) <= 0).at(-1);
    const covers = known.some((p) => compareQuarters(p.trimestre, echeance) >= 0);
    const base = {
      annee: objectif.annee,
      part: objectif.part,
      echeance,
      valeurALEcheance: covers && atEcheance ? atEcheance.valeur : null,
    };
    const cible = `${objectif.part} % en ${objectif.annee}`;
    if (!last) {
      return {
        ...base,
        statut: "donnees_insuffisantes",
        atteintLe: null,
        prevuLe: null,
        dansLesDelais: null,
        libelle: `${cible} : pas de données`,
      };
    }
    const reached = known.find((p) => p.valeur >= objectif.part);
    if (reached && last.valeur >= objectif.part) {
      const inTime = compareQuarters(reached.trimestre, echeance) <= 0;
      return {
        ...base,
        statut: "deja_atteint",
        atteintLe: reached.trimestre,
        prevuLe: null,
        dansLesDelais: inTime,
        libelle: `${cible} : déjà atteint (${reached.trimestre}${inTime ? ", dans les délais" : ", en retard"})`,
      };
    }
    const pace = rythme.pointsParTrimestre;
    if (pace === null) {
      return {
        ...base,
        statut: "donnees_insuffisantes",
        atteintLe: null,
        prevuLe: null,
        dansLesDelais: null,
        libelle: `${cible} : pas assez de trimestres pour estimer le rythme`,
      };
    }
    const quarters = pace > 0 ? Math.ceil((objectif.part - last.valeur) / pace - 1e-9) : Number.POSITIVE_INFINITY;
    const prevuLe = Number.isFinite(quarters) ? addQuarters(last.trimestre, quarters) : null;
    if (prevuLe === null || parseQuarter(prevuLe).annee > LAST_YEAR) {
      return {
        ...base,
        statut: "non_atteint_a_ce_rythme",
        atteintLe: null,
        prevuLe: null,
        dansLesDelais: false,
        libelle: `${cible} : non atteint à ce rythme`,
      };
    }
    const inTime = compareQuarters(prevuLe, echeance) <= 0;
    return {
      ...base,
      statut: "prevu",
      atteintLe: null,
      prevuLe,
      dansLesDelais: inTime,
      libelle: `${cible} : atteint vers ${prevuLe} à ce rythme${inTime ? "" : ", après l'échéance"}`,
    };
  });
  return { rythme, objectifs: projections };
}
