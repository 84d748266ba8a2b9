import { createRequire } from "node:module";

/** The 23 columns of the BAN CSV export (`adresses-<dep>.csv`), in order. */
export const BAN_COLUMNS = [
  "id",
  "id_fantoir",
  "numero",
  "rep",
  "nom_voie",
  "code_postal",
  "code_insee",
  "nom_commune",
  "code_insee_ancienne_commune",
  "nom_ancienne_commune",
  "x",
  "y",
  "lon",
  "lat",
  "type_position",
  "alias",
  "nom_ld",
  "libelle_acheminement",
  "nom_afnor",
  "source_position",
  "source_nom_voie",
  "certification_commune",
  "cad_parcelles",
] as const;

export type BanColumn = (typeof BAN_COLUMNS)[number];

export const BAN_HEADER = BAN_COLUMNS.join(";");

/**
 * The 13 columns of the BAN's companion file of lieux-dits (`lieux-dits-<dep>-beta.csv`), in order:
 * the named places without numbers, which the address file leaves out. `id` is the toponym's
 * (`<insee>_<voie>`, e.g. `14654_b001`).
 */
export const LIEUX_DITS_COLUMNS = [
  "id",
  "nom_lieu_dit",
  "code_postal",
  "code_insee",
  "nom_commune",
  "code_insee_ancienne_commune",
  "nom_ancienne_commune",
  "x",
  "y",
  "lon",
  "lat",
  "source_position",
  "source_nom_voie",
] as const;

export const LIEUX_DITS_HEADER = LIEUX_DITS_COLUMNS.join(";");

/**
 * BAN/BAL `numero` of a lieu-dit's own row (`<insee>_<voie>_99999`): a toponym, not a number. A
 * lieu-dit of the companion file is loaded as such a row, as a BAL gives it.
 */
export const LIEU_DIT_NUMERO = 99_999;

/**
 * Boxes (lon/lat) that contain metropolitan France, Corsica and the overseas départements and
 * collectivities that the BAN covers, with a small margin. A point outside all of them is an error.
 */
const FRANCE_BOXES: readonly [number, number, number, number][] = [
  [-5.5, 41.2, 9.8, 51.2], // métropole et Corse
  [-62.0, 15.7, -60.8, 16.6], // Guadeloupe
  [-61.4, 14.3, -60.7, 15.0], // Martinique
  [-54.8, 2.0, -51.4, 6.0], // Guyane
  [55.1, -21.5, 56.0, -20.8], // La Réunion
  [44.9, -13.1, 45.4, -12.5], // Mayotte
  [-56.6, 46.7, -56.0, 47.2], // Saint-Pierre-et-Miquelon
  [-63.3, 17.8, -62.7, 18.2], // Saint-Barthélemy, Saint-Martin
];

export function inFrance(lon: number, lat: number): boolean {
  for (const [minLon, minLat, maxLon, maxLat] of FRANCE_BOXES) {
    if (lon >= minLon && lon <= maxLon && lat >= minLat && lat <= maxLat) return true;
  }
  return false;
}

const require = createRequire(import.meta.url);
let communeCodes: Set<string> | undefined;

/**
 * Codes of today's communes (and municipal arrondissements, which the BAN uses for Paris, Lyon and
 * Marseille) in the COG shipped with `@etalab/decoupage-administratif`.
 */
export function currentCommuneCodes(): Set<string> {
  if (!communeCodes) {
    const all = require("@etalab/decoupage-administratif/data/communes.json") as { code: string; type: string }[];
    communeCodes = new Set(
      all.filter((c) => c.type === "commune-actuelle" || c.type === "arrondissement-municipal").map((c) => c.code),
    );
  }
  return communeCodes;
}

/** `14118_0120_00008_bis`: commune, street code, number on 5 digits, optional suffix. */
export function banId(codeInsee: string, voie: string, numero: number, rep: string | null): string {
  const base = `${codeInsee}_${voie}_${String(numero).padStart(5, "0")}`.toLowerCase();
  return rep ? `${base}_${rep.toLowerCase()}` : base;
}
