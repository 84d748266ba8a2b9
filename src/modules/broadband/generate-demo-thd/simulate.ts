import { Random } from "../../addresses/generate-demo-addresses/random.ts";
import { type DemoBuildings, KIND_LIEU_DIT, KIND_SITE } from "./demo-buildings.ts";
import type { DemoCommune } from "./demo-communes.ts";
import { DEMO_QUARTERS, dayOf, LAST, Q_2018T1, QUARTER_END_DAYS } from "./demo-quarters.ts";
import { NETWORKS_BY_CODE } from "./networks.ts";

/**
 * The plan's end-2016 table (Observatoire du THD, fin 2016), share of premises in %, all
 * technologies: inéligible, 0–3, 3–8, 8–30, 30–100, 100+ Mbit/s.
 */
export const PLAN_2016: Record<string, readonly [number, number, number, number, number, number]> = {
  "14": [0.7, 9.0, 7.0, 22.9, 15.0, 45.4],
  "27": [1.2, 15.9, 11.7, 46.2, 23.1, 1.9],
  "50": [1.7, 19.8, 13.8, 40.2, 18.8, 5.7],
  "61": [1.1, 14.7, 9.8, 39.8, 26.8, 7.8],
  "76": [0.6, 12.0, 10.8, 35.5, 15.1, 26.0],
};

/** Communes with a cable (coax) network, the former Numericable towns. */
const CABLE_COMMUNES = new Set([
  "14118",
  "14327",
  "14366",
  "27229",
  "27681",
  "27375",
  "50129",
  "50502",
  "61001",
  "76540",
  "76351",
  "76681",
  "76322",
  "76498",
  "76451",
  "76575",
  "76217",
  "76259",
  "76231",
]);

// Class ranks, as ARCEP's codes: INEL 0, HD05 1, HD3 2, BHD8 3, THD30 4, THD100 5, THD1G 6.
const THD100 = 5;
const THD1G = 6;
/** Satellite offers become unsaturated for everyone by 2020T4, and ≥ 30 Mbit/s from 2021T1. */
const SAT_FULL = 16;
const SAT_THD = 17;
/** WiMax (HD radio) closes at 2020T1; 4G fixe opens from 2017T3; coax reaches 1 Gbit/s from 2019T1. */
const HDR_END = 13;
const COAX_1G = 9;

export const STATE_DEPLOYE = 0;
export const STATE_RAD = 1;
export const STATE_EN_COURS = 2;
export const STATE_CIBLE = 3;

/** Everything the files are written from. */
export interface Simulation {
  /** Per building: its PM (index into pms), FttH state at 2025T4, date (days) of commercial opening or planned cabling. */
  pm: Int32Array;
  etat: Uint8Array;
  dateFtth: Int32Array;
  /** Copper line length (m) and the copper class rank it gives at 2025T4 (0 when none or closed). */
  longueurCuivre: Float32Array;
  coax: Uint8Array;
  /** First quarter index with 4G fixe / THD radio / unsaturated satellite (127 = never). */
  q4gf: Int8Array;
  qthdr: Int8Array;
  qsat: Int8Array;
  hdr: Uint8Array;
  pms: { ref: string; commune: number; reseau: string; date: number; planned: boolean }[];
  /** Copper thresholds (m) per département: class ≥ 30, ≥ 8, ≥ 3, ≥ 0.5 Mbit/s. */
  seuilsCuivre: Map<string, [number, number, number, number]>;
  /** Per commune: copper closure lot (0 = none) and dates (days; 0 = none). */
  lot: Int32Array;
  fermetureCommerciale: Int32Array;
  fermetureTechnique: Int32Array;
  /** Per commune × quarter: the figures of the MCI statistics files. */
  stats: CommuneStats;
  /** 2016T4 calibration: FttH scale factor per département (T3 2017 → 2016T4). */
  facteur2016: Map<string, number>;
}

