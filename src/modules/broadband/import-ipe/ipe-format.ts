import type { EtatFtth } from "../broadband.tables.ts";

/**
 * The IPE file (Interop'Fibre « PM » protocol v3): column names and value lists, from the reference
 * (docs: broadband.md §2.2–2.4). Column names are compared case-insensitively; the order is free.
 */
export const IPE_COLUMNS = {
  identifiant: "IdentifiantImmeuble",
  hexacle: "CodeAdresseImmeuble",
  codeInsee: "CodeInseeImmeuble",
  codePostal: "CodePostalImmeuble",
  commune: "CommuneImmeuble",
  typeVoie: "TypeVoieImmeuble",
  nomVoie: "NomVoieImmeuble",
  numero: "NumeroVoieImmeuble",
  complement: "ComplementNumeroVoieImmeuble",
  batiment: "BatimentImmeuble",
  logements: "NombreLogementsAdresseIPE",
  etat: "EtatImmeuble",
  dateModification: "DateDerniereModification",
  x: "CoordonneeImmeubleX",
  y: "CoordonneeImmeubleY",
  projection: "TypeProjectionGeographique",
  referencePm: "ReferencePM",
  etatPm: "EtatPM",
  dateInstallationPm: "DateInstallationPM",
  dateMesPm: "DateMiseEnServiceCommercialePM",
  typeImmeuble: "TypeImmeuble",
  codeOi: "CodeOI",
  // Optional columns some OIs add (exact IPE names unverified, see reference §2.2): the BAN
  // interoperability key, the planned/actual cabling date, the building's own commercial opening.
  codeBan: "CodeBAN",
  dateCablage: "DateCablageAdresse",
  dateMesImmeuble: "DateMiseEnServiceCommercialeImmeuble",
} as const;

export type IpeColumn = keyof typeof IPE_COLUMNS;

/** Without these the file is not an IPE file (or not read with the right separator). */
export const IPE_REQUIRED: readonly IpeColumn[] = ["hexacle", "codeInsee", "logements", "etat"];

/** Accepted spellings of the optional columns, beyond the names above (lower-cased). */
export const IPE_ALIASES: Partial<Record<IpeColumn, string[]>> = {
  codeBan: ["code_ban", "codeban", "idban", "identifiantban"],
  dateCablage: ["datecablageimmeuble", "dateprevisionnellecablage", "datecablage"],
};

const canonicalCache = new Map<string, string>();
/** Upper-case, no accents, single spaces: "En cours de déploiement" → "EN COURS DE DEPLOIEMENT". */
function canonical(text: string): string {
  const known = canonicalCache.get(text);
  if (known !== undefined) return known;
  const result = text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toUpperCase()
    .replace(/[_\s]+/g, " ")
    .trim();
  // Enumerated columns hold few distinct values; the cap keeps a hostile file from filling memory.
  if (canonicalCache.size < 10_000) canonicalCache.set(text, result);
  return result;
}

const ETATS_IMMEUBLE: Record<string, EtatFtth> = {
  CIBLE: "cible",
  SIGNE: "signe",
  "EN COURS DE DEPLOIEMENT": "en_cours",
  "EN COURS": "en_cours",
  DEPLOYE: "deploye",
  "RACCORDABLE DEMANDE": "raccordable_demande",
  "RACCORDABLE A LA DEMANDE": "raccordable_demande",
  "RACCORDABLE SUR DEMANDE": "raccordable_demande",
  ABANDONNE: "abandonne",
  // GraceTHD l_adresse_etat and MCI internal codes.
  CI: "cible",
  SI: "signe",
  EC: "en_cours",
  DE: "deploye",
  AB: "abandonne",
  RACD: "raccordable_demande",
  DEPL: "deploye",
};

/** EtatImmeuble → the table's etat_ftth, or undefined when the value is not an IPE state. */
export function normaliseEtatImmeuble(value: string): EtatFtth | undefined {
  return ETATS_IMMEUBLE[canonical(value)];
}

const ETATS_PM: Record<string, "en_cours" | "deploye" | "abandonne"> = {
  "EN COURS DE DEPLOIEMENT": "en_cours",
  "EN COURS": "en_cours",
  DEPLOYE: "deploye",
  ABANDONNE: "abandonne",
  // Interop TMF values.
  PLANNED: "en_cours",
  DEPLOYING: "en_cours",
  DEPLOYED: "deploye",
  ABANDONED: "abandonne",
  DEPL: "deploye",
};

