import { readFileSync } from "node:fs";
import { Random } from "../../addresses/generate-demo-addresses/random.ts";
import { loadStrategicSites } from "../../addresses/generate-demo-addresses/strategic-sites.ts";
import type { DemoCommune } from "./demo-communes.ts";

/**
 * The demo addresses, one building each (MCI: one building has exactly one address), with the
 * columns the building files need. Held in flat arrays: the région has about 1.2 million.
 */
export interface DemoBuildings {
  count: number;
  commune: Int32Array;
  /** Premises (logements + locaux pro) of the building. */
  locaux: Int32Array;
  lon: Float64Array;
  lat: Float64Array;
  /** BAN id of the address (base_imb `addr_code`, joins `adresse.id`). */
  banId: string[];
  numero: string[];
  rep: string[];
  nomVoie: string[];
  codePostal: string[];
  /** 1 for a lieu-dit (isolated houses), 2 for a real strategic site, 0 otherwise. */
  kind: Uint8Array;
  /** Buildings of each commune, in file order. */
  byCommune: number[][];
}

export const KIND_LIEU_DIT = 1;
export const KIND_SITE = 2;

/** Reads the demo BAN files (adresses-<dep>.csv) of the given communes. */
export function readDemoAddresses(files: readonly string[], communes: readonly DemoCommune[]): DemoBuildings {
  const indexByCode = new Map(communes.map((c) => [c.code, c.index]));
  const commune: number[] = [];
  const lon: number[] = [];
  const lat: number[] = [];
  const banId: string[] = [];
  const numero: string[] = [];
  const rep: string[] = [];
  const nomVoie: string[] = [];
  const codePostal: string[] = [];
  const kind: number[] = [];
  const byCommune: number[][] = communes.map(() => []);
  for (const file of [...files].sort()) {
    const text = readFileSync(file, "utf8");
    let start = text.indexOf("\n") + 1;
    while (start < text.length) {
      let end = text.indexOf("\n", start);
      if (end === -1) end = text.length;
      const line = text.slice(start, end);
      start = end + 1;
      if (line.length === 0) continue;
      const f = line.split(";");
      // A lieu-dit's own row (BAN numero 99999) names a place, not a building.
      if (f[2] === "99999") continue;
      const index = indexByCode.get(f[6] ?? "");
      if (index === undefined) continue;
      const id = f[0] as string;
      const voie = id.split("_")[1] ?? "";
      const b = banId.length;
      commune.push(index);
      banId.push(id);
      numero.push(f[2] ?? "");
      rep.push(f[3] ?? "");
      nomVoie.push(f[4] ?? "");
      codePostal.push(f[5] ?? "");
      lon.push(Number(f[12]));
      lat.push(Number(f[13]));
      kind.push(voie.startsWith("s") ? KIND_SITE : voie.startsWith("b") ? KIND_LIEU_DIT : 0);
      (byCommune[index] as number[]).push(b);
    }
  }
  const count = banId.length;
  return {
    count,
    commune: Int32Array.from(commune),
    locaux: new Int32Array(count),
    lon: Float64Array.from(lon),
    lat: Float64Array.from(lat),
    banId,
    numero,
    rep,
    nomVoie,
    codePostal,
    kind: Uint8Array.from(kind),
    byCommune,
  };
}

/** Mean extra premises of a block of flats, by INSEE density level. */
const BLOCK_MEAN: Record<number, number> = { 1: 24, 2: 14, 3: 8, 4: 8, 5: 4, 6: 3, 7: 2.5 };

/**
 * Spreads each commune's premises over its buildings: one each, and the rest in blocks of flats
 * (heavy-tailed sizes, more and bigger in dense communes), so that the buildings sum exactly to the
 * commune's total. A commune with more addresses than premises gets one premise per address (and
 * its total is raised accordingly).
 */
export function allocatePremises(buildings: DemoBuildings, communes: DemoCommune[], seed: number): void {
  for (const c of communes) {
    const list = buildings.byCommune[c.index] as number[];
    if (list.length === 0) continue;
    for (const b of list) buildings.locaux[b] = 1;
    if (list.length > c.locaux) c.locaux = list.length;
    let extra = c.locaux - list.length;
    if (extra === 0) continue;
    const random = Random.forKey(seed, `locaux:${c.code}`);
    const mean = BLOCK_MEAN[c.densite] ?? 3;
    const blocks = Math.max(1, Math.min(list.length, Math.round(extra / mean)));
    // Sites stay single premises; blocks are drawn among the other addresses.
    const candidates = list.filter((b) => buildings.kind[b] !== KIND_SITE);
    const pool = candidates.length > 0 ? candidates : list;
    const chosen: number[] = [];
    const taken = new Set<number>();
    while (chosen.length < Math.min(blocks, pool.length)) {
      const b = pool[Math.floor(random.next() * pool.length)] as number;
      if (taken.has(b)) continue;
      taken.add(b);
      chosen.push(b);
    }
    // Pareto-like weights: a few large blocks, many small ones.
    const weights = chosen.map(() => 1 / (0.05 + random.next()) ** 0.9);
    const total = weights.reduce((s, w) => s + w, 0);
    const shares = weights.map((w) => (w / total) * extra);
    const floors = shares.map(Math.floor);
    let left = extra - floors.reduce((s, v) => s + v, 0);
    const order = shares.map((s, i) => ({ i, r: s - Math.floor(s) })).sort((a, b) => b.r - a.r || a.i - b.i);
    for (const { i } of order) {
      if (left === 0) break;
      floors[i] = (floors[i] as number) + 1;
      left--;
    }
    chosen.forEach((b, i) => {
      buildings.locaux[b] = (buildings.locaux[b] as number) + (floors[i] as number);
    });
    extra = 0;
  }
}

export interface DemoSite {
  id: string;
  type: "college" | "sante" | "enseignement_superieur";
  nom: string;
  /** Building (address) the site occupies, or -1 when its address was not written. */
  building: number;
  lon: number;
  lat: number;
}

/**
 * The real strategic sites of the région, tied to their demo address: the address generator wrote
 * each at its published position on a street coded `s…`, so the position finds it.
 */
export function locateSites(buildings: DemoBuildings, departements: readonly string[]): DemoSite[] {
  const byPosition = new Map<string, number>();
  for (let b = 0; b < buildings.count; b++) {
    if (buildings.kind[b] !== KIND_SITE) continue;
    byPosition.set(`${(buildings.lon[b] as number).toFixed(6)},${(buildings.lat[b] as number).toFixed(6)}`, b);
  }
  const types = { college: "college", hopital: "sante", "enseignement-superieur": "enseignement_superieur" } as const;
  const seen = new Map<string, number>();
  const sites: DemoSite[] = [];
  for (const s of loadStrategicSites(departements)) {
    const building = byPosition.get(`${s.lon.toFixed(6)},${s.lat.toFixed(6)}`) ?? -1;
    const type = types[s.kind];
    // No public identifier is carried by the address reader: a stable one from type, commune and name.
    const base = `${type}:${buildings.banId[building]?.slice(0, 5) ?? s.codeCommune ?? "00000"}:${slug(s.name)}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    sites.push({ id: n > 1 ? `${base}-${n}` : base, type, nom: s.name, building, lon: s.lon, lat: s.lat });
  }
  return sites;
}

function slug(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 48);
}