/** Stats layout per (commune, quarter): see STAT. */
export const STAT = {
  locaux: 0,
  /** Bins per variant: inel, 0–3, 3–8, 8–30, 30–100, 100+, then the 1 Gbit/s count. */
  filaire: 1,
  terrestre: 8,
  toutes: 15,
  cu: 22,
  coax: 23,
  ftthRac: 24,
  ftthRad: 25,
  g4f: 26,
  thdr: 27,
  hdr: 28,
  sat: 29,
  size: 30,
} as const;

export class CommuneStats {
  readonly data: Int32Array;
  constructor(readonly communes: number) {
    this.data = new Int32Array(communes * DEMO_QUARTERS.length * STAT.size);
  }
  offset(commune: number, quarter: number): number {
    return (commune * DEMO_QUARTERS.length + quarter) * STAT.size;
  }
  row(commune: number, quarter: number): Int32Array {
    const o = this.offset(commune, quarter);
    return this.data.subarray(o, o + STAT.size);
  }
}

const binOf = (rank: number) => (rank >= THD100 ? 5 : rank);

interface Context {
  communes: DemoCommune[];
  b: DemoBuildings;
  seed: number;
}

export function simulate(communes: DemoCommune[], buildings: DemoBuildings, seed: number): Simulation {
  const ctx: Context = { communes, b: buildings, seed };
  const order = deploymentOrder(ctx);
  const tech = technologies(ctx);
  const facteur2016 = new Map<string, number>();
  // Early targets (2016T4, 2017T1, 2017T2 derived; T3 2017, T4 2017, T1 2018 real), per commune.
  const early: Int32Array[] = communes.map(() => new Int32Array(Q_2018T1 + 1));
  for (const dep of departementsOf(communes)) {
    facteur2016.set(dep, calibrateFtth2016(ctx, dep, order.cumStart, tech.coax, early));
  }
  const sim = deploymentDates(ctx, order, early);
  const seuilsCuivre = new Map<string, [number, number, number, number]>();
  for (const dep of departementsOf(communes)) {
    seuilsCuivre.set(dep, calibrateCopper(ctx, dep, order.cumStart, early, tech));
  }
  const closure = copperClosure(ctx, sim);
  const stats = new CommuneStats(communes.length);
  evaluate(ctx, order.cumStart, early, sim, tech, seuilsCuivre, closure.fermetureTechnique, stats);
  return {
    pm: sim.pm,
    etat: sim.etat,
    dateFtth: sim.date,
    longueurCuivre: tech.longueur,
    coax: tech.coax,
    q4gf: tech.q4gf,
    qthdr: tech.qthdr,
    qsat: tech.qsat,
    hdr: tech.hdr,
    pms: sim.pms,
    seuilsCuivre,
    lot: closure.lot,
    fermetureCommerciale: closure.fermetureCommerciale,
    fermetureTechnique: closure.fermetureTechnique,
    stats,
    facteur2016,
  };
}

function departementsOf(communes: DemoCommune[]): string[] {
  return [...new Set(communes.map((c) => c.departement))].sort();
}

/**
 * Deployment order inside each commune: the strategic sites first (the plan's priority), then
 * whole streets in a seeded order. `cumStart[b]` = premises of the commune before building b.
 */
function deploymentOrder(ctx: Context): { cumStart: Float64Array; ordered: number[][] } {
  const { b, communes, seed } = ctx;
  const cumStart = new Float64Array(b.count);
  const ordered: number[][] = [];
  for (const c of communes) {
    const list = b.byCommune[c.index] as number[];
    const random = Random.forKey(seed, `ordre:${c.code}`);
    const sites = list.filter((x) => b.kind[x] === KIND_SITE);
    const streets = new Map<string, number[]>();
    for (const x of list) {
      if (b.kind[x] === KIND_SITE) continue;
      const voie = (b.banId[x] as string).split("_")[1] as string;
      const s = streets.get(voie) ?? [];
      s.push(x);
      streets.set(voie, s);
    }
    const keys = [...streets.keys()];
    for (let i = keys.length - 1; i > 0; i--) {
      const j = Math.floor(random.next() * (i + 1));
      [keys[i], keys[j]] = [keys[j] as string, keys[i] as string];
    }
    const out = [...sites, ...keys.flatMap((k) => streets.get(k) as number[])];
    let cum = 0;
    for (const x of out) {
      cumStart[x] = cum;
      cum += b.locaux[x] as number;
    }
    ordered.push(out);
  }
  return { cumStart, ordered };
}