export function normaliseEtatPm(value: string): "en_cours" | "deploye" | "abandonne" | undefined {
  return ETATS_PM[canonical(value)];
}

export function normaliseTypeImmeuble(value: string): "pavillon" | "immeuble" | undefined {
  const v = canonical(value);
  if (v === "PAVILLON" || v === "P" || v === "PA" || v === "PAV") return "pavillon";
  if (v === "IMMEUBLE" || v === "I" || v === "IM" || v === "IMM") return "immeuble";
  return undefined;
}

export type Projection = "wgs84" | "lambert93";

/**
 * TypeProjectionGeographique → how to read the coordinates. "WGS84" once meant Web Mercator
 * (EPSG:3857) in older files: the values tell (metres vs degrees), see readCoordinates.
 * Undefined for projections we cannot convert (LAMB2E, overseas RGFG95, RGR92…).
 */
export function normaliseProjection(value: string): Projection | "vide" | undefined {
  // A file names one or two projections on every line: read each spelling once.
  const known = projectionCache.get(value);
  if (known !== undefined || projectionCache.has(value)) return known;
  const result = readProjection(value);
  if (projectionCache.size < 1_000) projectionCache.set(value, result);
  return result;
}

const projectionCache = new Map<string, Projection | "vide" | undefined>();

function readProjection(value: string): Projection | "vide" | undefined {
  const v = canonical(value).replace(/[\s/-]/g, "");
  if (v === "") return "vide";
  if (v === "WGS84" || v === "EPSG4326" || v === "4326") return "wgs84";
  if (["RFG93", "RGF93", "LAMB93", "LAMBERT93", "RGF93LAMBERT93", "RGF93L93", "EPSG2154", "2154"].includes(v))
    return "lambert93";
  return undefined;
}

/** "20180314" (also "2018-03-14", "14/03/2018") → "2018-03-14"; undefined when not a real date. */
export function parseIpeDate(value: string): string | undefined {
  // Files repeat a few thousand dates over millions of lines: each text is parsed once.
  const known = dateCache.get(value);
  if (known !== undefined || dateCache.has(value)) return known;
  const result = readDate(value);
  if (dateCache.size < 50_000) dateCache.set(value, result);
  return result;
}

const dateCache = new Map<string, string | undefined>();

function readDate(value: string): string | undefined {
  const v = value.trim();
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(v) ?? /^(\d{4})-(\d{2})-(\d{2})/.exec(v);
  let year: string;
  let month: string;
  let day: string;
  if (m) [, year, month, day] = m as unknown as [string, string, string, string];
  else {
    const fr = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(v);
    if (!fr) return undefined;
    [, day, month, year] = fr as unknown as [string, string, string, string];
  }
  const d = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (d.getUTCFullYear() !== Number(year) || d.getUTCMonth() !== Number(month) - 1 || d.getUTCDate() !== Number(day))
    return undefined;
  return `${year}-${month}-${day}`;
}

/** "1234,56" or "1234.56" → 1234.56; undefined when not a number. */
export function parseDecimal(value: string): number | undefined {
  const v = value.trim().replace(",", ".");
  if (!/^-?\d+(\.\d+)?$/.test(v)) return undefined;
  return Number(v);
}

/**
 * The OI's Interop code from the file name: `<…>_<CodeInterop OI>_PM_IPEZMD_V30_<AAAAMMJJ>.csv`
 * (e.g. IPE_Forbach_FIBA_PM_IPEZMD_V30_20210419.csv → FIBA). Undefined when the name does not follow it.
 */
export function oiFromFileName(fileName: string): { codeOi: string; date: string | undefined } | undefined {
  const base = fileName.replace(/^.*[/\\]/, "");
  const m = /(?:^|_)([A-Za-z0-9]{2,8})_PM_IPE[A-Z]*_V\d+_(\d{8})(?:\.[A-Za-z0-9]+)*$/i.exec(base);
  if (!m) return undefined;
  return { codeOi: (m[1] as string).toUpperCase(), date: parseIpeDate(m[2] as string) };
}
