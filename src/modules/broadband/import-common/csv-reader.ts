import { isUtf8 } from "node:buffer";
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";

/**
 * Streaming CSV reader for the broadband importers: separator given or detected (`;`, `,`, tab),
 * encoding given or detected (valid UTF-8, else windows-1252; BOM dropped), CRLF or LF, quoted
 * fields (`""` for a quote, separators and newlines inside quotes). Lines are numbered as in the
 * file (1 = first physical line), so that rejections can name them.
 */

export type CsvEncoding = "utf-8" | "windows-1252";
export type CsvSeparator = ";" | "," | "\t";

export interface CsvReadOptions {
  /** Default "auto": the most frequent of `;`, `,`, tab outside quotes on the first non-empty line. */
  separateur?: CsvSeparator | "auto";
  /** Default "auto": UTF-8 when the whole file is valid UTF-8, else windows-1252. */
  encodage?: CsvEncoding | "auto";
  /** Lines skipped before anything is parsed (title lines); they still count in line numbers. */
  lignesIgnorees?: number;
}

/** One record: its first physical line number and its fields (as text, untrimmed). */
export interface CsvLine {
  ligne: number;
  champs: string[];
}

/** What a full pass over the bytes tells: SHA-256 (hex), size, encoding. */
export interface CsvFileFacts {
  sha256: string;
  octets: number;
  encodage: CsvEncoding;
  bom: boolean;
}

/** The file cannot be read as CSV at all (empty, unreadable): nothing of it can be loaded. */
export class CsvFileError extends Error {
  override name = "CsvFileError";
}

/** Length of the longest prefix of `bytes` that ends on a UTF-8 character boundary. */
function completeUtf8Prefix(bytes: Buffer): number {
  let i = bytes.length - 1;
  let continuation = 0;
  while (i >= 0 && continuation < 4 && ((bytes[i] as number) & 0xc0) === 0x80) {
    i--;
    continuation++;
  }
  if (i < 0) return bytes.length;
  const lead = bytes[i] as number;
  const expected = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return continuation + 1 >= expected ? bytes.length : i;
}

/**
 * One pass over the bytes: SHA-256 and whether the file is valid UTF-8 (validated chunk by chunk;
 * a character cut between chunks is carried over).
 */
export async function inspectCsvFile(fichier: string): Promise<CsvFileFacts> {
  const hash = createHash("sha256");
  let octets = 0;
  let utf8 = true;
  let carry: Buffer = Buffer.alloc(0);
  let bom = false;
  let first = true;
  for await (const chunk of createReadStream(fichier, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    octets += chunk.length;
    if (first) {
      bom = chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf;
      first = false;
    }
    if (utf8) {
      const bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      const cut = completeUtf8Prefix(bytes);
      if (!isUtf8(bytes.subarray(0, cut))) utf8 = false;
      carry = Buffer.from(bytes.subarray(cut));
    }
  }
  if (carry.length > 0) utf8 = false;
  return { sha256: hash.digest("hex"), octets, encodage: utf8 ? "utf-8" : "windows-1252", bom };
}

/** The most frequent separator outside quotes in a line (`;` wins ties, then `,`). */
export function detectSeparator(line: string): CsvSeparator {
  const counts: Record<CsvSeparator, number> = { ";": 0, ",": 0, "\t": 0 };
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === ";" || ch === "," || ch === "\t")) counts[ch]++;
  }
  let best: CsvSeparator = ";";
  for (const s of [",", "\t"] as const) if (counts[s] > counts[best]) best = s;
  return best;
}