interface Technologies {
  longueur: Float32Array;
  coax: Uint8Array;
  hdr: Uint8Array;
  q4gf: Int8Array;
  qthdr: Int8Array;
  qsat: Int8Array;
}

/**
 * Static technology attributes per building: copper line length from the nearest exchange (NRA,
 * placed at the centre of towns and bourgs), cable in the former cable towns, WiMax and THD radio in
 * rural parts of the départements that had them, 4G fixe rolling out from 2017, satellite capacity
 * unsaturated for a growing share until 2020.
 */
function technologies(ctx: Context): Technologies & { coaxCoverage: Map<string, number> } {
  const { b, communes, seed } = ctx;
  const centres = communes.map((c) => {
    if (c.centre) return c.centre;
    const list = b.byCommune[c.index] as number[];
    let lon = 0;
    let lat = 0;
    for (const x of list) {
      lon += b.lon[x] as number;
      lat += b.lat[x] as number;
    }
    return [lon / Math.max(1, list.length), lat / Math.max(1, list.length)] as [number, number];
  });
  const exchanges = communes.filter((c) => c.densite <= 4 || c.locaux >= 700).map((c) => c.index);
  const nra = communes.map((c) => {
    const [lon, lat] = centres[c.index] as [number, number];
    let best = c.index;
    let bestD = Number.POSITIVE_INFINITY;
    for (const e of exchanges) {
      const [elon, elat] = centres[e] as [number, number];
      const d = ((elon - lon) * 0.656) ** 2 + (elat - lat) ** 2;
      if (d < bestD) {
        bestD = d;
        best = e;
      }
    }
    return centres[best] as [number, number];
  });

  // Cable coverage per département: at most 60 % of the plan's 100+ class (FttH makes the rest).
  const coaxCoverage = new Map<string, number>();
  for (const dep of departementsOf(communes)) {
    const inDep = communes.filter((c) => c.departement === dep);
    const total = inDep.reduce((s, c) => s + c.locaux, 0);
    const cable = inDep.filter((c) => CABLE_COMMUNES.has(c.code)).reduce((s, c) => s + c.locaux, 0);
    const target = ((PLAN_2016[dep]?.[5] ?? 0) / 100) * total;
    coaxCoverage.set(dep, cable === 0 ? 0 : Math.min(0.55, (0.6 * target) / cable));
  }

  const n = b.count;
  const t: Technologies = {
    longueur: new Float32Array(n),
    coax: new Uint8Array(n),
    hdr: new Uint8Array(n),
    q4gf: new Int8Array(n).fill(127),
    qthdr: new Int8Array(n).fill(127),
    qsat: new Int8Array(n),
  };
  for (const c of communes) {
    const random = Random.forKey(seed, `techno:${c.code}`);
    const [nlon, nlat] = nra[c.index] as [number, number];
    const mPerDegLon = 111_320 * Math.cos((nlat * Math.PI) / 180);
    const rural = c.densite >= 5;
    const hdrZone = rural && c.departement !== "76";
    const thdrZone = c.densite >= 6 && ["14", "50", "61"].includes(c.departement);
    const coverage = CABLE_COMMUNES.has(c.code) ? (coaxCoverage.get(c.departement) ?? 0) : 0;
    const p4gf = c.densite >= 4 ? 0.45 : c.densite === 3 ? 0.2 : 0.05;
    for (const x of b.byCommune[c.index] as number[]) {
      const dx = ((b.lon[x] as number) - nlon) * mPerDegLon;
      const dy = ((b.lat[x] as number) - nlat) * 111_320;
      const crow = Math.sqrt(dx * dx + dy * dy);
      t.longueur[x] = Math.max(60, (1.3 * crow + 150) * (1 + 0.12 * random.gaussian()));
      if (coverage > 0 && random.next() < coverage) t.coax[x] = 1;
      if (hdrZone && random.next() < 0.12) t.hdr[x] = 1;
      if (random.next() < p4gf) t.q4gf[x] = 3 + Math.floor(random.next() * 14);
      if (thdrZone && random.next() < 0.05) t.qthdr[x] = 9 + Math.floor(random.next() * 12);
      // Unsaturated satellite share: 5 % at 2016T4, everyone by 2020T4.
      const u = random.next();
      t.qsat[x] = u < 0.05 ? 0 : Math.min(SAT_FULL, Math.ceil(((u - 0.05) / 0.95) * SAT_FULL));
    }
  }
  return { ...t, coaxCoverage };
}

