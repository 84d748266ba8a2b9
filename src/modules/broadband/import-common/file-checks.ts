import { type CsvLine, openCsv } from "./csv-reader.ts";
import { rejet, ThdFileError } from "./rejections.ts";

export interface ColumnSpec {
  /** Columns that must be present (each entry: accepted names, first is the canonical one). */
  obligatoires: readonly (string | readonly string[])[];
  /** Columns read when present. */
  facultatives?: readonly (string | readonly string[])[];
}

/**
 * Finds the columns of a header record by name (trimmed, case-insensitive). A missing column makes
 * the whole file unusable: ThdFileError naming the header line, the missing columns and, when the
 * header holds a single field, the likely cause (wrong separator).
 */
export function columnsOf(header: CsvLine, spec: ColumnSpec, fichier?: string): Map<string, number> {
  const positions = new Map<string, number>();
  header.champs.forEach((name, i) => {
    const key = name
      .trim()
      .replace(/^\uFEFF/, "")
      .toLowerCase();
    if (!positions.has(key)) positions.set(key, i);
  });
  const found = new Map<string, number>();
  const missing: string[] = [];
  const resolve = (entry: string | readonly string[], required: boolean) => {
    const names = typeof entry === "string" ? [entry] : entry;
    const canonical = names[0] as string;
    for (const name of names) {
      const at = positions.get(name.toLowerCase());
      if (at !== undefined) {
        found.set(canonical, at);
        return;
      }
    }
    if (required) missing.push(names.join(" ou "));
  };
  for (const entry of spec.obligatoires) resolve(entry, true);
  for (const entry of spec.facultatives ?? []) resolve(entry, false);
  if (missing.length > 0) {
    const hint =
      header.champs.length === 1
        ? " ; l'en-tête ne forme qu'une colonne : le séparateur n'est sans doute pas le bon"
        : "";
    const message = `colonne${missing.length > 1 ? "s" : ""} absente${missing.length > 1 ? "s" : ""} : ${missing.join(", ")}${hint}`;
    throw new ThdFileError(`${fichier ? `${fichier} : ` : ""}${message}`, [
      rejet(header.ligne, "en-tête", header.champs.join("|"), message, fichier),
    ]);
  }
  return found;
}

/**
 * Refuses a file that should be UTF-8 but is not (windows-1252 from a spreadsheet, typically),
 * naming the first line holding a byte sequence that is not UTF-8.
 */
export async function assertUtf8(chemin: string, fichier?: string): Promise<never> {
  const reader = await openCsv(chemin, { encodage: "utf-8", separateur: ";" });
  for await (const line of reader.lines()) {
    const text = line.champs.join(";");
    const at = text.indexOf("\uFFFD");
    if (at !== -1) {
      const message = "texte qui n'est pas en UTF-8 (windows-1252 ?) : enregistrez le fichier en UTF-8";
      throw new ThdFileError(`${fichier ? `${fichier} : ` : ""}${message}`, [
        rejet(line.ligne, "encodage", text.slice(Math.max(0, at - 20), at + 20), message, fichier),
      ]);
    }
  }
  throw new ThdFileError(`${fichier ? `${fichier} : ` : ""}fichier qui n'est pas en UTF-8`);
}
