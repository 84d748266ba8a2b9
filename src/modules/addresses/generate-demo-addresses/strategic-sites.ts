import { readFileSync } from "node:fs";
import path from "node:path";

export const ADDRESSES_REFERENCE_DIR = path.resolve(import.meta.dirname, "../reference-data");

/** A real public site with its published address and position (collège, hospital, university). */
export interface StrategicSite {
  kind: "college" | "hopital" | "enseignement-superieur";
  name: string;
  numero: number | null;
  rep: string | null;
  voie: string;
  codePostal: string;
  /** Commune code as published (possibly outdated), or null when only the position is known. */
  codeCommune: string | null;
  lon: number;
  lat: number;
}

/** Splits one CSV line with a given separator; fields may be quoted ("" for a quote). */
export function splitCsvLine(line: string, separator: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === separator) {
      fields.push(field);
      field = "";
    } else field += c;
  }
  fields.push(field);
  return fields;
}

function readTable(file: string, separator: string): Record<string, string>[] {
  const lines = readFileSync(path.join(ADDRESSES_REFERENCE_DIR, file), "utf8")
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? "", separator);
  const rows: Record<string, string>[] = [];
  for (const line of lines.slice(1)) {
    if (!line) continue;
    const fields = splitCsvLine(line, separator);
    rows.push(Object.fromEntries(header.map((h, i) => [h, fields[i] ?? ""])));
  }
  return rows;
}

const STREET_WORDS: Record<string, string> = {
  R: "Rue",
  RUE: "Rue",
  AV: "Avenue",
  AVE: "Avenue",
  AVENUE: "Avenue",
  BD: "Boulevard",
  BOULEVARD: "Boulevard",
  PL: "Place",
  PLACE: "Place",
  CHE: "Chemin",
  CHEMIN: "Chemin",
  RTE: "Route",
  ROUTE: "Route",
  IMP: "Impasse",
  IMPASSE: "Impasse",
  ALL: "Allée",
  ALLEE: "Allée",
  QU: "Quai",
  QUAI: "Quai",
  SQ: "Square",
  CRS: "Cours",
  COURS: "Cours",
  ESPLANADE: "Esplanade",
  PARVIS: "Parvis",
  RES: "Résidence",
};
const SMALL_WORDS = new Set(["de", "du", "des", "la", "le", "les", "l", "d", "et", "aux", "au", "sur", "sous", "en"]);

/** "rue DE MACHEVILLE" → "Rue de Macheville", "QU ENGUERRAND DE MARIGNY" → "Quai Enguerrand de Marigny". */
export function tidyStreet(text: string): string {
  const words = text.trim().replace(/\s+/g, " ").split(" ");
  return words
    .map((word, i) => {
      const upper = word.toUpperCase();
      if (i === 0 && STREET_WORDS[upper]) return STREET_WORDS[upper];
      const lower = word.toLowerCase();
      if (i > 0 && SMALL_WORDS.has(lower)) return lower;
      if (i > 0 && /^[ld]'/.test(lower))
        return lower.slice(0, 2) + lower.slice(2).replace(/^\p{L}/u, (l) => l.toUpperCase());
      return lower.replace(/(^|[-'’])(\p{L})/gu, (_m, sep: string, letter: string) => sep + letter.toUpperCase());
    })
    .join(" ");
}

/** "2 rue DE MACHEVILLE" → 2, null, "Rue de Macheville"; "12 bis av X" → 12, "bis", "Avenue X". */
export function splitAddress(text: string): { numero: number | null; rep: string | null; voie: string } {
  const m = /^\s*(\d{1,5})\s*(bis|ter|quater|[a-d](?=\s))?[\s,]+(.+)$/i.exec(text);
  if (!m) return { numero: null, rep: null, voie: tidyStreet(text) };
  return { numero: Number(m[1]), rep: m[2] ? m[2].toLowerCase() : null, voie: tidyStreet(m[3] ?? "") };
}

/** Collèges, hospitals and higher-education establishments of the given départements. */
export function loadStrategicSites(departements: readonly string[]): StrategicSite[] {
  const inDeps = (postcodeOrCode: string) => departements.some((d) => postcodeOrCode.startsWith(d));
  const sites: StrategicSite[] = [];

  for (const r of readTable("colleges-france.csv", ";")) {
    const code = r.code_commune ?? "";
    const lat = Number(r.latitude);
    const lon = Number(r.longitude);
    if (!inDeps(code) || !r.adresse_uai || !Number.isFinite(lat) || !Number.isFinite(lon) || !r.latitude) continue;
    const address = splitAddress(r.adresse_uai);
    if (!address.voie) continue;
    sites.push({
      kind: "college",
      name: r.appellation_officielle ?? "",
      ...address,
      codePostal: r.code_postal_uai ?? "",
      codeCommune: code,
      lon,
      lat,
    });
  }

  for (const r of readTable("etablissements-sante-france.csv", ",")) {
    const postcode = r.postcode ?? "";
    const lat = Number(r.lat);
    const lon = Number(r.lon);
    if (r.cc !== "FR" || !inDeps(postcode) || !r.street || !r.lat || !Number.isFinite(lat) || !Number.isFinite(lon))
      continue;
    const numero = /^\d{1,5}$/.test(r.house_number ?? "") ? Number(r.house_number) : null;
    sites.push({
      kind: "hopital",
      name: r.hospital_name ?? "",
      numero,
      rep: null,
      voie: tidyStreet(r.street),
      codePostal: postcode,
      codeCommune: null,
      lon,
      lat,
    });
  }

  for (const r of readTable("fr-esr-principaux-etablissements-enseignement-superieur.csv", ";")) {
    const code = r.com_code ?? "";
    const [latText, lonText] = (r.coordonnees ?? "").split(",");
    const lat = Number(latText);
    const lon = Number(lonText);
    if (!inDeps(code) || !r.adresse_uai || !latText || !lonText || !Number.isFinite(lat) || !Number.isFinite(lon))
      continue;
    const address = splitAddress(r.adresse_uai);
    sites.push({
      kind: "enseignement-superieur",
      name: r.uo_lib ?? "",
      ...address,
      codePostal: r.code_postal_uai ?? "",
      codeCommune: code,
      lon,
      lat,
    });
  }
  return sites;
}
