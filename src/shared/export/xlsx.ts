import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { readZip, writeZip, writeZipAsync, type ZipEntry } from "./zip.ts";

/**
 * A minimal XLSX (Office Open XML spreadsheet) writer: one or more sheets of plain values, the first
 * row in bold, strings inline (no shared-string table). Enough for table downloads; no formulas,
 * no dates as serial numbers (dates stay ISO text, as in the CSV).
 */
export type CellValue = string | number | null | undefined;

export interface XlsxSheet {
  name: string;
  rows: CellValue[][];
}

const XML_HEADER = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

// XML 1.0 forbids most control characters even when escaped.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

// Most cells need no escaping: one test instead of five replacements.
// biome-ignore lint/suspicious/noControlCharactersInRegex: they are what is looked for
const NEEDS_ESCAPE = /[&<>"\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

function escapeXml(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text
    .replace(INVALID_XML, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/** A1-style column letters: 0 → A, 25 → Z, 26 → AA. */
export function columnLetters(index: number): string {
  let n = index + 1;
  let letters = "";
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** Excel refuses sheet names longer than 31 characters or holding []:*?/\ ; names must be unique. */
function sheetNames(sheets: XlsxSheet[]): string[] {
  const used = new Set<string>();
  return sheets.map((sheet, i) => {
    let name =
      sheet.name
        .replace(/[[\]:*?/\\]/g, " ")
        .trim()
        .slice(0, 31) || `Feuille ${i + 1}`;
    while (used.has(name.toLowerCase())) name = `${name.slice(0, 28)} ${i + 1}`;
    used.add(name.toLowerCase());
    return name;
  });
}

// Rows are rendered in blocks into UTF-8 buffers: a 100,000-row sheet as one JS string would
// approach V8's string-length limit and double the memory (two bytes per char once non-Latin-1).
const ROWS_PER_BLOCK = 2000;

function rowXml(row: CellValue[], r: number, letters: string[]): string {
  let cells = "";
  for (let c = 0; c < row.length; c++) {
    const value = row[c];
    if (value === null || value === undefined || value === "") continue;
    if (letters[c] === undefined) letters[c] = columnLetters(c);
    const ref = `${letters[c]}${r + 1}`;
    const style = r === 0 ? ' s="1"' : "";
    if (typeof value === "number" && Number.isFinite(value)) cells += `<c r="${ref}"${style}><v>${value}</v></c>`;
    else
      cells += `<c r="${ref}"${style} t="inlineStr"><is><t xml:space="preserve">${escapeXml(String(value))}</t></is></c>`;
  }
  return `<row r="${r + 1}">${cells}</row>`;
}

/** The sheet's XML as UTF-8 buffers, one per block of rows. */
function* sheetXmlParts(rows: CellValue[][]): Generator<Buffer> {
  // The first row stays visible while scrolling: it holds the column names.
  const pane =
    rows.length > 1
      ? '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
      : "";
  yield Buffer.from(`${XML_HEADER}<worksheet xmlns="${MAIN_NS}">${pane}<sheetData>`, "utf8");
  const letters: string[] = [];
  for (let start = 0; start < rows.length; start += ROWS_PER_BLOCK) {
    let block = "";
    const end = Math.min(rows.length, start + ROWS_PER_BLOCK);
    for (let r = start; r < end; r++) block += rowXml(rows[r] ?? [], r, letters);
    yield Buffer.from(block, "utf8");
  }
  yield Buffer.from("</sheetData></worksheet>", "utf8");
}

/** The parts of the workbook around its sheets (content types, relationships, workbook, styles). */
function workbookParts(sheets: XlsxSheet[]): ZipEntry[] {
  if (sheets.length === 0) throw new Error("un classeur XLSX a au moins une feuille");
  const names = sheetNames(sheets);
  const contentTypes = `${XML_HEADER}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>${sheets
    .map(
      (_, i) =>
        `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
    )
    .join("")}</Types>`;
  const rootRels = `${XML_HEADER}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
  const workbook = `${XML_HEADER}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheets>${names
    .map((name, i) => `<sheet name="${escapeXml(name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
    .join("")}</sheets></workbook>`;
  const workbookRels = `${XML_HEADER}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets
    .map((_, i) => `<Relationship Id="rId${i + 1}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`)
    .join("")}<Relationship Id="rId${sheets.length + 1}" Type="${REL_NS}/styles" Target="styles.xml"/></Relationships>`;
  const styles = `${XML_HEADER}<styleSheet xmlns="${MAIN_NS}"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;
  return [
    { name: "[Content_Types].xml", data: contentTypes },
    { name: "_rels/.rels", data: rootRels },
    { name: "xl/workbook.xml", data: workbook },
    { name: "xl/_rels/workbook.xml.rels", data: workbookRels },
    { name: "xl/styles.xml", data: styles },
  ];
}

