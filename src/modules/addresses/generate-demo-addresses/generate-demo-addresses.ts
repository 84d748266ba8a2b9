import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import path from "node:path";
import type { Position } from "geojson";
import { loadRegionCog } from "../../../shared/cog/cog-source.ts";
import { ReferenceGeoSource } from "../../territory/import-territories/reference-geo-source.ts";
import { BAN_HEADER, banId, LIEU_DIT_NUMERO } from "../import-ban/ban-format.ts";
import { toLambert93 } from "../search-addresses/lambert93.ts";
import { type CommuneShape, inShape, shapeOf } from "./geometry.ts";
import { Random } from "./random.ts";
import { ADDRESSES_REFERENCE_DIR, loadStrategicSites, type StrategicSite } from "./strategic-sites.ts";
import { lieuDitName, streetName } from "./street-names.ts";

export interface GenerateDemoOptions {
  outDir: string;
  /** Départements of the région (default: all of them). */
  departements?: string[];
  /** Only these communes (tests: one EPCI). */
  communes?: string[];
  graine?: number;
  region?: string;
}

export interface GenerateDemoReport {
  files: { departement: string; file: string; adresses: number }[];
  /** Lines written, lieux-dits included. */
  adresses: number;
  /** Lieux-dits without numbers (toponyms, `numero` 99999), among the lines. */
  lieuxDits: number;
  communes: number;
  sites: number;
  dureeMs: number;
}

/** Average premises (logements + établissements) per address point, by INSEE density level. */
const PREMISES_PER_ADDRESS: Record<number, number> = { 1: 5, 2: 3, 3: 1.5, 4: 1.8, 5: 1.15, 6: 1.05, 7: 1.02 };
const M_PER_DEG_LAT = 111_320;

interface Commune {
  code: string;
  nom: string;
  departement: string;
  codePostal: string;
  codesPostaux: string[];
  shape: CommuneShape;
  centre: [number, number];
  density: number;
  premises: number;
  neighbours: string[];
}

/**
 * Writes one BAN CSV per département (`adresses-<dep>.csv`) of invented but realistic addresses:
 * per commune as many address points as its real premises need (ARCEP), positioned in its real
 * polygon, on invented streets, plus the real strategic sites. Same seed, same bytes.
 */
export function generateDemoAddresses(options: GenerateDemoOptions): GenerateDemoReport {
  const started = performance.now();
  const seed = options.graine ?? 1;
  const cog = loadRegionCog(options.region ?? "28");
  const departements = options.departements ?? cog.departements.map((d) => d.code);
  const wanted = options.communes ? new Set(options.communes) : undefined;
  const communes = loadCommunes(cog, departements);
  const sites = loadStrategicSites(departements);
  const sitesByCommune = placeSites(sites, cog.currentCommuneCode, communes);
  mkdirSync(options.outDir, { recursive: true });

  const report: GenerateDemoReport = { files: [], adresses: 0, lieuxDits: 0, communes: 0, sites: 0, dureeMs: 0 };
  for (const departement of [...departements].sort()) {
    const file = path.join(options.outDir, `adresses-${departement}.csv`);
    const writer = new LineWriter(file);
    writer.line(BAN_HEADER);
    let count = 0;
    for (const commune of communes.filter((c) => c.departement === departement)) {
      if (wanted && !wanted.has(commune.code)) continue;
      report.communes++;
      const random = Random.forKey(seed, commune.code);
      const streets = writeCommune(writer, commune, random);
      count += streets.written;
      // Their own generator: the numbered addresses stay the same whatever the lieux-dits.
      const lieuxDits = writeLieuxDits(writer, commune, Random.forKey(seed, `${commune.code}|lieux-dits`), streets);
      count += lieuxDits;
      report.lieuxDits += lieuxDits;
      const siteCount = writeSites(writer, commune, sitesByCommune.get(commune.code) ?? []);
      count += siteCount;
      report.sites += siteCount;
    }
    writer.close();
    report.files.push({ departement, file, adresses: count });
    report.adresses += count;
  }
  report.dureeMs = performance.now() - started;
  return report;
}