/** FttH premises of building x in an early quarter (partial for the boundary building). */
const earlyFtth = (target: number, cumStart: number, locaux: number) =>
  Math.max(0, Math.min(locaux, target - cumStart));

/**
 * 2016T4 FttH: each commune's T3 2017 count scaled by one factor per département, chosen so that
 * FttH + cable (on premises without FttH) make the plan's 100+ share. Fills the early targets:
 * 2016T4, 2017T1, 2017T2 (linear towards T3 2017), then the real T3 2017, T4 2017, T1 2018.
 */
function calibrateFtth2016(
  ctx: Context,
  dep: string,
  cumStart: Float64Array,
  coax: Uint8Array,
  early: Int32Array[],
): number {
  const { communes, b } = ctx;
  const inDep = communes.filter((c) => c.departement === dep);
  const total = inDep.reduce((s, c) => s + c.locaux, 0);
  const target = ((PLAN_2016[dep]?.[5] ?? 0) / 100) * total;
  const fill = (k: number) => {
    for (const c of inDep) {
      const [t3, t4, t1] = c.raccordablesReels;
      const t16 = Math.min(c.locaux, Math.round(k * t3));
      const e = early[c.index] as Int32Array;
      e[0] = t16;
      e[1] = Math.round(t16 + (t3 - t16) / 3);
      e[2] = Math.round(t16 + (2 * (t3 - t16)) / 3);
      e[3] = t3;
      e[4] = t4;
      e[5] = t1;
    }
  };
  const tres = (k: number) => {
    fill(k);
    let sum = 0;
    for (const c of inDep) {
      const t16 = (early[c.index] as Int32Array)[0] as number;
      for (const x of b.byCommune[c.index] as number[]) {
        const n = b.locaux[x] as number;
        const f = earlyFtth(t16, cumStart[x] as number, n);
        sum += coax[x] ? n : f;
      }
    }
    return sum;
  };
  let lo = 0;
  let hi = 1.3;
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (tres(mid) < target) lo = mid;
    else hi = mid;
  }
  const k = Math.abs(tres(lo) - target) <= Math.abs(tres(hi) - target) ? lo : hi;
  fill(k);
  return k;
}

/**
 * Copper thresholds of a département: the line lengths under which a line gives ≥ 30, ≥ 8, ≥ 3 and
 * ≥ 0.5 Mbit/s, chosen (sequentially, longest lines last) so that the 2016T4 all-technologies
 * shares equal the plan's table. Longer lines, lower classes: the reference's attenuation law, with
 * the département's own plant quality.
 */
