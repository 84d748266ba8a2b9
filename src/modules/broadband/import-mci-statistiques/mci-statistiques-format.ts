import type { ClasseDebit, Variante } from "../broadband.tables.ts";

/**
 * ARCEP « Ma connexion internet » statistics per commune (reference §1.4): one file per view, `;`,
 * UTF-8, common columns code_insee;nom_com;code_dep;code_reg;nbr;type;date.
 */

/** Which file is which, from its name (with or without a "2024_T4/" style prefix). */
export type MciStatFile = "debit" | "debit_terrestre" | "debit_filaire" | "techno";

export const MCI_STAT_FILE_NAMES: Record<MciStatFile, string> = {
  debit: "commune_debit.csv",
  debit_terrestre: "commune_debit_terrestre.csv",
  debit_filaire: "commune_debit_filaire.csv",
  techno: "commune_techno.csv",
};

/** The class variant each speed file fills: all technologies, no satellite, wired only. */
export const VARIANT_OF_FILE: Record<Exclude<MciStatFile, "techno">, Variante> = {
  debit: "toutes",
  debit_terrestre: "terrestre",
  debit_filaire: "filaire",
};

/** "commune_debit_filaire.csv" → "debit_filaire"; other files (commune.csv, _dsl, _meilleure_techno…) → undefined. */
export function mciStatFileKind(fileName: string): MciStatFile | undefined {
  const name = fileName.toLowerCase();
  if (name.includes("meilleure")) return undefined;
  if (/commune_debit_filaire\.csv$/.test(name)) return "debit_filaire";
  if (/commune_debit_terrestre\.csv$/.test(name)) return "debit_terrestre";
  if (/commune_debit\.csv$/.test(name)) return "debit";
  if (/commune_techno\.csv$/.test(name)) return "techno";
  return undefined;
}

/** Speed-file thresholds, cumulative (premises with at least that speed); 2020 names second. */
export const THRESHOLD_COLUMNS = [
  ["inel_hd", "inel"],
  ["elig_hd05", "elig_cd_1"],
  ["elig_hd3", "elig_cd_2"],
  ["elig_bhd8", "elig_cd_3"],
  ["elig_thd30", "elig_cd_4"],
  ["elig_thd100", "elig_cd_5"],
  ["elig_thd1g", "elig_cd_6"],
] as const;

/** Technology-file columns (a premise counts under each technology it has); 2020 names after. */
export const TECHNO_COLUMNS = [
  ["elig_cu"],
  ["elig_coax"],
  ["elig_ftth_rac"],
  ["elig_ftth_rad"],
  ["elig_4gf", "elig_4fg"],
  ["elig_thdr"],
  ["elig_sat"],
] as const;

export interface Thresholds {
  nbr: number;
  inel_hd: number;
  elig_hd05: number;
  elig_hd3: number;
  elig_bhd8: number;
  elig_thd30: number;
  elig_thd100: number;
}

/**
 * Cumulative thresholds → the observatory's bins (reference §1.4, "Deriving the observatory
 * classes"): inel = inel_hd; 0–3 = nbr − inel_hd − elig_hd3; 3–8 = elig_hd3 − elig_bhd8;
 * 8–30 = elig_bhd8 − elig_thd30; 30–100 = elig_thd30 − elig_thd100; 100+ = elig_thd100.
 * The bins sum to nbr. Returns the column that breaks the order when a bin would be negative.
 */
export function thresholdsToBins(t: Thresholds): { bins: Record<ClasseDebit, number> } | { incoherent: string } {
  const bins: Record<ClasseDebit, number> = {
    inel: t.inel_hd,
    "0_3": t.nbr - t.inel_hd - t.elig_hd3,
    "3_8": t.elig_hd3 - t.elig_bhd8,
    "8_30": t.elig_bhd8 - t.elig_thd30,
    "30_100": t.elig_thd30 - t.elig_thd100,
    "100": t.elig_thd100,
  };
  if (bins["0_3"] < 0 || t.elig_hd3 > t.elig_hd05) return { incoherent: "elig_hd3" };
  if (bins["3_8"] < 0) return { incoherent: "elig_bhd8" };
  if (bins["8_30"] < 0) return { incoherent: "elig_thd30" };
  if (bins["30_100"] < 0) return { incoherent: "elig_thd100" };
  return { bins };
}