function loadCommunes(cog: ReturnType<typeof loadRegionCog>, departements: string[]): Commune[] {
  const geo = new ReferenceGeoSource();
  const pieces = new Map<string, Position[][][]>();
  for (const dep of departements) {
    for (const [code, surface] of geo.communeSurfaces(dep)) {
      const current = cog.currentCommuneCode(code);
      if (!current) continue;
      const list = pieces.get(current) ?? [];
      if (surface.type === "Polygon") list.push(surface.coordinates);
      else list.push(...surface.coordinates);
      pieces.set(current, list);
    }
  }
  const densityByCode = new Map<string, number>();
  for (const [code, level] of geo.densityLevels()) {
    const current = cog.currentCommuneCode(code);
    if (current) densityByCode.set(current, Math.min(densityByCode.get(current) ?? 7, level));
  }
  const premises = arcepPremises(cog.currentCommuneCode);

  const communes: Commune[] = [];
  for (const c of [...cog.communes].sort((a, b) => a.code.localeCompare(b.code))) {
    if (!c.departement || !departements.includes(c.departement)) continue;
    const polygons = pieces.get(c.code);
    let shape: CommuneShape;
    let centre = geo.communeCentre(c.code);
    if (polygons && polygons.length > 0) shape = shapeOf(polygons);
    else {
      // No polygon: a square of about 2 km around the commune centre.
      if (!centre) continue;
      const [lon, lat] = centre;
      const d = 0.01;
      shape = shapeOf([
        [
          [
            [lon - d, lat - d],
            [lon + d, lat - d],
            [lon + d, lat + d],
            [lon - d, lat + d],
            [lon - d, lat - d],
          ],
        ],
      ]);
    }
    if (!centre || !inShape(shape, centre[0], centre[1]))
      centre = [(shape.minLon + shape.maxLon) / 2, (shape.minLat + shape.maxLat) / 2];
    const codesPostaux = c.codesPostaux ?? [];
    communes.push({
      code: c.code,
      nom: c.nom,
      departement: c.departement,
      codePostal: codesPostaux[0] ?? `${c.departement}000`,
      codesPostaux,
      shape,
      centre,
      density: densityByCode.get(c.code) ?? 6,
      premises: premises.get(c.code) ?? Math.max(1, Math.round((c.population ?? 50) / 2)),
      neighbours: [],
    });
  }
  // Neighbours: the six nearest commune centres, for "Route de …".
  for (const c of communes) {
    c.neighbours = communes
      .filter((o) => o !== c)
      .map((o) => ({ nom: o.nom, d: (o.centre[0] - c.centre[0]) ** 2 * 0.43 + (o.centre[1] - c.centre[1]) ** 2 }))
      .sort((a, b) => a.d - b.d)
      .slice(0, 6)
      .map((o) => o.nom);
  }
  return communes;
}

/** ARCEP logements + établissements per commune, old codes folded onto today's communes. */
function arcepPremises(currentCode: (code: string) => string | undefined): Map<string, number> {
  const text = readFileSync(path.join(ADDRESSES_REFERENCE_DIR, "arcep-communes.csv"), "utf8");
  const premises = new Map<string, number>();
  const count = (s: string | undefined) => {
    const t = (s ?? "").replace(/[\s\u00a0]/g, "");
    return t === "-" || t === "" ? 0 : Number(t) || 0;
  };
  for (const line of text.split(/\r?\n/)) {
    if (!/^\d[\dAB]\d{3},/.test(line)) continue;
    const f = line.split(",");
    const code = currentCode(f[0] ?? "");
    if (!code) continue;
    premises.set(code, (premises.get(code) ?? 0) + count(f[5]) + count(f[6]));
  }
  return premises;
}

function addressCount(commune: Commune): number {
  return Math.max(1, Math.round(commune.premises / (PREMISES_PER_ADDRESS[commune.density] ?? 1.1)));
}