function calibrateCopper(
  ctx: Context,
  dep: string,
  cumStart: Float64Array,
  early: Int32Array[],
  tech: Technologies,
): [number, number, number, number] {
  const { communes, b } = ctx;
  const shares = PLAN_2016[dep] ?? [0, 0, 0, 0, 0, 0];
  const items: { d: number; m: number; o: number }[] = [];
  let total = 0;
  let ftth = 0;
  for (const c of communes) {
    if (c.departement !== dep) continue;
    const t16 = (early[c.index] as Int32Array)[0] as number;
    for (const x of b.byCommune[c.index] as number[]) {
      const n = b.locaux[x] as number;
      total += n;
      const f = earlyFtth(t16, cumStart[x] as number, n);
      ftth += f;
      if (n - f === 0) continue;
      let o = 0;
      if (tech.coax[x]) o = THD100;
      if (tech.hdr[x]) o = Math.max(o, 2);
      if (tech.qsat[x] === 0) o = Math.max(o, 3);
      items.push({ d: tech.longueur[x] as number, m: n - f, o });
    }
  }
  items.sort((a, z) => a.d - z.d);
  // Cumulative targets: premises at ≥ 30, ≥ 8, ≥ 3, ≥ 0.5 Mbit/s.
  const atLeast = (k: number) => (shares.slice(k).reduce((s, v) => s + v, 0) / 100) * total;
  const thresholds: number[] = [];
  let previous = 0;
  for (const rank of [4, 3, 2, 1]) {
    const target = atLeast(rank) - ftth;
    let reached = 0;
    for (const it of items) if (it.o >= rank) reached += it.m;
    // Lines are taken shortest first while that brings the class closer to its cumulative target.
    let threshold = 0;
    for (const it of items) {
      if (it.o >= rank) continue;
      if (Math.abs(reached + it.m - target) >= Math.abs(reached - target)) break;
      reached += it.m;
      threshold = it.d + 0.01;
    }
    threshold = Math.max(threshold, previous);
    thresholds.push(threshold);
    previous = threshold;
  }
  return thresholds as [number, number, number, number];
}

const copperRank = (d: number, s: readonly number[]) =>
  d < (s[0] as number) ? 4 : d < (s[1] as number) ? 3 : d < (s[2] as number) ? 2 : d < (s[3] as number) ? 1 : 0;

interface Dates {
  pm: Int32Array;
  etat: Uint8Array;
  date: Int32Array;
  pms: Simulation["pms"];
}

/** Average premises per PM (zone arrière) by INSEE density level. */
const PM_SIZE: Record<number, number> = { 1: 450, 2: 400, 3: 350, 4: 320, 5: 300, 6: 260, 7: 220 };

/**
 * PMs and dates. Buildings are cut into PMs along the deployment order (the sites of a commune make
 * their own PM). A PM that starts inside the real T1 2018 footprint opens in the early quarter that
 * reaches it (before 2017 for the 2016T4 footprint); the others open along the commune's window in
 * its network's build-out, rural communes later. The last PMs of each RIP stay planned (2026), a
 * few isolated houses are « raccordables à la demande ».
 */
