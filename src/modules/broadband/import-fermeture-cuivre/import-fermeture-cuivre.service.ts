import type { AppDatabase } from "../../../shared/db/database.ts";
import { ignoreProgress, type ProgressListener } from "../../../shared/progress/progress.ts";
import type { ThdFermetureCuivreTable } from "../broadband.tables.ts";
import { communeResolver } from "../import-common/commune-codes.ts";
import { openCsv } from "../import-common/csv-reader.ts";
import { parseDate } from "../import-common/fields.ts";
import { columnsOf } from "../import-common/file-checks.ts";
import { rejet, ThdFileError } from "../import-common/rejections.ts";
import { runThdImport, type ThdImportContext, type ThdImportResult } from "../import-common/run-thd-import.ts";

/**
 * Copper closure per commune, in the format of data.economie.gouv.fr « fermeture-reseau-cuivre »
 * (Opendatasoft export, see README.md for exactly what is accepted).
 */
export interface ImportFermetureCuivreOptions {
  trimestre: string;
  fichier: string;
  simule?: boolean;
  region?: string;
  ignorerRejets?: boolean;
  importePar?: string | null;
  onProgress?: ProgressListener;
}

export interface FermetureCuivreDetails {
  /** COG 2026 communes written. */
  communes: number;
  avecDateTechnique: number;
  /** Source codes (former or delegated communes) folded into another current commune. */
  codesRattaches: number;
  /** Lines of communes of other régions, skipped. */
  autresRegions: number;
}

const COLUMNS = {
  obligatoires: [["code_insee", "code insee", "insee_com", "code_commune"]],
  facultatives: [
    ["fermeture_technique", "date_fermeture_technique", "fct"],
    ["fermeture_commerciale", "date_fermeture_commerciale", "fcc"],
    ["output_usager", "message", "message_usager"],
    ["lot", "num_lot", "num_lot_fz"],
  ],
} as const;

/** Imports a copper-closure calendar into thd_fermeture_cuivre for one quarter (replacing that quarter's calendar). */
export async function importFermetureCuivre(
  db: AppDatabase,
  options: ImportFermetureCuivreOptions,
): Promise<ThdImportResult<FermetureCuivreDetails>> {
  return runThdImport(
    db,
    {
      trimestre: options.trimestre,
      format: "fermeture-cuivre",
      fichier: options.fichier,
      ...(options.simule !== undefined ? { simule: options.simule } : {}),
      ...(options.ignorerRejets !== undefined ? { ignorerRejets: options.ignorerRejets } : {}),
      ...(options.importePar !== undefined ? { importePar: options.importePar } : {}),
      onProgress: options.onProgress ?? ignoreProgress,
    },
    (ctx) => apply(ctx, options.region ?? "28"),
  );
}

async function apply(
  ctx: ThdImportContext,
  region: string,
): Promise<{ lignes: number; details: FermetureCuivreDetails }> {
  const communes = communeResolver(region);
  const file = ctx.fichiers[0];
  if (!file) throw new Error("fichier absent");
  const reader = await openCsv(file.chemin, { encodage: file.encodage, separateur: "auto" });
  const details: FermetureCuivreDetails = { communes: 0, avecDateTechnique: 0, codesRattaches: 0, autresRegions: 0 };
  const rows = new Map<string, ThdFermetureCuivreTable>();
  const seen = new Set<string>();
  let columns: Map<string, number> | undefined;
  let lignes = 0;
  for await (const batch of reader.batches()) {
    for (const line of batch) {
      if (!columns) {
        columns = columnsOf(line, COLUMNS, file.nom);
        if (!columns.has("fermeture_technique") && !columns.has("output_usager")) {
          const message = "colonne fermeture_technique ou output_usager attendue";
          throw new ThdFileError(`${file.nom} : ${message}`, [
            rejet(line.ligne, "en-tête", line.champs.join("|"), message, file.nom),
          ]);
        }
        continue;
      }
      lignes++;
      const field = (name: string) => {
        const at = columns?.get(name);
        return at === undefined ? "" : (line.champs[at] ?? "").trim();
      };
      const rawCode = field("code_insee");
      const resolved = communes.resolve(rawCode);
      if (resolved.kind === "autre") {
        details.autresRegions++;
        continue;
      }
      if (resolved.kind !== "commune") {
        ctx.rejeter(rejet(line.ligne, "code_insee", rawCode, resolved.message, file.nom));
        continue;
      }
      if (seen.has(rawCode)) {
        ctx.rejeter(rejet(line.ligne, "code_insee", rawCode, "commune en double dans le fichier", file.nom));
        continue;
      }
      seen.add(rawCode);
      const dates: Record<"fermeture_technique" | "fermeture_commerciale", string | null> = {
        fermeture_technique: null,
        fermeture_commerciale: null,
      };
      let bad = false;
      for (const name of ["fermeture_technique", "fermeture_commerciale"] as const) {
        const text = field(name);
        if (text === "") continue;
        const date = parseDate(text);
        if (!date) {
          ctx.rejeter(rejet(line.ligne, name, text, "date attendue (AAAA-MM-JJ ou JJ/MM/AAAA)", file.nom));
          bad = true;
          break;
        }
        dates[name] = date;
      }
      if (bad) continue;
      if (
        dates.fermeture_commerciale &&
        dates.fermeture_technique &&
        dates.fermeture_commerciale > dates.fermeture_technique
      ) {
        ctx.rejeter(
          rejet(
            line.ligne,
            "fermeture_commerciale",
            field("fermeture_commerciale"),
            "la fermeture commerciale ne peut suivre la fermeture technique",
            file.nom,
          ),
        );
        continue;
      }
      const row: ThdFermetureCuivreTable = {
        trimestre: ctx.trimestre,
        code_insee: resolved.code,
        lot: field("lot") || null,
        fermeture_commerciale: dates.fermeture_commerciale,
        fermeture_technique: dates.fermeture_technique,
        message_usager: field("output_usager") || null,
      };
      if (resolved.code !== rawCode.padStart(5, "0")) details.codesRattaches++;
      const previous = rows.get(resolved.code);
      if (previous) {
        // Several former communes of one commune nouvelle: copper is gone from the whole commune
        // only when its last part closes, so the latest dates are kept.
        const later = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a > b ? a : b);
        previous.fermeture_technique = later(previous.fermeture_technique, row.fermeture_technique);
        previous.fermeture_commerciale = later(previous.fermeture_commerciale, row.fermeture_commerciale);
        previous.lot = previous.lot ?? row.lot;
        previous.message_usager = previous.message_usager ?? row.message_usager;
      } else rows.set(resolved.code, row);
    }
    ctx.onProgress({ step: `Fermeture du cuivre ${ctx.trimestre}`, done: lignes, total: null });
  }
  if (!columns)
    throw new ThdFileError(`${file.nom} : fichier vide`, [rejet(1, "en-tête", "", "fichier vide", file.nom)]);
  details.communes = rows.size;
  details.avecDateTechnique = [...rows.values()].filter((r) => r.fermeture_technique !== null).length;
  if (ctx.nombreRejets() > 0 && !ctx.ignorerRejets) return { lignes, details };

  await ctx.db.deleteFrom("thd_fermeture_cuivre").where("trimestre", "=", ctx.trimestre).execute();
  const values = [...rows.values()].sort((a, b) => a.code_insee.localeCompare(b.code_insee));
  for (let i = 0; i < values.length; i += 1000) {
    await ctx.db
      .insertInto("thd_fermeture_cuivre")
      .values(values.slice(i, i + 1000))
      .execute();
  }
  return { lignes, details };
}