function samplePoint(commune: Commune, random: Random, nearCentre: boolean): [number, number] {
  const { shape } = commune;
  const spanLon = shape.maxLon - shape.minLon;
  const spanLat = shape.maxLat - shape.minLat;
  for (let i = 0; i < 200; i++) {
    let lon: number;
    let lat: number;
    if (nearCentre) {
      lon = commune.centre[0] + random.gaussian() * spanLon * 0.18;
      lat = commune.centre[1] + random.gaussian() * spanLat * 0.18;
    } else {
      lon = shape.minLon + random.next() * spanLon;
      lat = shape.minLat + random.next() * spanLat;
    }
    if (inShape(shape, lon, lat)) return [lon, lat];
  }
  return commune.centre;
}

interface CommuneStreets {
  written: number;
  /** Street codes used so far (0001…, b001… share the counter). */
  streets: number;
  /** Names given in the commune. */
  used: Set<string>;
}

function writeCommune(writer: LineWriter, commune: Commune, random: Random): CommuneStreets {
  const target = addressCount(commune);
  const urban = commune.density <= 3;
  const dense = commune.density <= 2;
  const used = new Set<string>();
  const mPerDegLon = M_PER_DEG_LAT * Math.cos((commune.centre[1] * Math.PI) / 180);
  let written = 0;
  let street = 0;
  while (written < target) {
    street++;
    const { name, lieuDit } = streetName(random, urban, commune.neighbours, used);
    const voie = lieuDit ? `b${String(street).padStart(3, "0")}` : String(street).padStart(4, "0");
    const numbers = Math.min(
      target - written,
      lieuDit ? random.int(2, 12) : random.int(4, dense ? 80 : urban ? 45 : 25),
    );
    const anchor = samplePoint(commune, random, urban && random.chance(dense ? 0.75 : 0.5));
    const angle = random.next() * Math.PI;
    const step = dense ? random.int(8, 15) : urban ? random.int(12, 22) : random.int(25, 60);
    const dx = (Math.cos(angle) * step) / mPerDegLon;
    const dy = (Math.sin(angle) * step) / M_PER_DEG_LAT;
    const side = 8;
    const codePostal = commune.codesPostaux.length > 1 ? random.pick(commune.codesPostaux) : commune.codePostal;
    let numero = 0;
    let made = 0;
    while (made < numbers) {
      numero++;
      const reps: (string | null)[] = [null];
      if (random.chance(0.03)) reps.push("bis");
      if (random.chance(0.006)) reps.push("ter");
      for (const rep of reps) {
        if (made >= numbers) break;
        const k = Math.floor((numero - 1) / 2);
        const s = numero % 2 === 0 ? side : -side;
        let lon: number;
        let lat: number;
        if (lieuDit) {
          lon = anchor[0] + (random.gaussian() * 60) / mPerDegLon;
          lat = anchor[1] + (random.gaussian() * 60) / M_PER_DEG_LAT;
        } else {
          lon = anchor[0] + dx * k - (Math.sin(angle) * s) / mPerDegLon + (random.gaussian() * 2) / mPerDegLon;
          lat = anchor[1] + dy * k + (Math.cos(angle) * s) / M_PER_DEG_LAT + (random.gaussian() * 2) / M_PER_DEG_LAT;
        }
        if (!inShape(commune.shape, lon, lat)) [lon, lat] = samplePoint(commune, random, false);
        writer.line(
          banLine(commune, voie, numero, rep, name, codePostal, lon, lat, random.chance(0.85) ? "entrée" : "bâtiment"),
        );
        made++;
      }
    }
    written += made;
  }
  return { written, streets: street, used };
}

/**
 * Lieux-dits without numbers (hamlets, farms, fields): in the BAN they are toponyms, written as a
 * BAL row of their own (`<insee>_<voie>_99999`, `numero` 99999, no suffix, position of the place).
 * More in the countryside, where the BAN has many; their codes continue the commune's street codes.
 */
