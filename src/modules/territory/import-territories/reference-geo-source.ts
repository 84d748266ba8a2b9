import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Feature, FeatureCollection, Geometry, Point } from "geojson";
import { isSurface, type Surface } from "./geometry.ts";

export const REFERENCE_GEO_DIR = path.resolve(import.meta.dirname, "../reference-data/geo");

interface CommuneCentre {
  center: [number, number];
}

/**
 * The shipped geographic reference files (contours, centres, density grid). Files that do not exist
 * for a région are simply absent: the importer then falls back to centres.
 */
export class ReferenceGeoSource {
  private centresCache: Record<string, CommuneCentre> | undefined;

  constructor(readonly dir: string = REFERENCE_GEO_DIR) {}

  private readCollection(file: string): FeatureCollection | undefined {
    const full = path.join(this.dir, file);
    if (!existsSync(full)) return undefined;
    return JSON.parse(readFileSync(full, "utf8")) as FeatureCollection;
  }

  /** Commune polygons of one département, keyed by the (possibly outdated) INSEE code. */
  communeSurfaces(departement: string): Map<string, Surface> {
    return this.surfacesByCode(`communes-${departement}.geojson`, (p) => stripPrefix(p.code_territoire));
  }

  /** EPCI polygons published for one département (an EPCI may appear in two files), keyed by SIREN. */
  epciSurfaces(departement: string): Map<string, Surface> {
    return this.surfacesByCode(`epci-${departement}.geojson`, (p) => stripPrefix(p.code_territoire));
  }

  departementSurfaces(): Map<string, Surface> {
    return this.surfacesByCode("departements-france.geojson", (p) => p.insee_dep);
  }

  /** Any `region-*.geojson` file whose feature carries the région's code. */
  regionSurface(regionCode: string): Surface | undefined {
    if (!existsSync(this.dir)) return undefined;
    for (const file of readdirSync(this.dir).filter((f) => /^region-.+\.geojson$/.test(f))) {
      const features = this.features(file);
      const feature = features.find((f) => String(f.properties?.code) === regionCode);
      if (feature && isSurface(feature.geometry)) return feature.geometry;
    }
    return undefined;
  }

  communeCentre(code: string): [number, number] | undefined {
    if (!this.centresCache) {
      const file = path.join(this.dir, "communes-centres-france.json");
      this.centresCache = existsSync(file)
        ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, CommuneCentre>)
        : {};
    }
    return this.centresCache[code]?.center;
  }

  epciLabelPoints(): Map<string, [number, number]> {
    const points = new Map<string, [number, number]>();
    for (const f of this.features("epci-centroides-france.geojson")) {
      const siren = f.properties?.siren_epci;
      if (typeof siren === "string" && f.geometry?.type === "Point") {
        points.set(siren, (f.geometry as Point).coordinates.slice(0, 2) as [number, number]);
      }
    }
    return points;
  }

  /** INSEE density level (1–7) per commune code, from the communal density grid. */
  densityLevels(): Map<string, number> {
    const file = path.join(this.dir, "grille-densite-communes.csv");
    const levels = new Map<string, number>();
    if (!existsSync(file)) return levels;
    const byLabel = new Map(Object.entries(DENSITY_LABEL_LEVELS));
    const lines = readFileSync(file, "utf8")
      .replace(/^\uFEFF/, "")
      .split(/\r?\n/);
    for (const line of lines.slice(1)) {
      if (!line) continue;
      const code = line.slice(0, line.indexOf(","));
      const label = line.slice(line.lastIndexOf(",") + 1).trim();
      const level = byLabel.get(label);
      if (level) levels.set(code, level);
    }
    return levels;
  }

  private features(file: string): Feature<Geometry | null>[] {
    return this.readCollection(file)?.features ?? [];
  }

  private surfacesByCode(
    file: string,
    codeOf: (properties: Record<string, string>) => string | undefined,
  ): Map<string, Surface> {
    const surfaces = new Map<string, Surface>();
    for (const f of this.features(file)) {
      const code = codeOf((f.properties ?? {}) as Record<string, string>);
      if (code && isSurface(f.geometry)) surfaces.set(code, f.geometry);
    }
    return surfaces;
  }
}

// "com14118" → "14118", "com200065563" → "200065563"
function stripPrefix(code: string | undefined): string | undefined {
  return code?.replace(/^com/, "");
}

const DENSITY_LABEL_LEVELS: Record<string, number> = {
  "Grands centres urbains": 1,
  "Centres urbains intermédiaires": 2,
  "Ceintures urbaines": 3,
  "Petites villes": 4,
  "Bourgs ruraux": 5,
  "Rural à habitat dispersé": 6,
  "Rural à habitat très dispersé": 7,
};
