import type { Niveau } from "../../app/api-types.ts";

interface LevelLabels {
  singular: string;
  plural: string;
  /** First segment of the page URL. */
  path: string;
}

export const LEVELS: Record<Niveau, LevelLabels> = {
  regions: { singular: "Région", plural: "Régions", path: "regions" },
  departements: { singular: "Département", plural: "Départements", path: "departements" },
  epci: { singular: "EPCI", plural: "EPCI", path: "epci" },
  communes: { singular: "Commune", plural: "Communes", path: "communes" },
};

export function territoryPath(niveau: Niveau, code: string): string {
  return `/${LEVELS[niveau].path}/${encodeURIComponent(code)}`;
}
