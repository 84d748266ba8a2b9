/**
 * Reads the head of a CSV file in the browser: its encoding (UTF-8, else Windows-1252, as the
 * server decides), separator, header and first lines, so that the columns can be chosen before
 * anything is sent.
 */
export interface CsvPreview {
  encoding: "utf-8" | "windows-1252";
  separator: string;
  header: string[];
  rows: string[][];
}

const SEPARATORS = [";", ",", "\t", "|"];

function decode(bytes: Uint8Array): { text: string; encoding: CsvPreview["encoding"] } {
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "utf-8" };
  } catch {
    // A cut in the middle of a multi-byte character at the end of the sample is not an encoding error.
    try {
      const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, Math.max(0, bytes.length - 3)));
      return { text, encoding: "utf-8" };
    } catch {
      return { text: new TextDecoder("windows-1252").decode(bytes), encoding: "windows-1252" };
    }
  }
}

/** Splits one CSV record (quotes doubled inside quoted fields); records spanning lines are not expected here. */
function splitRecord(line: string, separator: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === "") quoted = true;
    else if (ch === separator) {
      fields.push(field);
      field = "";
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

export function previewCsv(bytes: Uint8Array, lines = 5): CsvPreview {
  const { text, encoding } = decode(bytes);
  const records = text
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .filter((line) => line.trim() !== "");
  const first = records[0] ?? "";
  let separator = ";";
  let best = 0;
  for (const candidate of SEPARATORS) {
    const count = first.split(candidate).length - 1;
    if (count > best) {
      best = count;
      separator = candidate;
    }
  }
  return {
    encoding,
    separator,
    header: splitRecord(first, separator).map((h) => h.trim()),
    rows: records.slice(1, 1 + lines).map((line) => splitRecord(line, separator)),
  };
}

const ADDRESS_WORDS = /adresse|address|rue|voie|num|cp|code.?postal|postcode|ville|commune|city|localit/i;
const POSTCODE = /^(cp|code.?postal|postcode|code_postal)$/i;
const CITYCODE = /^(code.?insee|insee|citycode|code_commune)$/i;

/** A first guess of the columns: the address-like ones, the postcode column, lat/lon or an id column. */
export function guessColumns(header: string[]) {
  const find = (pattern: RegExp) => header.find((h) => pattern.test(h.trim()));
  const lat = find(/^(lat|latitude|y_wgs84)$/i);
  const lon = find(/^(lon|lng|long|longitude|x_wgs84)$/i);
  const id = find(/^(id_ban|ban_id|id_adresse|adresse_id|cle_interop)$/i);
  const postcode = find(POSTCODE) ?? "";
  // The postcode column filters the geocoder; it is not repeated in the address text.
  const adresse = header.filter((h) => ADDRESS_WORDS.test(h) && !CITYCODE.test(h) && h !== postcode);
  return {
    mode: lat && lon ? ("position" as const) : id && adresse.length === 0 ? ("id" as const) : ("adresse" as const),
    adresse: adresse.length > 0 ? adresse : header.slice(),
    postcode,
    citycode: find(CITYCODE) ?? "",
    id: id ?? header[0] ?? "",
    lat: lat ?? header[0] ?? "",
    lon: lon ?? header[1] ?? header[0] ?? "",
  };
}
