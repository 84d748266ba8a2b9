import { closeSync, createReadStream, openSync, readSync } from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import { BAN_COLUMNS, currentCommuneCodes, inFrance, LIEU_DIT_NUMERO, LIEUX_DITS_COLUMNS } from "./ban-format.ts";

/**
 * One valid address, in the order of the `adresse` columns after `lot_id`:
 * id, numero, rep, nom_voie, code_postal, code_insee, nom_commune, lon, lat, type_position, source.
 */
export type BanRow = [
  string,
  number,
  string | null,
  string,
  string,
  string,
  string,
  number,
  number,
  string | null,
  string | null,
];

/** A line that was not loaded: where, which field, what it held and why (in French). */
export interface Rejection {
  fichier: string;
  line: number;
  field: string;
  value: string;
  reason: string;
}

/** The whole file is unusable (encoding, header, unreadable): nothing of it is loaded. */
export class BanFileError extends Error {
  override name = "BanFileError";
}

export interface BanBatch {
  rows: BanRow[];
  rejections: Rejection[];
  /** Data lines read so far in this file (header and empty lines excluded). */
  linesRead: number;
}

export interface ParseBanOptions {
  /** Codes accepted in `code_insee` (default: the communes of the current COG). */
  communeCodes?: ReadonlySet<string>;
}

const ID_PATTERN = /^[0-9][0-9ab][0-9]{3}_[0-9a-z]{1,10}_[0-9]{5}(_[0-9a-z]{1,10})?$/i;
/** A toponym's id, as the lieux-dits file gives it: `<insee>_<voie>`. */
const TOPONYM_ID_PATTERN = /^[0-9][0-9ab][0-9]{3}_[0-9a-z]{1,10}$/i;
const NUMERO_PATTERN = /^[0-9]{1,5}$/;
const POSTCODE_PATTERN = /^[0-9]{5}$/;
const COORD_PATTERN = /^-?[0-9]{1,3}(\.[0-9]+)?$/;

/** Columns kept, in `BanRow` order: id, numero, rep, nom_voie, code_postal, code_insee, nom_commune, lon, lat, type_position, source_position. */
const KEPT = [0, 2, 3, 4, 5, 6, 7, 12, 13, 14, 19] as const;
/** Lieux-dits columns kept: id, nom_lieu_dit, code_postal, code_insee, nom_commune, lon, lat, source_position. */
const LIEUX_DITS_KEPT = [0, 1, 2, 3, 4, 9, 10, 11] as const;
/** Per column of a file, its place among the kept ones (-1: not kept). */
const slotsOf = (kept: readonly number[], columns: number): number[] =>
  Array.from({ length: columns }, (_, c) => kept.indexOf(c));
const I = {
  id: 0,
  numero: 1,
  rep: 2,
  nom_voie: 3,
  code_postal: 4,
  code_insee: 5,
  nom_commune: 6,
  lon: 7,
  lat: 8,
  type_position: 9,
  source_position: 10,
} as const;
const LD = {
  id: 0,
  nom_lieu_dit: 1,
  code_postal: 2,
  code_insee: 3,
  nom_commune: 4,
  lon: 5,
  lat: 6,
  source_position: 7,
} as const;

/**
 * What a file's header says it is: the BAN address file (`adresses-<dep>.csv`, possibly with
 * columns added after the 23), or its companion file of lieux-dits (`lieux-dits-<dep>-beta.csv`),
 * each read into the same rows.
 */
interface Layout {
  kept: readonly number[];
  /** Per column of the file, its place in the kept fields (-1: not kept). */
  slots: number[];
  validate: typeof validateAddress;
}

