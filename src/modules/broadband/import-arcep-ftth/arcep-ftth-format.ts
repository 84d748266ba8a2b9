import { type CsvLine, openCsv } from "../import-common/csv-reader.ts";
import { rejet, ThdFileError } from "../import-common/rejections.ts";
import { parseQuarter } from "../quarters/quarter-code.ts";

/**
 * The ARCEP FttH deployment files as published (« Le marché du haut et très haut débit fixe
 * (déploiements) »): comma-separated, title lines and empty lines before the header, thousands
 * separated by a space or U+00A0, "-" for zero, one column per quarter ("T3 2017").
 */

/** An ARCEP count: "12 218", "12\u00a0218", " 81    ", "-" (zero). Undefined when not a count. */
export function parseArcepCount(text: string): number | undefined {
  const cleaned = text.replace(/[\s\u00a0\u202f]/g, "");
  if (cleaned === "-") return 0;
  if (!/^\d{1,12}$/.test(cleaned)) return undefined;
  return Number(cleaned);
}

export interface ArcepHeader {
  line: CsvLine;
  /** Column index by lower-cased trimmed name. */
  positions: Map<string, number>;
}

/**
 * Finds the header record: the first whose first field is `firstColumn` (title lines and empty
 * lines come before it). No such record: the file is not this format (ThdFileError on line 1).
 */
export async function readArcepHeader(chemin: string, firstColumn: string, fichier: string): Promise<ArcepHeader> {
  const reader = await openCsv(chemin, { separateur: "auto" });
  let scanned = 0;
  for await (const line of reader.lines()) {
    if ((line.champs[0] ?? "").trim().toLowerCase() === firstColumn.toLowerCase()) {
      const positions = new Map<string, number>();
      line.champs.forEach((name, i) => {
        positions.set(name.trim().toLowerCase(), i);
      });
      return { line, positions };
    }
    if (++scanned >= 20) break;
  }
  const message = `en-tête introuvable : aucune des premières lignes ne commence par la colonne « ${firstColumn} » (fichier ARCEP déploiement FttH attendu, séparé par des virgules)`;
  throw new ThdFileError(`${fichier} : ${message}`, [rejet(1, "en-tête", "", message, fichier)]);
}

/** The quarter columns of an ARCEP header ("T3 2017" → "2017T3"), with their index. */
export function quarterColumns(header: ArcepHeader): { code: string; label: string; index: number }[] {
  const out: { code: string; label: string; index: number }[] = [];
  header.line.champs.forEach((name, index) => {
    const label = name.trim();
    if (/^T[1-4]\s+\d{4}$/i.test(label)) out.push({ code: parseQuarter(label).code, label, index });
  });
  return out;
}