function deploymentDates(
  ctx: Context,
  order: { cumStart: Float64Array; ordered: number[][] },
  early: Int32Array[],
): Dates {
  const { communes, b, seed } = ctx;
  const pm = new Int32Array(b.count).fill(-1);
  const etat = new Uint8Array(b.count);
  const date = new Int32Array(b.count);
  const pms: Dates["pms"] = [];
  const start2012 = dayOf("2012-01-01");
  const qStart = (q: number) => (q === 0 ? start2012 : (QUARTER_END_DAYS[q - 1] as number) + 1);

  // Commune windows within each network: denser and already started communes first.
  const windows = new Map<number, [number, number]>();
  const byNetwork = new Map<string, DemoCommune[]>();
  for (const c of communes) {
    const list = byNetwork.get(c.reseau) ?? [];
    list.push(c);
    byNetwork.set(c.reseau, list);
  }
  for (const [code, list] of byNetwork) {
    const net = NETWORKS_BY_CODE.get(code);
    if (!net) continue;
    const d0 = dayOf(net.debut);
    const d1 = dayOf(net.fin);
    const scored = list.map((c) => {
      const r = Random.forKey(seed, `fenetre:${c.code}`);
      const started = ((early[c.index] as Int32Array)[Q_2018T1] as number) > 0 ? -2.5 : 0;
      return { c, score: c.densite + started + r.next() * 3 };
    });
    scored.sort((a, z) => a.score - z.score || a.c.code.localeCompare(z.c.code));
    scored.forEach(({ c }, i) => {
      const remaining = c.locaux - ((early[c.index] as Int32Array)[Q_2018T1] as number);
      const length = Math.min(900, 120 + remaining / 8);
      const frac = list.length > 1 ? i / (list.length - 1) : 0;
      const s = d0 + frac * Math.max(0, d1 - d0 - length);
      windows.set(c.index, [Math.round(s), Math.round(Math.min(d1, s + length))]);
    });
  }

  for (const c of communes) {
    const out = order.ordered[c.index] as number[];
    if (out.length === 0) continue;
    const e = early[c.index] as Int32Array;
    const runningMax: number[] = [];
    let m = 0;
    for (let q = 0; q <= Q_2018T1; q++) {
      m = Math.max(m, e[q] as number);
      runningMax.push(m);
    }
    const footprint = runningMax[Q_2018T1] as number;
    const random = Random.forKey(seed, `pm:${c.code}`);
    const size = PM_SIZE[c.densite] ?? 300;
    // Cut into PMs: sites alone, then chunks of about `size` premises.
    const chunks: number[][] = [];
    let current: number[] = [];
    let premises = 0;
    for (const x of out) {
      const isSite = b.kind[x] === KIND_SITE;
      if (current.length > 0 && (premises >= size || (!isSite && b.kind[current[0] as number] === KIND_SITE))) {
        chunks.push(current);
        current = [];
        premises = 0;
      }
      current.push(x);
      premises += b.locaux[x] as number;
    }
    if (current.length > 0) chunks.push(current);
    const late = chunks.filter((ch) => (order.cumStart[ch[0] as number] as number) >= footprint);
    const [w0, w1] = windows.get(c.index) ?? [dayOf("2018-04-01"), dayOf("2022-12-31")];
    let lateIndex = 0;
    let lastDate = 0;
    for (const ch of chunks) {
      const first = ch[0] as number;
      const s = order.cumStart[first] as number;
      let day: number;
      if (s < footprint) {
        const q = runningMax.findIndex((v) => s < v);
        const lo = q === 0 ? 0 : (runningMax[q - 1] as number);
        const frac = (s - lo) / Math.max(1, (runningMax[q] as number) - lo);
        // Before 2017 the footprint opened over 2012–2016; the first PM not on day one.
        const f = q === 0 ? 0.05 + 0.95 * frac : frac;
        day = Math.round(qStart(q) + f * ((QUARTER_END_DAYS[q] as number) - qStart(q)));
      } else {
        const frac = (lateIndex + 0.5) / late.length;
        day = Math.round(w0 + frac * (w1 - w0) + (random.next() - 0.5) * 20);
        if (b.kind[first] === KIND_SITE) {
          // Public sites first: connected in 2018–2020 when their commune comes later.
          const priority = dayOf("2018-04-01") + Math.floor(random.next() * 1000);
          day = Math.min(day, priority);
        }
        lateIndex++;
      }
      day = Math.max(day, lastDate);
      lastDate = day;
      const index = pms.length;
      const net = NETWORKS_BY_CODE.get(c.reseau);
      pms.push({
        ref: `${net?.oi ?? "PM"}-${c.code}-${String(pms.length).padStart(7, "0").slice(-4)}${b.kind[first] === KIND_SITE ? "S" : ""}`,
        commune: c.index,
        reseau: c.reseau,
        date: day,
        planned: false,
      });
      for (const x of ch) {
        pm[x] = index;
        date[x] = day;
        etat[x] = STATE_DEPLOYE;
      }
    }
  }

  // The last PMs of each RIP stay planned at 2025T4: about 0.6 % of the département's premises.
  const endDay = QUARTER_END_DAYS[LAST] as number;
  const pmPremises = new Float64Array(pms.length);
  for (let x = 0; x < b.count; x++)
    if ((pm[x] as number) >= 0)
      pmPremises[pm[x] as number] = (pmPremises[pm[x] as number] as number) + (b.locaux[x] as number);
  for (const dep of departementsOf(communes)) {
    const total = communes.filter((c) => c.departement === dep).reduce((s, c) => s + c.locaux, 0);
    const candidates = pms
      .map((p, i) => ({ p, i }))
      .filter(
        ({ p }) =>
          p.reseau === `RIP${dep}` && (communes[p.commune] as DemoCommune).departement === dep && !p.ref.endsWith("S"),
      )
      .sort((a, z) => z.p.date - a.p.date || z.i - a.i);
    let planned = 0;
    for (const { p, i } of candidates) {
      if (planned >= 0.006 * total) break;
      if (p.date <= (QUARTER_END_DAYS[Q_2018T1] as number)) break;
      p.planned = true;
      p.date = Math.max(p.date + 150, dayOf("2026-01-15"));
      planned += pmPremises[i] as number;
    }
  }
  const rad = Random.forKey(seed, "raccordable-demande");
  for (let x = 0; x < b.count; x++) {
    const p = pms[pm[x] as number];
    if (!p) continue;
    date[x] = p.date;
    if (p.planned) etat[x] = p.date <= dayOf("2026-06-30") ? STATE_EN_COURS : STATE_CIBLE;
    else if (
      b.kind[x] === KIND_LIEU_DIT &&
      (communes[p.commune] as DemoCommune).densite >= 6 &&
      p.date >= dayOf("2020-01-01") &&
      p.date <= endDay &&
      rad.next() < 0.04
    )
      etat[x] = STATE_RAD;
  }
  return { pm, etat, date, pms };
}

