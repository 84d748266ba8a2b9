import type { Insertable, Kysely } from "kysely";
import { loadRegionCog, type RegionCog } from "../../../shared/cog/cog-source.ts";
import { ignoreProgress, type ProgressListener } from "../../../shared/progress/progress.ts";
import { normalizeForSearch } from "../../../shared/text/normalize.ts";
import type { ContourSource, TerritoireContourTable, TerritoireTable, TerritoryTables } from "../territory.tables.ts";
import { areaKm2, boundingBoxCentre, round5, type Surface, unionSurfaces } from "./geometry.ts";
import { writeRegionTerritories } from "./import-territories.repository.ts";
import { ReferenceGeoSource } from "./reference-geo-source.ts";

export interface ImportTerritoriesReport {
  region: { code: string; nom: string };
  departements: number;
  epci: number;
  communes: number;
  /** Communes drawn with a real polygon; the others are shown by their centre. */
  communesAvecPolygone: number;
  /** Outdated codes found in the contour files and merged into their current commune. */
  contoursFusionnes: { ancien: string; actuel: string }[];
  /** Contour codes that match no current commune of the région (ignored). */
  contoursIgnores: string[];
  sourceCog: string;
}

interface BuiltTerritory {
  row: Insertable<TerritoireTable>;
  surface: Surface | null;
}

export interface ImportTerritoriesOptions {
  onProgress?: ProgressListener;
  geo?: ReferenceGeoSource;
  now?: () => Date;
}

/**
 * Imports the région's territories (COG) with their contours, centres, areas and density levels.
 * Idempotent: a second import replaces the région's rows in one transaction, so readers see either
 * the old set or the new one.
 */
export async function importTerritories(
  db: Kysely<TerritoryTables>,
  regionCode: string,
  {
    onProgress = ignoreProgress,
    geo = new ReferenceGeoSource(),
    now = () => new Date(),
  }: ImportTerritoriesOptions = {},
): Promise<ImportTerritoriesReport> {
  const readStep = "Lecture du découpage administratif (COG)";
  onProgress({ step: readStep, done: 0, total: null });
  const cog = loadRegionCog(regionCode);
  const density = geo.densityLevels();
  onProgress({ step: readStep, done: cog.communes.length, total: cog.communes.length });

  const { communes, merged, ignored } = buildCommunes(cog, geo, density, onProgress);
  const communesByCode = new Map(communes.map((c) => [c.row.code, c]));
  // Unions of commune polygons are the slow part of the import: report them.
  const step = "Contours des EPCI, départements et région";
  const total = cog.epcis.length + cog.departements.length + 1;
  const epcis = buildEpcis(cog, geo, communesByCode, { onProgress, step, total });
  const departements = buildDepartements(cog, geo, communes, { onProgress, step, total, done: epcis.length });
  const region = buildRegion(cog, geo, departements, communes);
  onProgress({ step, done: total, total });

  const all = [region, ...departements, ...epcis, ...communes];
  const rows = all.map((t) => t.row);
  const contours: Insertable<TerritoireContourTable>[] = all
    .filter((t): t is BuiltTerritory & { surface: Surface } => t.surface !== null)
    .map((t) => ({
      niveau: t.row.niveau,
      code: t.row.code,
      geometrie: JSON.stringify(t.surface),
    }));
  const communesAvecPolygone = communes.filter((c) => c.surface !== null).length;

  await writeRegionTerritories(db, {
    region: regionCode,
    rows,
    contours,
    importRecord: {
      region: regionCode,
      importe_le: now().toISOString(),
      source_cog: cog.sourceVersion,
      communes: communes.length,
      communes_avec_polygone: communesAvecPolygone,
    },
    onProgress,
  });

  return {
    region: { code: cog.region.code, nom: cog.region.nom },
    departements: departements.length,
    epci: epcis.length,
    communes: communes.length,
    communesAvecPolygone,
    contoursFusionnes: merged,
    contoursIgnores: ignored,
    sourceCog: cog.sourceVersion,
  };
}

