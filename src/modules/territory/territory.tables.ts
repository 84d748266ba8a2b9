import type { Selectable } from "kysely";

/** The four levels of the administrative geography, as they appear in URLs. */
export const NIVEAUX = ["regions", "departements", "epci", "communes"] as const;
export type Niveau = (typeof NIVEAUX)[number];

/**
 * Where a territory's shape comes from: its own polygon, the union of its children's polygons, or
 * only its centre (a région whose commune polygons are not shipped).
 */
export type ContourSource = "polygone" | "enfants" | "centre";

export interface TerritoireTable {
  niveau: Niveau;
  code: string;
  nom: string;
  /** Normalised name and postcodes, for accent- and case-insensitive search. */
  nom_recherche: string;
  population: number;
  region: string | null;
  departement: string | null;
  epci: string | null;
  /** Comma-separated postcodes (communes only; empty elsewhere). */
  codes_postaux: string;
  centre_lon: number;
  centre_lat: number;
  surface_km2: number | null;
  /** INSEE communal density grid, 1 (grands centres urbains) to 7 (rural à habitat très dispersé). */
  densite_insee_niveau: number | null;
  source_contour: ContourSource;
}

export interface TerritoireContourTable {
  niveau: Niveau;
  code: string;
  /** GeoJSON geometry, serialised. */
  geometrie: string;
}

export interface TerritoireImportTable {
  region: string;
  importe_le: string;
  source_cog: string;
  communes: number;
  communes_avec_polygone: number;
}

export interface TerritoryTables {
  territoire: TerritoireTable;
  territoire_contour: TerritoireContourTable;
  territoire_import: TerritoireImportTable;
}

export type TerritoireRow = Selectable<TerritoireTable>;

/** INSEE's seven-level communal density grid (2025 edition). */
export const DENSITE_INSEE_LIBELLES: Record<number, string> = {
  1: "Grands centres urbains",
  2: "Centres urbains intermédiaires",
  3: "Ceintures urbaines",
  4: "Petites villes",
  5: "Bourgs ruraux",
  6: "Rural à habitat dispersé",
  7: "Rural à habitat très dispersé",
};
