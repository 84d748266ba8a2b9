import { createRequire } from "node:module";

// The COG ships as JSON inside @etalab/decoupage-administratif; read it through require so that
// the package's own files, not a copy, are the reference.
const require = createRequire(import.meta.url);

interface CogRegion {
  code: string;
  nom: string;
}
interface CogDepartement {
  code: string;
  nom: string;
  region: string;
}
export interface CogCommune {
  code: string;
  nom: string;
  type: "commune-actuelle" | "commune-deleguee" | "commune-associee" | "arrondissement-municipal";
  region?: string;
  departement?: string;
  chefLieu?: string;
  anciensCodes?: string[];
  codesPostaux?: string[];
  population?: number;
}
interface CogEpci {
  code: string;
  nom: string;
  populationMunicipale?: number;
  membres: { code: string }[];
}

/** The current official geography (COG) of one région. */
export interface RegionCog {
  sourceVersion: string;
  region: CogRegion;
  departements: CogDepartement[];
  communes: CogCommune[];
  /** EPCI with at least one member commune in the région, with all their member codes. */
  epcis: CogEpci[];
  /** Resolves a code that is no longer a current commune (delegated, associated, former) to the current commune. */
  currentCommuneCode(code: string): string | undefined;
}

/** Names the COG edition in use, as recorded with each import. */
export function currentCogVersion(): string {
  const { version } = require("@etalab/decoupage-administratif/package.json") as { version: string };
  return `@etalab/decoupage-administratif ${version}`;
}

export class UnknownRegionError extends Error {
  override name = "UnknownRegionError";
}

export function loadRegionCog(regionCode: string): RegionCog {
  const regions = require("@etalab/decoupage-administratif/data/regions.json") as CogRegion[];
  const departements = require("@etalab/decoupage-administratif/data/departements.json") as CogDepartement[];
  const allCommunes = require("@etalab/decoupage-administratif/data/communes.json") as CogCommune[];
  const epcis = require("@etalab/decoupage-administratif/data/epci.json") as CogEpci[];

  const region = regions.find((r) => r.code === regionCode);
  if (!region) throw new UnknownRegionError(`Région ${regionCode} absente du COG`);
  const communes = allCommunes.filter((c) => c.type === "commune-actuelle" && c.region === regionCode);
  const currentCodes = new Set(communes.map((c) => c.code));

  const aliases = new Map<string, string>();
  for (const c of allCommunes) {
    if (c.type === "commune-actuelle") {
      for (const old of c.anciensCodes ?? []) if (!currentCodes.has(old)) aliases.set(old, c.code);
    }
  }
  for (const c of allCommunes) {
    if ((c.type === "commune-deleguee" || c.type === "commune-associee") && c.chefLieu) aliases.set(c.code, c.chefLieu);
  }

  return {
    sourceVersion: currentCogVersion(),
    region,
    departements: departements.filter((d) => d.region === regionCode),
    communes,
    epcis: epcis.filter((e) => e.membres.some((m) => currentCodes.has(m.code))),
    currentCommuneCode(code) {
      if (currentCodes.has(code)) return code;
      const alias = aliases.get(code);
      return alias && currentCodes.has(alias) ? alias : undefined;
    },
  };
}
