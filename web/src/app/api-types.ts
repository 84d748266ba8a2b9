// Shapes of the JSON returned by the backend API (see /api/docs).

export type Niveau = "regions" | "departements" | "epci" | "communes";

export interface Configuration {
  plateforme: { nom: string; version: string };
  region: { code: string; nom: string };
  identite: { couleurPrimaire: string; couleurAccent: string; logo: string };
  territoires: { communes: number; communesAvecPolygone: number; contoursComplets: boolean };
}

export interface DensiteInsee {
  niveau: number;
  libelle: string;
}

export type SourceContour = "polygone" | "enfants" | "centre";

export interface TerritoireResume {
  niveau: Niveau;
  code: string;
  nom: string;
  population: number;
  region: string | null;
  departement: string | null;
  epci: string | null;
  codesPostaux: string[];
  centre: { lon: number; lat: number };
  surfaceKm2: number | null;
  densitePopulation: number | null;
  densiteInsee: DensiteInsee | null;
  sourceContour: SourceContour;
}

export interface ParentRef {
  code: string;
  nom: string;
}

export interface TerritoireDetail extends TerritoireResume {
  parents: { region?: ParentRef; departement?: ParentRef; epci?: ParentRef };
  enfants: { departements?: number; epci?: number; communes?: number };
}

export interface TerritoirePage {
  total: number;
  limit: number;
  offset: number;
  results: TerritoireResume[];
}

export interface TerritoireFilters {
  region?: string;
  departement?: string;
  epci?: string;
}