export function writeXlsx(sheets: XlsxSheet[]): Buffer {
  return writeZip([
    ...workbookParts(sheets),
    ...sheets.map((sheet, i) => ({
      name: `xl/worksheets/sheet${i + 1}.xml`,
      data: Buffer.concat([...sheetXmlParts(sheet.rows)]),
    })),
  ]);
}

/**
 * The same workbook without holding the event loop: the sheets' XML is written a block of rows at a
 * time with a yield between blocks, and compressed on the thread pool. For large downloads
 * (100,000 rows take seconds) from a server that must keep answering.
 */
export async function writeXlsxAsync(sheets: XlsxSheet[]): Promise<Buffer> {
  const entries = workbookParts(sheets);
  for (const [i, sheet] of sheets.entries()) {
    const parts: Buffer[] = [];
    for (const part of sheetXmlParts(sheet.rows)) {
      parts.push(part);
      await yieldToEventLoop();
    }
    entries.push({ name: `xl/worksheets/sheet${i + 1}.xml`, data: Buffer.concat(parts) });
  }
  return writeZipAsync(entries);
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}

function columnIndex(ref: string): number {
  const letters = /^[A-Z]+/.exec(ref)?.[0] ?? "A";
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/**
 * Reads back the sheets of an XLSX file (inline strings, shared strings and numbers): for tests and
 * checks, not a general spreadsheet reader.
 */
export function readXlsx(file: Buffer): XlsxSheet[] {
  const parts = readZip(file);
  const text = (name: string) => parts.get(name)?.toString("utf8");
  const workbook = text("xl/workbook.xml");
  if (!workbook || !text("[Content_Types].xml")) throw new Error("XLSX invalide : classeur absent");
  const shared = [...(text("xl/sharedStrings.xml") ?? "").matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) =>
    unescapeXml([...(m[1] ?? "").matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join("")),
  );
  const names = [...workbook.matchAll(/<sheet [^>]*name="([^"]*)"/g)].map((m) => unescapeXml(m[1] ?? ""));
  return names.map((name, i) => {
    const xml = text(`xl/worksheets/sheet${i + 1}.xml`);
    if (xml === undefined) throw new Error(`XLSX invalide : feuille ${name} absente`);
    const rows: CellValue[][] = [];
    for (const row of xml.matchAll(/<row r="(\d+)"[^>]*>([\s\S]*?)<\/row>/g)) {
      const cells: CellValue[] = [];
      for (const cell of (row[2] ?? "").matchAll(/<c r="([A-Z]+\d+)"([^>]*)>([\s\S]*?)<\/c>/g)) {
        const attributes = cell[2] ?? "";
        const inner = cell[3] ?? "";
        const at = columnIndex(cell[1] ?? "A");
        while (cells.length < at) cells.push(null);
        if (/t="inlineStr"/.test(attributes)) cells.push(unescapeXml(/<t[^>]*>([\s\S]*?)<\/t>/.exec(inner)?.[1] ?? ""));
        else if (/t="s"/.test(attributes)) cells.push(shared[Number(/<v>(.*?)<\/v>/.exec(inner)?.[1])] ?? "");
        else cells.push(Number(/<v>(.*?)<\/v>/.exec(inner)?.[1]));
      }
      rows[Number(row[1]) - 1] = cells;
    }
    return { name, rows: Array.from(rows, (r) => r ?? []) };
  });
}