function buildCommunes(
  cog: RegionCog,
  geo: ReferenceGeoSource,
  density: Map<string, number>,
  onProgress: ProgressListener,
) {
  const step = "Contours des communes";
  // Contour files may predate the COG: regroup their pieces under today's commune codes, then
  // dissolve (e.g. a delegated commune drawn apart from its chef-lieu).
  const pieces = new Map<string, Surface[]>();
  const merged: { ancien: string; actuel: string }[] = [];
  const ignored: string[] = [];
  for (const dep of cog.departements) {
    for (const [code, surface] of geo.communeSurfaces(dep.code)) {
      const current = cog.currentCommuneCode(code);
      if (!current) {
        ignored.push(code);
        continue;
      }
      if (current !== code) merged.push({ ancien: code, actuel: current });
      pieces.set(current, [...(pieces.get(current) ?? []), surface]);
    }
  }

  const epciOf = new Map<string, string>();
  for (const e of cog.epcis) for (const m of e.membres) epciOf.set(m.code, e.code);

  const total = cog.communes.length;
  const communes: BuiltTerritory[] = cog.communes.map((c, i) => {
    const parts = pieces.get(c.code);
    const surface = parts ? unionSurfaces(parts) : null;
    const centre = geo.communeCentre(c.code) ?? (surface ? boundingBoxCentre(surface) : undefined);
    if (i % 200 === 0 || i === total - 1) onProgress({ step, done: i + 1, total });
    const postcodes = c.codesPostaux ?? [];
    return {
      surface,
      row: {
        niveau: "communes",
        code: c.code,
        nom: c.nom,
        nom_recherche: searchText(c.nom, c.code, postcodes),
        population: c.population ?? 0,
        region: cog.region.code,
        departement: c.departement ?? null,
        epci: epciOf.get(c.code) ?? null,
        codes_postaux: postcodes.join(","),
        // A commune with neither polygon nor known centre is placed later at its département's centre.
        centre_lon: centre?.[0] ?? Number.NaN,
        centre_lat: centre?.[1] ?? Number.NaN,
        surface_km2: surface ? roundArea(areaKm2(surface)) : null,
        densite_insee_niveau: density.get(c.code) ?? null,
        source_contour: (surface ? "polygone" : "centre") satisfies ContourSource,
      },
    };
  });
  return { communes, merged, ignored };
}

function buildEpcis(
  cog: RegionCog,
  geo: ReferenceGeoSource,
  communes: Map<string, BuiltTerritory>,
  progress: { onProgress: ProgressListener; step: string; total: number },
): BuiltTerritory[] {
  const { onProgress, step, total } = progress;
  let done = 0;
  const published = new Map<string, Surface>();
  for (const dep of cog.departements) for (const [siren, s] of geo.epciSurfaces(dep.code)) published.set(siren, s);
  const labelPoints = geo.epciLabelPoints();

  return cog.epcis.map((e) => {
    const members = e.membres.map((m) => communes.get(m.code)).filter((c): c is BuiltTerritory => c !== undefined);
    const { surface, source } = outlineOf(geo, members, e.membres.length, published.get(e.code));
    onProgress({ step, done: ++done, total });
    // An EPCI may straddle two départements or régions: it is filed under the one where most of
    // its in-région population lives.
    const main = mainParent(members, "departement");
    const centre = labelPoints.get(e.code) ?? (surface ? boundingBoxCentre(surface) : averageCentre(members));
    return {
      surface,
      row: {
        niveau: "epci",
        code: e.code,
        nom: e.nom,
        nom_recherche: searchText(e.nom, e.code, []),
        population: e.populationMunicipale ?? sum(members.map((m) => m.row.population ?? 0)),
        region: cog.region.code,
        departement: main,
        epci: null,
        codes_postaux: "",
        centre_lon: round5(centre[0]),
        centre_lat: round5(centre[1]),
        surface_km2: surface ? roundArea(areaKm2(surface)) : sumAreas(members),
        densite_insee_niveau: null,
        source_contour: source,
      },
    };
  });
}

