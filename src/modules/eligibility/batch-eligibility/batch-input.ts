import { parse } from "csv-parse/sync";

/** Caps of one batch: lines of data and bytes of the uploaded file. */
export const BATCH_LIMITS = { rows: 100_000, bytes: 20 * 1024 * 1024 };

/** A file or column choice that cannot be used: the HTTP status, a stable code and a French message. */
export class BatchInputError extends Error {
  constructor(
    readonly status: 400 | 409 | 413,
    readonly code: string,
    message: string,
    readonly parametre: string,
  ) {
    super(message);
  }
}

const invalid = (message: string, parametre = "fichier") =>
  new BatchInputError(400, "FICHIER_INVALIDE", message, parametre);

export type Encoding = "utf-8" | "windows-1252";

/**
 * UTF-8 (with or without BOM), else Windows-1252 as spreadsheets save it; anything that looks
 * binary (NUL bytes, control characters, an XLSX/ZIP, UTF-16) is refused rather than guessed at.
 */
export function decodeUpload(buffer: Uint8Array): { text: string; encoding: Encoding } {
  if (buffer.length === 0) throw invalid("Le fichier est vide.");
  if (buffer[0] === 0x50 && buffer[1] === 0x4b && buffer[2] === 0x03 && buffer[3] === 0x04) {
    throw invalid("Le fichier est un classeur (XLSX) ou une archive ZIP : enregistrez-le au format CSV.");
  }
  if ((buffer[0] === 0xff && buffer[1] === 0xfe) || (buffer[0] === 0xfe && buffer[1] === 0xff)) {
    throw invalid("Encodage UTF-16 non pris en charge : enregistrez le fichier en CSV UTF-8 ou Windows-1252.");
  }
  const sample = buffer.subarray(0, 64 * 1024);
  let controls = 0;
  for (const byte of sample) {
    if (byte === 0) throw invalid("Le fichier n'est pas un texte CSV (contenu binaire).");
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) controls++;
  }
  if (controls > sample.length / 100) throw invalid("Le fichier n'est pas un texte CSV (contenu binaire).");
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(buffer).replace(/^\uFEFF/, ""), encoding: "utf-8" };
  } catch {
    return { text: new TextDecoder("windows-1252").decode(buffer), encoding: "windows-1252" };
  }
}

export const SEPARATORS = [";", ",", "\t", "|"] as const;

/** The separator most present in the header line (";" wins ties: French spreadsheets). */
export function detectSeparator(text: string): string {
  const end = text.search(/\r?\n/);
  const headerLine = end < 0 ? text : text.slice(0, end);
  let best: string = ";";
  let bestCount = 0;
  for (const separator of SEPARATORS) {
    const count = headerLine.split(separator).length - 1;
    if (count > bestCount) {
      best = separator;
      bestCount = count;
    }
  }
  return best;
}

/** The columns chosen by the user, by header name. */
export interface ColumnChoice {
  /** Columns joined (in this order) to form the address text; all columns when nothing is chosen. */
  adresse?: string[];
  /** Column holding a BAN address id (clé d'interopérabilité). */
  id?: string;
  lat?: string;
  lon?: string;
  /** Filters of the geocoder: postcode or INSEE commune code columns. */
  postcode?: string;
  citycode?: string;
}

/** The same choice as column indexes, once checked against the header. */
export type ColumnMapping =
  | { mode: "adresse"; adresse: number[]; postcode: number | null; citycode: number | null }
  | { mode: "id"; id: number }
  | { mode: "position"; lat: number; lon: number };

export interface ParsedBatch {
  header: string[];
  rows: string[][];
  separator: string;
}