function layoutOf(header: readonly string[]): Layout | undefined {
  const starts = (expected: readonly string[]) =>
    header.length >= expected.length && expected.every((name, i) => header[i] === name);
  if (starts(BAN_COLUMNS)) return { kept: KEPT, slots: slotsOf(KEPT, BAN_COLUMNS.length), validate: validateAddress };
  if (starts(LIEUX_DITS_COLUMNS)) {
    return {
      kept: LIEUX_DITS_KEPT,
      slots: slotsOf(LIEUX_DITS_KEPT, LIEUX_DITS_COLUMNS.length),
      validate: validateLieuDit,
    };
  }
  return undefined;
}

/** Cuts the kept columns of an unquoted line into `picked`; returns the number of columns. */
function pickFields(line: string, slots: readonly number[], picked: string[]): number {
  let column = 0;
  let start = 0;
  while (true) {
    const sep = line.indexOf(";", start);
    const slot = column < slots.length ? (slots[column] as number) : -1;
    if (sep === -1) {
      if (slot >= 0) picked[slot] = line.slice(start);
      return column + 1;
    }
    if (slot >= 0) picked[slot] = line.slice(start, sep);
    column++;
    start = sep + 1;
  }
}

/**
 * Reads a BAN CSV file as a stream and yields batches of valid rows and rejections, one batch per
 * chunk read (about a megabyte). Rejects the whole file (BanFileError) when it is not UTF-8 or when
 * its header is not the BAN one; otherwise each bad line is reported with its line number and field.
 * A lieux-dits file (`lieux-dits-<dep>-beta.csv`, told by its header) gives each lieu-dit as the row
 * a BAL gives it: id `<toponym>_99999`, numero 99999, its name as `nom_voie`. A gzip file (as the BAN
 * publishes them, `.csv.gz`) is read through gunzip.
 */
