import { readFileSync } from "node:fs";
import path from "node:path";
import type { RegionCog } from "../../../shared/cog/cog-source.ts";
import { ADDRESSES_REFERENCE_DIR } from "../../addresses/generate-demo-addresses/strategic-sites.ts";
import { ReferenceGeoSource } from "../../territory/import-territories/reference-geo-source.ts";
import { networkOf } from "./networks.ts";

export const BROADBAND_REFERENCE_DIR = path.resolve(import.meta.dirname, "../reference-data");

/** One commune of the région as the generator sees it: real aggregates, invented details. */
export interface DemoCommune {
  index: number;
  code: string;
  nom: string;
  departement: string;
  /** INSEE density level, 1 (grand centre urbain) … 7 (rural très dispersé). */
  densite: number;
  /** ARCEP logements + établissements, raised to the highest real connectable count when ARCEP counts more. */
  locaux: number;
  /** ARCEP logements + établissements as published (before raising). */
  locauxArcep: number;
  /** Real ARCEP FttH connectable premises: T3 2017, T4 2017, T1 2018 (old codes summed onto the commune). */
  raccordablesReels: [number, number, number];
  /** Network serving the commune (RIP of the département, or an operator's private zone). */
  reseau: string;
  centre: [number, number] | undefined;
}

const count = (s: string | undefined) => {
  const t = (s ?? "").replace(/[\s\u00a0]/g, "");
  return t === "-" || t === "" ? 0 : Number(t) || 0;
};

/**
 * The région's current communes with ARCEP's real premises (same rule as the demo addresses:
 * logements + établissements, old codes folded, population / 2 when ARCEP has nothing) and real
 * FttH connectable counts of T3 2017, T4 2017 and T1 2018.
 */
export function loadDemoCommunes(cog: RegionCog, departements: readonly string[]): DemoCommune[] {
  const geo = new ReferenceGeoSource();
  const density = new Map<string, number>();
  for (const [code, level] of geo.densityLevels()) {
    const current = cog.currentCommuneCode(code);
    if (current) density.set(current, Math.min(density.get(current) ?? 7, level));
  }

  const premises = new Map<string, number>();
  // The private-zone commitment (L. 33-13) of the old commune holding the most premises.
  const zoning = new Map<string, { locaux: number; l3313: string }>();
  const arcep = readFileSync(path.join(ADDRESSES_REFERENCE_DIR, "arcep-communes.csv"), "utf8");
  for (const line of arcep.split(/\r?\n/)) {
    if (!/^\d[\dAB]\d{3},/.test(line)) continue;
    const f = line.split(",");
    const code = cog.currentCommuneCode(f[0] ?? "");
    if (!code) continue;
    const locaux = count(f[5]) + count(f[6]);
    premises.set(code, (premises.get(code) ?? 0) + locaux);
    const previous = zoning.get(code);
    if (!previous || locaux > previous.locaux) zoning.set(code, { locaux, l3313: (f[8] ?? "").trim() });
  }

  const real = new Map<string, [number, number, number]>();
  const ftth = readFileSync(path.join(BROADBAND_REFERENCE_DIR, "ftthCommunes.csv"), "utf8");
  for (const line of ftth.split(/\r?\n/)) {
    if (!/^\d[\dAB]\d{3},Locaux Raccordables,/.test(line)) continue;
    const f = line.split(",");
    const code = cog.currentCommuneCode(f[0] ?? "");
    if (!code) continue;
    const sums = real.get(code) ?? [0, 0, 0];
    for (let i = 0; i < 3; i++) sums[i] = (sums[i] as number) + count(f[2 + i]);
    real.set(code, sums);
  }

  const communes: DemoCommune[] = [];
  for (const c of [...cog.communes].sort((a, b) => a.code.localeCompare(b.code))) {
    if (!c.departement || !departements.includes(c.departement)) continue;
    const locauxArcep = premises.get(c.code) ?? Math.max(1, Math.round((c.population ?? 50) / 2));
    const reels = real.get(c.code) ?? [0, 0, 0];
    communes.push({
      index: communes.length,
      code: c.code,
      nom: c.nom,
      departement: c.departement,
      densite: density.get(c.code) ?? 6,
      locaux: Math.max(locauxArcep, ...reels),
      locauxArcep,
      raccordablesReels: reels,
      reseau: networkOf(c.departement, zoning.get(c.code)?.l3313 ?? ""),
      centre: geo.communeCentre(c.code),
    });
  }
  return communes;
}
