import { toCsv } from "../../../shared/http/csv.ts";

/** A line (or the whole file, ligne 0/1) that was not loaded: where, which field, what it held, why (French). */
export interface Rejet {
  ligne: number;
  champ: string;
  valeur: string;
  message: string;
  /** File name (without directory) when an import reads several files. */
  fichier?: string;
}

export type RapportRejets = Rejet[];

/** Values are cut in reports: a wrong separator puts a whole line in one field. */
const MAX_VALUE_LENGTH = 120;

export function rejet(ligne: number, champ: string, valeur: string, message: string, fichier?: string): Rejet {
  const cut = valeur.length > MAX_VALUE_LENGTH ? `${valeur.slice(0, MAX_VALUE_LENGTH)}…` : valeur;
  return fichier === undefined
    ? { ligne, champ, valeur: cut, message }
    : { ligne, champ, valeur: cut, message, fichier };
}

/** "communes.csv ligne 12, champ code_insee « 1400 » : commune inconnue" */
export function formatRejet(r: Rejet): string {
  const where = `${r.fichier ? `${r.fichier} ` : ""}ligne ${r.ligne}`;
  const value = r.valeur === "" ? "(vide)" : `« ${r.valeur} »`;
  return `${where}, champ ${r.champ} ${value} : ${r.message}`;
}

/** The French rendering for the CLI: one rejection per line, the first `max`, then how many more. */
export function formatRapportRejets(rejets: readonly Rejet[], options: { max?: number; total?: number } = {}): string {
  const max = options.max ?? 20;
  const total = options.total ?? rejets.length;
  if (total === 0) return "Aucune ligne rejetée.";
  const lines = [`${total.toLocaleString("fr-FR")} ligne${total > 1 ? "s" : ""} rejetée${total > 1 ? "s" : ""} :`];
  for (const r of rejets.slice(0, max)) lines.push(`  ${formatRejet(r)}`);
  if (total > Math.min(max, rejets.length))
    lines.push(`  … et ${(total - Math.min(max, rejets.length)).toLocaleString("fr-FR")} autres`);
  return lines.join("\n");
}

/** The JSON rendering (API responses, `--json`): plain objects, keys in French. */
export function rapportRejetsJson(rejets: readonly Rejet[]): Rejet[] {
  return rejets.map((r) => ({ ...r }));
}

/** The CSV rendering (`--rapport FICHIER`): `;`, UTF-8 BOM, as every CSV of the platform. */
export function rapportRejetsCsv(rejets: readonly Rejet[]): string {
  return toCsv(rejets, [
    { header: "fichier", value: (r) => r.fichier ?? "" },
    { header: "ligne", value: (r) => r.ligne },
    { header: "champ", value: (r) => r.champ },
    { header: "valeur", value: (r) => r.valeur },
    { header: "message", value: (r) => r.message },
  ]);
}

/**
 * The whole file is unusable (wrong separator or encoding, missing columns): nothing is loaded and
 * the import is refused with these rejections (usually one, naming line 1 and the header).
 */
export class ThdFileError extends Error {
  override name = "ThdFileError";
  constructor(
    message: string,
    readonly rejets: Rejet[] = [],
  ) {
    super(message);
  }
}