/**
 * Orange's copper closure, starting with the communes fully connectable the earliest: lot 1
 * (technical closure 31/01/2025, the only one before 2025T4 ends), lot 2 (2026), lot 3 (2027) for
 * every other commune fully connectable by 2025T4; the rest « pas encore prévu ».
 */
function copperClosure(ctx: Context, sim: Dates) {
  const { communes, b } = ctx;
  const complete = new Int32Array(communes.length);
  const whole = new Uint8Array(communes.length).fill(1);
  for (let x = 0; x < b.count; x++) {
    const c = b.commune[x] as number;
    if (sim.etat[x] !== STATE_DEPLOYE) whole[c] = 0;
    complete[c] = Math.max(complete[c] as number, sim.date[x] as number);
  }
  const ranked = communes
    .filter((c) => whole[c.index] && (b.byCommune[c.index] as number[]).length > 0)
    .sort((a, z) => (complete[a.index] as number) - (complete[z.index] as number) || a.code.localeCompare(z.code));
  const lot = new Int32Array(communes.length);
  const fcc = new Int32Array(communes.length);
  const fct = new Int32Array(communes.length);
  const lots = [
    { n: 12, fcc: "2024-01-31", fct: "2025-01-31" },
    { n: 90, fcc: "2025-01-31", fct: "2026-01-31" },
    { n: Number.POSITIVE_INFINITY, fcc: "2026-01-31", fct: "2027-01-31" },
  ];
  let i = 0;
  lots.forEach((l, k) => {
    for (let taken = 0; taken < l.n && i < ranked.length; taken++, i++) {
      const c = ranked[i] as DemoCommune;
      lot[c.index] = k + 1;
      fcc[c.index] = dayOf(l.fcc);
      fct[c.index] = dayOf(l.fct);
    }
  });
  return { lot, fermetureCommerciale: fcc, fermetureTechnique: fct };
}

