import { CLASSES_ARCEP, type ClasseArcep, type EtatFtth, type Techno } from "../../broadband/broadband.tables.ts";

/**
 * ARCEP « Ma connexion internet » eligibility rules (reference broadband.md §1.5), as pure
 * functions over one building and its eligibility rows (one per operator × technology).
 */

export interface BuildingFtthFacts {
  etat_ftth: EtatFtth | null;
  /** "en_cours", "deploye" or "abandonne"; null when the source gives no PM state. */
  etat_pm: string | null;
  date_mes_commerciale: string | null;
  date_prevue: string | null;
}

export interface EligibilityRow {
  operateur: string;
  techno: Techno;
  classe_montant: ClasseArcep;
  classe_descendant: ClasseArcep;
  saturation: number;
}

/**
 * - `raccordable`: building and PM deployed, commercially open: FttH can be ordered;
 * - `raccordable_sur_demande`: the same for a building the operator connects on request (RACD);
 * - `prevu`: targeted, signed, being deployed, or deployed but not yet open (PM or commercial date);
 * - `non_prevu`: no FttH project known for the building (no state, or abandoned).
 */
export type EtatFibre = "raccordable" | "raccordable_sur_demande" | "prevu" | "non_prevu";

export interface FtthStatus {
  etat: EtatFibre;
  disponible: boolean;
  /** Commercial opening date of the PM when it is still ahead of the reference date. */
  ouvertureCommerciale: string | null;
  /** Planned cabling date while the building is not yet deployed. */
  datePrevue: string | null;
}

const PLANNED_STATES: ReadonlySet<EtatFtth> = new Set(["cible", "signe", "en_cours", "deploye", "raccordable_demande"]);

/**
 * FttH is available when the building is deployed (DEPL) or connectable on request (RACD), its PM
 * is deployed and the commercial opening date is reached (null = no date given = open).
 * A null PM state counts as deployed: base_imb (MCI) buildings carry no PM state, and MCI only
 * lists them as deployed once their PM is; an IPE building always has one.
 */
export function evaluateFtth(building: BuildingFtthFacts, referenceDate: string): FtthStatus {
  const deployed = building.etat_ftth === "deploye" || building.etat_ftth === "raccordable_demande";
  const pmDeployed = building.etat_pm === null || building.etat_pm === "deploye";
  const opened = building.date_mes_commerciale === null || building.date_mes_commerciale <= referenceDate;
  if (deployed && pmDeployed && opened) {
    return {
      etat: building.etat_ftth === "deploye" ? "raccordable" : "raccordable_sur_demande",
      disponible: true,
      ouvertureCommerciale: null,
      datePrevue: null,
    };
  }
  if (building.etat_ftth !== null && PLANNED_STATES.has(building.etat_ftth) && building.etat_pm !== "abandonne") {
    return {
      etat: "prevu",
      disponible: false,
      ouvertureCommerciale:
        building.date_mes_commerciale !== null && building.date_mes_commerciale > referenceDate
          ? building.date_mes_commerciale
          : null,
      datePrevue: building.date_prevue,
    };
  }
  return { etat: "non_prevu", disponible: false, ouvertureCommerciale: null, datePrevue: null };
}

export const TECHNO_LABELS: Record<Techno, string> = {
  FO: "Fibre optique (FttH)",
  COAX: "Câble",
  CU: "Cuivre (ADSL, VDSL2)",
  THDR: "THD radio",
  "4GF": "4G fixe",
  WMX: "HD radio (WiMax)",
  SAT: "Satellite",
};

/** Technologies in MCI's "meilleure technologie" ranking (reference §1.4), best first. */
export const TECHNO_ORDER: readonly Techno[] = ["FO", "COAX", "CU", "THDR", "4GF", "WMX", "SAT"];

const rank = (classe: ClasseArcep): number => CLASSES_ARCEP.indexOf(classe);
const better = (a: ClasseArcep | null, b: ClasseArcep): ClasseArcep => (a === null || rank(b) > rank(a) ? b : a);

export interface TechnologyEligibility {
  code: Techno;
  libelle: string;
  /** At least one operator sells it here (not saturated). */
  disponible: boolean;
  /** Best classes over the operators that sell it (classes are thresholds); null when none does. */
  descendant: ClasseArcep | null;
  montant: ClasseArcep | null;
  operateurs: string[];
  /** Operators that do not sell it for now because the network is saturated. */
  operateursSatures: string[];
}

export interface BestSpeed {
  descendant: ClasseArcep;
  montant: ClasseArcep;
  /** The available technologies reaching the best download class, in ranking order. */
  technologies: Techno[];
}

export interface BuildingEligibility {
  ftth: FtthStatus;
  technologies: TechnologyEligibility[];
  meilleur: BestSpeed | null;
}

/**
 * Technologies of a building from its eligibility rows. Fibre rows count only when the FttH rules
 * say the building is open (ARCEP removes them otherwise); saturated rows never give a class.
 */
export function evaluateBuilding(
  building: BuildingFtthFacts,
  rows: readonly EligibilityRow[],
  referenceDate: string,
): BuildingEligibility {
  const ftth = evaluateFtth(building, referenceDate);
  const byTechno = new Map<Techno, TechnologyEligibility>();
  for (const row of rows) {
    if (row.techno === "FO" && !ftth.disponible) continue;
    let entry = byTechno.get(row.techno);
    if (!entry) {
      entry = {
        code: row.techno,
        libelle: TECHNO_LABELS[row.techno] ?? row.techno,
        disponible: false,
        descendant: null,
        montant: null,
        operateurs: [],
        operateursSatures: [],
      };
      byTechno.set(row.techno, entry);
    }
    if (row.saturation) {
      entry.operateursSatures.push(row.operateur);
      continue;
    }
    entry.disponible = true;
    entry.descendant = better(entry.descendant, row.classe_descendant);
    entry.montant = better(entry.montant, row.classe_montant);
    entry.operateurs.push(row.operateur);
  }
  const technologies = [...byTechno.values()].sort(
    (a, b) => TECHNO_ORDER.indexOf(a.code) - TECHNO_ORDER.indexOf(b.code),
  );
  for (const t of technologies) {
    t.operateurs.sort();
    t.operateursSatures.sort();
  }
  return { ftth, technologies, meilleur: bestSpeed(technologies) };
}

/** Highest download class over the available technologies; its upload is the best among those reaching it. */
export function bestSpeed(technologies: readonly TechnologyEligibility[]): BestSpeed | null {
  let best: BestSpeed | null = null;
  for (const t of technologies) {
    if (!t.disponible || t.descendant === null || t.montant === null) continue;
    if (best === null || rank(t.descendant) > rank(best.descendant)) {
      best = { descendant: t.descendant, montant: t.montant, technologies: [t.code] };
    } else if (t.descendant === best.descendant) {
      best.montant = better(best.montant, t.montant);
      best.technologies.push(t.code);
    }
  }
  return best;
}