export async function* parseBanFile(file: string, options: ParseBanOptions = {}): AsyncGenerator<BanBatch> {
  const fichier = path.basename(file);
  const communes = options.communeCodes ?? currentCommuneCodes();
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const seen = new SeenIds();
  let header: string[] | undefined;
  let layout: Layout | undefined;
  let pending = "";
  // A record split over several physical lines (newline inside quotes) starts at this line.
  let pendingRecord = "";
  let pendingRecordLine = 0;
  let lineNumber = 0;
  let linesRead = 0;
  let first = true;
  const picked: string[] = new Array(KEPT.length).fill("");

  const handleRecord = (record: string, line: number, rows: BanRow[], rejections: Rejection[]) => {
    if (record.length === 0) return;
    if (header && layout) {
      // Fast path: only the columns kept are cut out of the line, into a reused array.
      let count: number;
      if (record.includes('"')) {
        const all = splitQuoted(record);
        count = all.length;
        for (let k = 0; k < layout.kept.length; k++) picked[k] = all[layout.kept[k] as number] ?? "";
      } else count = pickFields(record, layout.slots, picked);
      linesRead++;
      if (count !== header.length) {
        rejections.push({
          fichier,
          line,
          field: "ligne",
          value: record.slice(0, 80),
          reason: `${count} colonne${count > 1 ? "s" : ""} au lieu de ${header.length}`,
        });
        return;
      }
      const row = layout.validate(picked, communes, seen, fichier, line, rejections);
      if (row) rows.push(row);
      return;
    }
    const fields = record.includes('"') ? splitQuoted(record) : record.split(";");
    header = fields.map((f) => f.trim());
    layout = layoutOf(header);
    if (!layout) {
      throw new BanFileError(
        `${fichier} : en-tête inattendu à la ligne ${line} (« ${record.slice(0, 80)} ») ; un fichier BAN commence par « ${BAN_COLUMNS.slice(0, 5).join(";")};… » (${BAN_COLUMNS.length} colonnes), un fichier de lieux-dits par « ${LIEUX_DITS_COLUMNS.slice(0, 4).join(";")};… » (${LIEUX_DITS_COLUMNS.length} colonnes), séparées par des points-virgules`,
      );
    }
  };

  let stream: AsyncIterable<Buffer>;
  try {
    const raw = createReadStream(file, { highWaterMark: 1 << 20 });
    // pipeline: the file's read errors come out of the gunzip stream, and a read stopped early
    // (a refused file) closes the file too. Errors surface through the loop below.
    stream = isGzip(file) ? pipeline(raw, createGunzip({ chunkSize: 1 << 20 }), () => {}) : raw;
  } catch (error) {
    throw new BanFileError(`${fichier} : lecture impossible (${(error as Error).message})`);
  }
  try {
    for await (const chunk of stream) {
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        throw encodingError(fichier, chunk, lineNumber + countNewlines(pending) + 1);
      }
      if (first) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        first = false;
      }
      const rows: BanRow[] = [];
      const rejections: Rejection[] = [];
      const lines = (pending + text).split("\n");
      pending = lines.pop() ?? "";
      for (let raw of lines) {
        lineNumber++;
        if (raw.endsWith("\r")) raw = raw.slice(0, -1);
        if (pendingRecord) {
          pendingRecord += `\n${raw}`;
          if (countQuotes(pendingRecord) % 2 === 0) {
            handleRecord(pendingRecord, pendingRecordLine, rows, rejections);
            pendingRecord = "";
          }
          continue;
        }
        if (raw.includes('"') && countQuotes(raw) % 2 === 1) {
          pendingRecord = raw;
          pendingRecordLine = lineNumber;
          continue;
        }
        handleRecord(raw, lineNumber, rows, rejections);
      }
      yield { rows, rejections, linesRead };
    }
  } catch (error) {
    if (error instanceof BanFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "EISDIR" || code === "EACCES")
      throw new BanFileError(`${fichier} : lecture impossible (${code === "ENOENT" ? "fichier introuvable" : code})`);
    if (typeof code === "string" && code.startsWith("Z_"))
      throw new BanFileError(
        `${fichier} : archive gzip illisible (${(error as Error).message}). Aucune ligne n'a été chargée.`,
      );
    throw error;
  }
  try {
    pending += decoder.decode();
  } catch {
    throw encodingError(fichier, Buffer.alloc(0), lineNumber + 1);
  }
  const rows: BanRow[] = [];
  const rejections: Rejection[] = [];
  if (pending.endsWith("\r")) pending = pending.slice(0, -1);
  if (pendingRecord) {
    lineNumber++;
    pendingRecord += `\n${pending}`;
    rejections.push({
      fichier,
      line: pendingRecordLine,
      field: "ligne",
      value: pendingRecord.slice(0, 80),
      reason: "guillemet ouvrant sans guillemet fermant",
    });
    linesRead++;
  } else if (pending) {
    lineNumber++;
    handleRecord(pending, lineNumber, rows, rejections);
  }
  if (!header) throw new BanFileError(`${fichier} : fichier vide (ni en-tête ni adresse)`);
  yield { rows, rejections, linesRead };
}

/**
 * The ids of a file's accepted lines. BAN files come sorted by id: while each id is greater than the
 * previous one, none can repeat an earlier one and no hash set is needed (filling one cost a tenth of
 * the parse); the first id out of order builds it from the ids kept so far.
 */
export class SeenIds {
  private readonly ids: string[] = [];
  private set: Set<string> | null = null;
  private last = "";

  has(id: string): boolean {
    if (this.set !== null) return this.set.has(id);
    if (this.ids.length === 0 || id > this.last) return false;
    this.set = new Set(this.ids);
    this.ids.length = 0;
    return this.set.has(id);
  }

  add(id: string): void {
    if (this.set !== null) this.set.add(id);
    else if (this.ids.length === 0 || id > this.last) {
      this.ids.push(id);
      this.last = id;
    } else {
      this.set = new Set(this.ids);
      this.ids.length = 0;
      this.set.add(id);
    }
  }
}

