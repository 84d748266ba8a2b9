import type { TerritoireResume } from "./territory.schemas.ts";
import { DENSITE_INSEE_LIBELLES, type TerritoireRow } from "./territory.tables.ts";

/** What leaves the server for one territory row. */
export function presentTerritoire(row: TerritoireRow): TerritoireResume {
  return {
    niveau: row.niveau,
    code: row.code,
    nom: row.nom,
    population: row.population,
    region: row.region,
    departement: row.departement,
    epci: row.epci,
    codesPostaux: row.codes_postaux === "" ? [] : row.codes_postaux.split(","),
    centre: { lon: row.centre_lon, lat: row.centre_lat },
    surfaceKm2: row.surface_km2,
    densitePopulation: populationDensity(row.population, row.surface_km2),
    densiteInsee: presentDensiteInsee(row.densite_insee_niveau),
    sourceContour: row.source_contour,
  };
}

export function populationDensity(population: number, surfaceKm2: number | null): number | null {
  return surfaceKm2 && surfaceKm2 > 0 ? Math.round((population / surfaceKm2) * 10) / 10 : null;
}

export function presentDensiteInsee(niveau: number | null): { niveau: number; libelle: string } | null {
  return niveau == null ? null : { niveau, libelle: DENSITE_INSEE_LIBELLES[niveau] ?? "" };
}