/**
 * Every quarter's commune figures from the buildings: each premise in the bin of its best class per
 * variant, and under every technology it has. Early quarters use the commune targets (the boundary
 * building counts partly), the others the buildings' own dates, so 2025T4 equals the building files.
 */
function evaluate(
  ctx: Context,
  cumStart: Float64Array,
  early: Int32Array[],
  sim: Dates,
  tech: Technologies,
  seuils: Map<string, [number, number, number, number]>,
  fct: Int32Array,
  stats: CommuneStats,
): void {
  const { communes, b } = ctx;
  for (const c of communes) {
    const s = seuils.get(c.departement) as [number, number, number, number];
    const e = early[c.index] as Int32Array;
    for (let q = 0; q < DEMO_QUARTERS.length; q++) {
      const row = stats.row(c.index, q);
      const end = QUARTER_END_DAYS[q] as number;
      const copperOpen = !(fct[c.index] && (fct[c.index] as number) <= end);
      for (const x of b.byCommune[c.index] as number[]) {
        const n = b.locaux[x] as number;
        let f: number;
        let rad = 0;
        if (q <= Q_2018T1) f = earlyFtth(e[q] as number, cumStart[x] as number, n);
        else {
          const opened = (sim.date[x] as number) <= end;
          const st = sim.etat[x];
          f = opened && st === STATE_DEPLOYE ? n : 0;
          rad = opened && st === STATE_RAD ? n : 0;
        }
        // « Raccordable à la demande »: no FttH offer until a connection is ordered (no FO line).
        const fo = f;
        const cu = copperOpen ? copperRank(tech.longueur[x] as number, s) : 0;
        const coax = tech.coax[x] ? (q >= COAX_1G ? THD1G : THD100) : 0;
        const wired = Math.max(cu, coax);
        let terr = wired;
        if (tech.hdr[x] && q < HDR_END) terr = Math.max(terr, 2);
        if ((tech.q4gf[x] as number) <= q) terr = Math.max(terr, 3);
        if ((tech.qthdr[x] as number) <= q) terr = Math.max(terr, 4);
        const sat = (tech.qsat[x] as number) <= q;
        const all = sat ? Math.max(terr, q >= SAT_THD ? 4 : 3) : terr;
        const foRank = q >= Q_2018T1 ? THD1G : THD100;
        const rest = n - fo;
        add(row, STAT.locaux, n);
        addBins(row, STAT.filaire, wired, rest, foRank, fo);
        addBins(row, STAT.terrestre, terr, rest, foRank, fo);
        addBins(row, STAT.toutes, all, rest, foRank, fo);
        if (cu >= 1) add(row, STAT.cu, n);
        if (coax) add(row, STAT.coax, n);
        add(row, STAT.ftthRac, f);
        add(row, STAT.ftthRad, rad);
        if ((tech.q4gf[x] as number) <= q) add(row, STAT.g4f, n);
        if ((tech.qthdr[x] as number) <= q) add(row, STAT.thdr, n);
        if (tech.hdr[x] && q < HDR_END) add(row, STAT.hdr, n);
        if (sat) add(row, STAT.sat, n);
      }
    }
  }
}

function add(row: Int32Array, at: number, value: number): void {
  row[at] = (row[at] as number) + value;
}

function addBins(row: Int32Array, at: number, rank: number, rest: number, foRank: number, fo: number): void {
  if (rest > 0) {
    add(row, at + binOf(rank), rest);
    if (rank === THD1G) add(row, at + 6, rest);
  }
  if (fo > 0) {
    const best = Math.max(rank, foRank);
    add(row, at + binOf(best), fo);
    if (best === THD1G) add(row, at + 6, fo);
  }
}

export { copperRank, THD1G, THD100 };