/** A line of the address file. */
function validateAddress(
  fields: string[],
  communes: ReadonlySet<string>,
  seen: SeenIds,
  fichier: string,
  line: number,
  rejections: Rejection[],
): BanRow | undefined {
  const before = rejections.length;

  const id = fields[I.id] as string;
  const numeroText = fields[I.numero] as string;
  const nomVoie = fields[I.nom_voie] as string;
  const codePostal = fields[I.code_postal] as string;
  const codeInsee = fields[I.code_insee] as string;
  const nomCommune = fields[I.nom_commune] as string;
  const lonText = fields[I.lon] as string;
  const latText = fields[I.lat] as string;

  if (!ID_PATTERN.test(id))
    reject(
      rejections,
      fichier,
      line,
      "id",
      id,
      id === ""
        ? "identifiant vide"
        : "identifiant mal formé (attendu <insee>_<voie>_<numéro sur 5 chiffres>[_<suffixe>])",
    );
  else if (seen.has(id))
    reject(rejections, fichier, line, "id", id, "identifiant déjà présent plus haut dans le fichier");
  if (!NUMERO_PATTERN.test(numeroText))
    reject(rejections, fichier, line, "numero", numeroText, "numéro entier de 0 à 99999 attendu");
  if (nomVoie.trim() === "") reject(rejections, fichier, line, "nom_voie", nomVoie, "nom de voie vide");
  checkCommuneAndPosition(codePostal, codeInsee, nomCommune, lonText, latText, communes, fichier, line, rejections);
  if (rejections.length > before) return undefined;

  seen.add(id);
  const rep = fields[I.rep] as string;
  const typePosition = fields[I.type_position] as string;
  const source = fields[I.source_position] as string;
  return [
    id,
    Number(numeroText),
    rep === "" ? null : rep,
    nomVoie,
    codePostal,
    codeInsee,
    nomCommune,
    Number(lonText),
    Number(latText),
    typePosition === "" ? null : typePosition,
    source === "" ? null : source,
  ];
}

/** The fields an address and a lieu-dit share: postcode, commune, and a position in France. */
function checkCommuneAndPosition(
  codePostal: string,
  codeInsee: string,
  nomCommune: string,
  lonText: string,
  latText: string,
  communes: ReadonlySet<string>,
  fichier: string,
  line: number,
  rejections: Rejection[],
): void {
  if (!POSTCODE_PATTERN.test(codePostal))
    reject(rejections, fichier, line, "code_postal", codePostal, "code postal à 5 chiffres attendu");
  if (!communes.has(codeInsee))
    reject(rejections, fichier, line, "code_insee", codeInsee, "code commune inconnu du COG en vigueur");
  if (nomCommune.trim() === "") reject(rejections, fichier, line, "nom_commune", nomCommune, "nom de commune vide");
  const lonOk = COORD_PATTERN.test(lonText);
  const latOk = COORD_PATTERN.test(latText);
  if (!lonOk) reject(rejections, fichier, line, "lon", lonText, "longitude décimale attendue (point comme séparateur)");
  if (!latOk) reject(rejections, fichier, line, "lat", latText, "latitude décimale attendue (point comme séparateur)");
  if (lonOk && latOk && !inFrance(Number(lonText), Number(latText)))
    reject(rejections, fichier, line, "lon/lat", `${lonText} ${latText}`, "position hors de France");
}