/** Parses the decoded text: the first record is the header; empty lines are skipped. */
export function parseBatchCsv(text: string, separator?: string): ParsedBatch {
  if (text.trim() === "") throw invalid("Le fichier est vide.");
  const delimiter = separator ?? detectSeparator(text);
  let records: string[][];
  try {
    records = parse(text, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: false,
    });
  } catch (error) {
    throw invalid(`CSV illisible : ${(error as Error).message}`);
  }
  const [header, ...rows] = records;
  if (!header || header.every((name) => name.trim() === "")) {
    throw invalid("Le fichier n'a pas de ligne d'en-tête (noms de colonnes en première ligne).");
  }
  if (rows.length === 0) throw invalid("Le fichier ne contient aucune ligne de données après l'en-tête.");
  if (rows.length > BATCH_LIMITS.rows) {
    throw new BatchInputError(
      413,
      "LOT_TROP_GRAND",
      `Au plus ${BATCH_LIMITS.rows.toLocaleString("fr-FR")} sites par lot : le fichier en contient ${rows.length.toLocaleString("fr-FR")}.`,
      "fichier",
    );
  }
  return { header: header.map((name) => name.trim()), rows, separator: delimiter };
}

// A header cell that looks like data: a number, or a house number followed by a word.
const LOOKS_LIKE_DATA = /^(?:-?\d+(?:[.,]\d+)?|\d+\s*(?:bis|ter|b|t)?\s+\p{L}.*)$/iu;

/**
 * Checks the chosen columns against the header and returns their indexes. One mode only: address
 * columns (with optional postcode / citycode filters), an address id column, or lat + lon columns.
 */
export function mapColumns(header: string[], choice: ColumnChoice): ColumnMapping {
  const indexOf = (name: string, parametre: string) => {
    const i = header.indexOf(name.trim());
    if (i < 0) {
      const looksLikeData = header.some((cell) => LOOKS_LIKE_DATA.test(cell.trim()));
      throw invalid(
        `Colonne « ${name} » absente de l'en-tête${looksLikeData ? " : la première ligne ressemble à des données, le fichier doit commencer par une ligne d'en-tête" : ""} (colonnes lues : ${header
          .slice(0, 12)
          .map((h) => `« ${h} »`)
          .join(", ")}).`,
        parametre,
      );
    }
    return i;
  };
  const adresse = (choice.adresse ?? []).map((c) => c.trim()).filter((c) => c !== "");
  const modes = [adresse.length > 0, choice.id !== undefined, choice.lat !== undefined || choice.lon !== undefined];
  if (modes.filter(Boolean).length > 1) {
    throw invalid(
      "Choisir un seul mode : colonnes d'adresse (« adresse »), identifiant d'adresse (« id »), ou coordonnées (« lat » et « lon »).",
      "adresse, id, lat, lon",
    );
  }
  if (choice.id !== undefined) return { mode: "id", id: indexOf(choice.id, "id") };
  if (choice.lat !== undefined || choice.lon !== undefined) {
    if (choice.lat === undefined || choice.lon === undefined) {
      const missing = choice.lat === undefined ? "lat" : "lon";
      throw invalid(`Paramètre « ${missing} » obligatoire avec « ${missing === "lat" ? "lon" : "lat"} ».`, missing);
    }
    return { mode: "position", lat: indexOf(choice.lat, "lat"), lon: indexOf(choice.lon, "lon") };
  }
  if (adresse.length === 0 && header.some((cell) => LOOKS_LIKE_DATA.test(cell.trim()))) {
    throw invalid(
      "La première ligne ressemble à des données, pas à des noms de colonnes : ajoutez une ligne d'en-tête.",
      "fichier",
    );
  }
  return {
    mode: "adresse",
    adresse: adresse.length > 0 ? adresse.map((c) => indexOf(c, "adresse")) : header.map((_, i) => i),
    postcode: choice.postcode ? indexOf(choice.postcode, "postcode") : null,
    citycode: choice.citycode ? indexOf(choice.citycode, "citycode") : null,
  };
}

/** The chosen columns by name, for the job's description. */
export function describeMapping(header: string[], mapping: ColumnMapping): ColumnChoice {
  const name = (i: number) => header[i] ?? "";
  if (mapping.mode === "id") return { id: name(mapping.id) };
  if (mapping.mode === "position") return { lat: name(mapping.lat), lon: name(mapping.lon) };
  return {
    adresse: mapping.adresse.map(name),
    ...(mapping.postcode !== null ? { postcode: name(mapping.postcode) } : {}),
    ...(mapping.citycode !== null ? { citycode: name(mapping.citycode) } : {}),
  };
}