/** Splits one record that contains quotes. */
export function splitQuotedRecord(record: string, separator: string): string[] {
  const fields: string[] = [];
  let field = "";
  let i = 0;
  let quoted = false;
  while (i < record.length) {
    const ch = record[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (record[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === separator) {
      fields.push(field);
      field = "";
    } else field += ch;
    i++;
  }
  fields.push(field);
  return fields;
}

/** True when the quotes of `text` are balanced (the record is complete). */
function quotesBalanced(text: string): boolean {
  let count = 0;
  for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) count++;
  return count % 2 === 0;
}

/**
 * Bytes read per batch. Small on purpose: a batch's lines (an object, an array and a string per
 * field) then die young, in V8's cheap young-generation collections; with 1 MB batches they
 * outlived it and splitting an eligibilite file cost twice as much CPU.
 */
export const READ_CHUNK_BYTES = 1 << 16;

export interface CsvReader {
  encodage: CsvEncoding;
  /** Known once the first record has been read (or given). */
  separateur: () => CsvSeparator;
  /** Records in batches (one per chunk read, READ_CHUNK_BYTES): the fast way for big files. */
  batches(): AsyncGenerator<CsvLine[]>;
  /** Bytes of the file read so far (for progress). */
  octetsLus: () => number;
  /** Records one by one. Empty lines are skipped (they still count in line numbers). */
  lines(): AsyncGenerator<CsvLine>;
}

/**
 * Opens a CSV file for reading. With `encodage: "auto"` (the default) the file is read once first
 * to check it is valid UTF-8; pass the encoding from `inspectCsvFile` to avoid a second pass.
 */
export async function openCsv(fichier: string, options: CsvReadOptions = {}): Promise<CsvReader> {
  const encodage =
    options.encodage === undefined || options.encodage === "auto"
      ? (await inspectCsvFile(fichier)).encodage
      : options.encodage;
  let separator: CsvSeparator | undefined =
    options.separateur === undefined || options.separateur === "auto" ? undefined : options.separateur;
  const skip = options.lignesIgnorees ?? 0;
  let octetsLus = 0;

  async function* batches(): AsyncGenerator<CsvLine[]> {
    const decoder = new TextDecoder(encodage, { ignoreBOM: true });
    let pending = "";
    let record = "";
    let recordLine = 0;
    let lineNumber = 0;
    const emit = (text: string, line: number, out: CsvLine[]) => {
      if (line <= skip) return;
      if (text.length === 0) return;
      if (separator === undefined) separator = detectSeparator(text);
      const champs = text.includes('"') ? splitQuotedRecord(text, separator) : text.split(separator);
      out.push({ ligne: line, champs });
    };
    const consume = (text: string, out: CsvLine[], final: boolean) => {
      let start = 0;
      if (record.length === 0 && text.indexOf('"') === -1) {
        // No quote in this text (the usual case): each line is a record, split as it is.
        while (true) {
          const nl = text.indexOf("\n", start);
          if (nl === -1) break;
          const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
          lineNumber++;
          if (end > start && lineNumber > skip) {
            const line = text.slice(start, end);
            if (separator === undefined) separator = detectSeparator(line);
            out.push({ ligne: lineNumber, champs: line.split(separator) });
          }
          start = nl + 1;
        }
      }
      while (true) {
        const nl = text.indexOf("\n", start);
        if (nl === -1) break;
        let line = text.slice(start, nl);
        if (line.endsWith("\r")) line = line.slice(0, -1);
        start = nl + 1;
        lineNumber++;
        if (record.length > 0 || (line.includes('"') && !quotesBalanced(line))) {
          // A quoted field runs over several physical lines: gather them into one record.
          if (record.length === 0) {
            record = line;
            recordLine = lineNumber;
          } else record += `\n${line}`;
          if (quotesBalanced(record)) {
            emit(record, recordLine, out);
            record = "";
          }
          continue;
        }
        emit(line, lineNumber, out);
      }
      pending = text.slice(start);
      if (final) {
        if (pending.length > 0) {
          lineNumber++;
          let line = pending.endsWith("\r") ? pending.slice(0, -1) : pending;
          if (record.length > 0) {
            line = `${record}\n${line}`;
            emit(line, recordLine, out);
            record = "";
          } else emit(line, lineNumber, out);
        } else if (record.length > 0) emit(record, recordLine, out);
        pending = "";
      }
    };
    let first = true;
    octetsLus = 0;
    for await (let chunk of createReadStream(fichier, { highWaterMark: READ_CHUNK_BYTES }) as AsyncIterable<Buffer>) {
      octetsLus += chunk.length;
      // A UTF-8 BOM is dropped whatever the encoding (a spreadsheet may add one to a windows-1252 file).
      if (first && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
      first = false;
      const out: CsvLine[] = [];
      consume(pending + decoder.decode(chunk, { stream: true }), out, false);
      if (out.length > 0) yield out;
    }
    const out: CsvLine[] = [];
    consume(pending + decoder.decode(), out, true);
    if (out.length > 0) yield out;
  }

  return {
    encodage,
    separateur: () => {
      if (separator === undefined) throw new CsvFileError("séparateur pas encore connu (aucune ligne lue)");
      return separator;
    },
    batches,
    octetsLus: () => octetsLus,
    async *lines() {
      for await (const batch of batches()) yield* batch;
    },
  };
}

/** Column positions by name, from a header record (names compared trimmed and lower-cased). */
export function headerIndex(header: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  header.forEach((name, i) => {
    const key = name.trim().toLowerCase();
    if (!index.has(key)) index.set(key, i);
  });
  return index;
}