function buildDepartements(
  cog: RegionCog,
  geo: ReferenceGeoSource,
  communes: BuiltTerritory[],
  progress: { onProgress: ProgressListener; step: string; total: number; done: number },
): BuiltTerritory[] {
  const { onProgress, step, total } = progress;
  let done = progress.done;
  const published = geo.departementSurfaces();
  return cog.departements.map((d) => {
    const members = communes.filter((c) => c.row.departement === d.code);
    const { surface, source } = outlineOf(geo, members, members.length, published.get(d.code));
    onProgress({ step, done: ++done, total });
    const centre = surface ? boundingBoxCentre(surface) : averageCentre(members);
    for (const m of members) {
      if (Number.isNaN(m.row.centre_lon)) {
        m.row.centre_lon = centre[0];
        m.row.centre_lat = centre[1];
      }
    }
    return {
      surface,
      row: {
        niveau: "departements",
        code: d.code,
        nom: d.nom,
        nom_recherche: searchText(d.nom, d.code, []),
        population: sum(members.map((m) => m.row.population ?? 0)),
        region: cog.region.code,
        departement: null,
        epci: null,
        codes_postaux: "",
        centre_lon: centre[0],
        centre_lat: centre[1],
        // The sum of commune areas is exact; a generalised published outline is not.
        surface_km2: sumAreas(members) ?? (surface ? roundArea(areaKm2(surface)) : null),
        densite_insee_niveau: null,
        source_contour: source,
      },
    };
  });
}

function buildRegion(
  cog: RegionCog,
  geo: ReferenceGeoSource,
  departements: BuiltTerritory[],
  communes: BuiltTerritory[],
): BuiltTerritory {
  const { surface, source } = outlineOf(geo, departements, departements.length, geo.regionSurface(cog.region.code));
  const centre = surface ? boundingBoxCentre(surface) : averageCentre(departements);
  return {
    surface,
    row: {
      niveau: "regions",
      code: cog.region.code,
      nom: cog.region.nom,
      nom_recherche: searchText(cog.region.nom, cog.region.code, []),
      population: sum(communes.map((c) => c.row.population ?? 0)),
      region: null,
      departement: null,
      epci: null,
      codes_postaux: "",
      centre_lon: centre[0],
      centre_lat: centre[1],
      surface_km2: sumAreas(communes) ?? (surface ? roundArea(areaKm2(surface)) : null),
      densite_insee_niveau: null,
      source_contour: source,
    },
  };
}

// Unions take seconds and depend only on the shipped, read-only reference files: a process that
// imports several times (tests, re-imports) computes each one once.
const unionCache = new Map<string, Surface>();

/**
 * A territory's outline: the union of its members' polygons when every member is drawn, so that
 * its border follows the communes shown inside it; otherwise the published outline (often
 * generalised); otherwise none, and the territory is shown by its centre.
 */
function outlineOf(
  geo: ReferenceGeoSource,
  members: BuiltTerritory[],
  expectedMembers: number,
  published: Surface | undefined,
): { surface: Surface | null; source: ContourSource } {
  const surfaces = members.map((m) => m.surface);
  if (members.length > 0 && members.length === expectedMembers && surfaces.every((s) => s !== null)) {
    const key = `${geo.dir}|${members.map((m) => `${m.row.niveau}/${m.row.code}`).join(",")}`;
    let union = unionCache.get(key);
    if (!union) {
      union = unionSurfaces(surfaces as Surface[]);
      unionCache.set(key, union);
    }
    return { surface: union, source: "enfants" };
  }
  return published ? { surface: published, source: "polygone" } : { surface: null, source: "centre" };
}

function searchText(nom: string, code: string, postcodes: string[]): string {
  return [normalizeForSearch(nom), code, ...postcodes].join(" ");
}

function mainParent(members: BuiltTerritory[], key: "departement"): string | null {
  const weights = new Map<string, number>();
  for (const m of members) {
    const parent = m.row[key];
    if (parent) weights.set(parent, (weights.get(parent) ?? 0) + (m.row.population ?? 0) + 1);
  }
  return [...weights.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

function averageCentre(members: BuiltTerritory[]): [number, number] {
  const located = members.filter((m) => !Number.isNaN(m.row.centre_lon));
  if (located.length === 0) return [2.35, 46.6]; // centre of metropolitan France, last resort
  return [
    round5(sum(located.map((m) => m.row.centre_lon)) / located.length),
    round5(sum(located.map((m) => m.row.centre_lat)) / located.length),
  ];
}

function sumAreas(members: BuiltTerritory[]): number | null {
  if (members.length === 0 || members.some((m) => m.row.surface_km2 == null)) return null;
  return roundArea(sum(members.map((m) => m.row.surface_km2 ?? 0)));
}

function roundArea(km2: number): number {
  return Math.round(km2 * 100) / 100;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