function writeLieuxDits(writer: LineWriter, commune: Commune, random: Random, streets: CommuneStreets): number {
  const max = commune.density <= 3 ? 1 : commune.density === 4 ? 2 : 4;
  const count = random.int(0, max);
  let written = 0;
  for (let k = 0; k < count; k++) {
    const name = lieuDitName(random, streets.used);
    if (!name) break;
    streets.streets++;
    const voie = `b${String(streets.streets).padStart(3, "0")}`;
    const codePostal = commune.codesPostaux.length > 1 ? random.pick(commune.codesPostaux) : commune.codePostal;
    const [lon, lat] = samplePoint(commune, random, false);
    writer.line(banLine(commune, voie, LIEU_DIT_NUMERO, null, name, codePostal, lon, lat, ""));
    written++;
  }
  return written;
}

interface PlacedSite extends StrategicSite {
  codeInsee: string;
}

function placeSites(
  sites: StrategicSite[],
  currentCode: (code: string) => string | undefined,
  communes: Commune[],
): Map<string, PlacedSite[]> {
  const placed = new Map<string, PlacedSite[]>();
  for (const site of sites) {
    let code = site.codeCommune ? currentCode(site.codeCommune) : undefined;
    // Hospitals carry no commune code: the commune whose polygon holds the position.
    if (!code) code = communes.find((c) => inShape(c.shape, site.lon, site.lat))?.code;
    if (!code) continue;
    const list = placed.get(code) ?? [];
    list.push({ ...site, codeInsee: code });
    placed.set(code, list);
  }
  return placed;
}

/** Real sites: their own streets (voie code `s…`), real number (0 when none is published) and position. */
function writeSites(writer: LineWriter, commune: Commune, sites: PlacedSite[]): number {
  const voies = new Map<string, string>();
  const ids = new Set<string>();
  let count = 0;
  for (const site of sites) {
    const key = site.voie.toLowerCase();
    let voie = voies.get(key);
    if (!voie) {
      voie = `s${String(voies.size + 1).padStart(3, "0")}`;
      voies.set(key, voie);
    }
    const numero = site.numero ?? 0;
    const id = banId(commune.code, voie, numero, site.rep);
    if (ids.has(id)) continue;
    ids.add(id);
    const codePostal = commune.codesPostaux.includes(site.codePostal) ? site.codePostal : commune.codePostal;
    writer.line(
      banLine(commune, voie, numero, site.rep, site.voie, codePostal, site.lon, site.lat, "entrée", "commune"),
    );
    count++;
  }
  return count;
}

function afnor(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/['’-]/g, " ")
    .toUpperCase();
}

function banLine(
  commune: Commune,
  voie: string,
  numero: number,
  rep: string | null,
  nomVoie: string,
  codePostal: string,
  lon: number,
  lat: number,
  typePosition: string,
  source = "commune",
): string {
  const id = banId(commune.code, voie, numero, rep);
  const lonText = lon.toFixed(6);
  const latText = lat.toFixed(6);
  // x/y in Lambert-93 (EPSG:2154), as the real BAN files carry them, from the position as written.
  const { x, y } = toLambert93(Number(lonText), Number(latText));
  return [
    id,
    `${commune.code}_${voie}`,
    numero,
    rep ?? "",
    nomVoie,
    codePostal,
    commune.code,
    commune.nom,
    "",
    "",
    x.toFixed(2),
    y.toFixed(2),
    lonText,
    latText,
    typePosition,
    "",
    "",
    afnor(commune.nom),
    afnor(nomVoie),
    source,
    source,
    "0",
    "",
  ].join(";");
}

/** Buffered line writer (a few MB at a time): generation is bound by string building, not I/O. */
class LineWriter {
  private fd: number;
  private parts: string[] = [];
  private size = 0;

  constructor(file: string) {
    this.fd = openSync(file, "w");
  }

  line(text: string): void {
    this.parts.push(text);
    this.size += text.length + 1;
    if (this.size > 4_000_000) this.flush();
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    writeSync(this.fd, `${this.parts.join("\n")}\n`);
    this.parts = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