/** A line of the lieux-dits file, as the row of a lieu-dit without numbers (`<toponym>_99999`). */
function validateLieuDit(
  fields: string[],
  communes: ReadonlySet<string>,
  seen: SeenIds,
  fichier: string,
  line: number,
  rejections: Rejection[],
): BanRow | undefined {
  const before = rejections.length;
  const toponym = fields[LD.id] as string;
  const nom = fields[LD.nom_lieu_dit] as string;
  const codePostal = fields[LD.code_postal] as string;
  const codeInsee = fields[LD.code_insee] as string;
  const nomCommune = fields[LD.nom_commune] as string;
  const lonText = fields[LD.lon] as string;
  const latText = fields[LD.lat] as string;
  const id = `${toponym.toLowerCase()}_${LIEU_DIT_NUMERO}`;
  if (!TOPONYM_ID_PATTERN.test(toponym))
    reject(
      rejections,
      fichier,
      line,
      "id",
      toponym,
      toponym === "" ? "identifiant vide" : "identifiant de lieu-dit mal formé (attendu <insee>_<voie>)",
    );
  else if (seen.has(id))
    reject(rejections, fichier, line, "id", toponym, "identifiant déjà présent plus haut dans le fichier");
  if (nom.trim() === "") reject(rejections, fichier, line, "nom_lieu_dit", nom, "nom de lieu-dit vide");
  checkCommuneAndPosition(codePostal, codeInsee, nomCommune, lonText, latText, communes, fichier, line, rejections);
  if (rejections.length > before) return undefined;

  seen.add(id);
  const source = fields[LD.source_position] as string;
  return [
    id,
    LIEU_DIT_NUMERO,
    null,
    nom,
    codePostal,
    codeInsee,
    nomCommune,
    Number(lonText),
    Number(latText),
    null,
    source === "" ? null : source,
  ];
}

/** A gzip file starts with the bytes 1f 8b (an unreadable file is left to the read to report). */
function isGzip(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(file, "r");
    const magic = Buffer.alloc(2);
    return readSync(fd, magic, 0, 2, 0) === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function reject(rejections: Rejection[], fichier: string, line: number, field: string, value: string, reason: string) {
  rejections.push({ fichier, line, field, value, reason });
}

/** Splits a `;` line whose fields may be quoted ("a;b" and "" for a quote inside). */
export function splitQuoted(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  const n = line.length;
  while (true) {
    if (line.charCodeAt(i) === 34 /* " */) {
      let value = "";
      i++;
      while (i < n) {
        const q = line.indexOf('"', i);
        if (q === -1) {
          value += line.slice(i);
          i = n;
          break;
        }
        value += line.slice(i, q);
        if (line.charCodeAt(q + 1) === 34) {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      // Anything between the closing quote and the separator is kept as is.
      const sep = line.indexOf(";", i);
      if (sep === -1) {
        fields.push(value + line.slice(i));
        return fields;
      }
      fields.push(value + line.slice(i, sep));
      i = sep + 1;
    } else {
      const sep = line.indexOf(";", i);
      if (sep === -1) {
        fields.push(line.slice(i));
        return fields;
      }
      fields.push(line.slice(i, sep));
      i = sep + 1;
    }
  }
}

function countQuotes(text: string): number {
  let count = 0;
  for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) count++;
  return count;
}

function countNewlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) count++;
  return count;
}

function encodingError(fichier: string, chunk: Buffer, firstLineOfChunk: number): BanFileError {
  const lossy = chunk.toString("utf8");
  const bad = lossy.indexOf("\uFFFD");
  const line = firstLineOfChunk + (bad > 0 ? countNewlines(lossy.slice(0, bad)) : 0);
  const latin1 = looksLikeLatin1(chunk);
  return new BanFileError(
    `${fichier} : le fichier n'est pas en UTF-8 (octet invalide vers la ligne ${line})${
      latin1 ? " ; il semble encodé en Latin-1/Windows-1252" : ""
    }. Aucune ligne n'a été chargée. Convertissez-le, par exemple : iconv -f WINDOWS-1252 -t UTF-8 ${fichier} > ${fichier.replace(/\.csv$/i, "")}-utf8.csv`,
  );
}

/** Latin-1 accented letters (é = 0xE9…) appear as lone high bytes between ASCII letters. */
function looksLikeLatin1(chunk: Buffer): boolean {
  let lone = 0;
  for (let i = 1; i < chunk.length - 1; i++) {
    const b = chunk[i] as number;
    if (b >= 0xc0 && (chunk[i + 1] as number) < 0x80) lone++;
  }
  return lone > 0;
}
