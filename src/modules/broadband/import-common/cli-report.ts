import { writeFileSync } from "node:fs";
import { formatRapportRejets, rapportRejetsCsv } from "./rejections.ts";
import type { ThdImportResult } from "./run-thd-import.ts";

const fmt = (n: number) => Math.round(n).toLocaleString("fr-FR");

/**
 * Prints the outcome of a `territoire import <format>` command in French, the same way for every
 * format, writes the rejection report as CSV when asked, and sets the exit code (1 when refused).
 * `describeDetails` renders the importer's own figures (one line each).
 */
export function printImportResult<D>(
  result: ThdImportResult<D>,
  options: { rapport?: string; describeDetails?: (details: D) => string[]; out?: (line: string) => void } = {},
): void {
  const out = options.out ?? ((line: string) => console.log(line));
  if (result.statut === "deja_importe") {
    out(
      `Rien à faire : ${result.fichier} (SHA-256 ${result.sha256.slice(0, 12)}…) a déjà été importé dans le trimestre ${result.trimestre} le ${result.importeLe.slice(0, 10)}.`,
    );
    return;
  }
  const seconds = Math.max(result.dureeMs, 1) / 1000;
  if (result.statut === "refuse") {
    out(`Import refusé (trimestre ${result.trimestre} inchangé) : ${result.message}`);
    out(formatRapportRejets(result.rapport, { total: result.rejets }));
    process.exitCode = 1;
  } else {
    out(
      `${fmt(result.lignes)} lignes lues en ${seconds.toFixed(1)} s (${fmt(result.lignes / seconds)} lignes/s), importées dans le trimestre ${result.trimestre} (brouillon).`,
    );
    for (const line of options.describeDetails?.(result.details) ?? []) out(line);
    if (result.rejets > 0) out(formatRapportRejets(result.rapport, { total: result.rejets }));
  }
  if (options.rapport && result.rejets > 0) {
    writeFileSync(options.rapport, rapportRejetsCsv(result.rapport));
    out(`Rapport des rejets : ${options.rapport}`);
  }
}
