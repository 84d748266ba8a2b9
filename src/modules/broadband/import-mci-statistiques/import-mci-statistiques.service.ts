import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import type { AppDatabase } from "../../../shared/db/database.ts";
import { ignoreProgress, type ProgressListener } from "../../../shared/progress/progress.ts";
import type { ClasseDebit, ThdStatCommuneTable, Variante } from "../broadband.tables.ts";
import { CLASSES_DEBIT } from "../broadband.tables.ts";
import { communeResolver } from "../import-common/commune-codes.ts";
import { openCsv } from "../import-common/csv-reader.ts";
import { parseCount } from "../import-common/fields.ts";
import { assertUtf8, columnsOf } from "../import-common/file-checks.ts";
import { rejet, ThdFileError } from "../import-common/rejections.ts";
import { runThdImport, type ThdImportContext, type ThdImportResult } from "../import-common/run-thd-import.ts";
import {
  deleteStatCommunesOfSource,
  type StatCommuneRow,
  upsertStatCommunes,
} from "../import-common/stat-commune.repository.ts";
import {
  MCI_STAT_FILE_NAMES,
  type MciStatFile,
  mciStatFileKind,
  TECHNO_COLUMNS,
  THRESHOLD_COLUMNS,
  type Thresholds,
  thresholdsToBins,
  VARIANT_OF_FILE,
} from "./mci-statistiques-format.ts";

export const MCI_STATISTIQUES_SOURCE = "mci-statistiques";

export interface ImportMciStatistiquesOptions {
  trimestre: string;
  /** Paths of commune_debit.csv, commune_debit_terrestre.csv, commune_debit_filaire.csv, commune_techno.csv (any subset, each at most once; recognised by name). */
  fichiers: readonly string[];
  /** The figures are simulated (demo): the quarter is marked so. */
  simule?: boolean;
  region?: string;
  ignorerRejets?: boolean;
  importePar?: string | null;
}

export interface MciStatistiquesDetails {
  /** COG 2026 communes written. */
  communes: number;
  /** Files read, by kind ("debit", "debit_terrestre", "debit_filaire", "techno"). */
  fichiers: MciStatFile[];
  /** Lines of communes of other régions, skipped. */
  autresRegions: number;
  /** Lines whose `type` is not "all" (logements / locaux pro split of the 2020 files), skipped. */
  autresTypes: number;
}

/** A bad list of files (unknown name, same kind twice, nothing to read): one French line. */
export class MciStatFilesError extends Error {
  override name = "MciStatFilesError";
}

/**
 * The statistics files among paths: a directory gives the four files it holds (others ignored),
 * a file must be one of the four.
 */
export function mciStatisticsFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (statSync(p).isDirectory()) {
      for (const name of readdirSync(p).sort()) if (mciStatFileKind(name)) out.push(path.join(p, name));
    } else {
      if (!mciStatFileKind(path.basename(p)))
        throw new MciStatFilesError(
          `${path.basename(p)} : fichier de statistiques inconnu (attendus : ${Object.values(MCI_STAT_FILE_NAMES).join(", ")})`,
        );
      out.push(p);
    }
  }
  if (out.length === 0)
    throw new MciStatFilesError(`Aucun fichier de statistiques (${Object.values(MCI_STAT_FILE_NAMES).join(", ")})`);
  return out;
}

/** Figures of one commune (COG 2026), summed over the source codes folded into it. */
interface CommuneFigures {
  locaux: number;
  classes: Partial<Record<`${Variante}_${ClasseDebit}`, number>>;
  techno: Partial<Record<(typeof TECHNO_COLUMNS)[number][0], number>>;
}

/**
 * Imports one quarter of ARCEP « Ma connexion internet » commune statistics into thd_stat_commune
 * (source "mci-statistiques"): the three speed files give the class bins of the three variants
 * (cumulative thresholds converted), the technology file the per-technology counts and the FttH
 * connectable counts. Only rows of type "all". One import (transactional, idempotent) for all files.
 * Usable without the CLI (the demo generator loads its simulated quarters with it).
 */
export async function importMciStatistiques(
  db: AppDatabase,
  options: ImportMciStatistiquesOptions,
  progress: ProgressListener = ignoreProgress,
): Promise<ThdImportResult<MciStatistiquesDetails>> {
  const kinds = new Map<MciStatFile, string>();
  for (const f of options.fichiers) {
    const kind = mciStatFileKind(path.basename(f));
    if (!kind) throw new MciStatFilesError(`${path.basename(f)} : fichier de statistiques inconnu`);
    if (kinds.has(kind)) throw new MciStatFilesError(`${MCI_STAT_FILE_NAMES[kind]} donné deux fois`);
    kinds.set(kind, f);
  }
  if (kinds.size === 0) throw new MciStatFilesError("Aucun fichier de statistiques");
  return runThdImport(
    db,
    {
      trimestre: options.trimestre,
      format: "mci-statistiques",
      fichier: [...kinds.values()],
      ...(options.simule !== undefined ? { simule: options.simule } : {}),
      ...(options.ignorerRejets !== undefined ? { ignorerRejets: options.ignorerRejets } : {}),
      ...(options.importePar !== undefined ? { importePar: options.importePar } : {}),
      onProgress: progress,
    },
    (ctx) => apply(ctx, options.region ?? "28"),
  );
}

async function apply(
  ctx: ThdImportContext,
  region: string,
): Promise<{ lignes: number; details: MciStatistiquesDetails }> {
  const communes = communeResolver(region);
  const figures = new Map<string, CommuneFigures>();
  const details: MciStatistiquesDetails = { communes: 0, fichiers: [], autresRegions: 0, autresTypes: 0 };
  let lignes = 0;

  for (const [index, file] of ctx.fichiers.entries()) {
    const kind = mciStatFileKind(file.nom) as MciStatFile;
    details.fichiers.push(kind);
    if (file.encodage !== "utf-8") await assertUtf8(file.chemin, file.nom);
    const reader = await openCsv(file.chemin, { encodage: "utf-8", separateur: ";" });
    const valueColumns = kind === "techno" ? TECHNO_COLUMNS : THRESHOLD_COLUMNS;
    let columns: Map<string, number> | undefined;
    // The same source code twice in one file would be counted twice.
    const seen = new Set<string>();
    for await (const batch of reader.batches()) {
      for (const line of batch) {
        if (!columns) {
          columns = columnsOf(
            line,
            {
              obligatoires: ["code_insee", "nbr", ...valueColumns.filter((c) => c[0] !== "inel_hd")],
              facultatives: ["type", ["inel_hd", "inel"]],
            },
            file.nom,
          );
          continue;
        }
        lignes++;
        const field = (name: string) => line.champs[columns?.get(name) ?? -1] ?? "";
        const type = columns.has("type") ? field("type").trim().toLowerCase() : "all";
        if (type !== "all") {
          if (type !== "log" && type !== "loc")
            ctx.rejeter(rejet(line.ligne, "type", field("type"), "« all », « log » ou « loc » attendu", file.nom));
          else details.autresTypes++;
          continue;
        }
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
        if (seen.has(rawCode.trim())) {
          ctx.rejeter(rejet(line.ligne, "code_insee", rawCode, "commune en double dans le fichier", file.nom));
          continue;
        }
        seen.add(rawCode.trim());
        const values: Record<string, number> = {};
        let bad = false;
        for (const name of ["nbr", ...valueColumns.map((c) => c[0])]) {
          if (!columns.has(name)) continue;
          const value = parseCount(field(name));
          if (value === undefined) {
            ctx.rejeter(rejet(line.ligne, name, field(name), "nombre entier positif attendu", file.nom));
            bad = true;
            break;
          }
          values[name] = value;
        }
        if (bad) continue;
        const nbr = values.nbr as number;
        const entry = figures.get(resolved.code) ?? { locaux: 0, classes: {}, techno: {} };
        if (kind === "techno") {
          const over = TECHNO_COLUMNS.find((c) => (values[c[0]] ?? 0) > nbr);
          if (over) {
            ctx.rejeter(rejet(line.ligne, over[0], field(over[0]), `plus de locaux que nbr (${nbr})`, file.nom));
            continue;
          }
          for (const [name] of TECHNO_COLUMNS) entry.techno[name] = (entry.techno[name] ?? 0) + (values[name] ?? 0);
        } else {
          // Without an inéligible column, everything below 0.5 Mbit/s is what HD05 leaves.
          const thresholds: Thresholds = {
            nbr,
            inel_hd: values.inel_hd ?? nbr - (values.elig_hd05 as number),
            elig_hd05: values.elig_hd05 as number,
            elig_hd3: values.elig_hd3 as number,
            elig_bhd8: values.elig_bhd8 as number,
            elig_thd30: values.elig_thd30 as number,
            elig_thd100: values.elig_thd100 as number,
          };
          const converted = thresholdsToBins(thresholds);
          if ("incoherent" in converted) {
            ctx.rejeter(
              rejet(
                line.ligne,
                converted.incoherent,
                field(converted.incoherent),
                "seuils incohérents : chaque seuil doit compter au plus les locaux du seuil précédent (et nbr au plus)",
                file.nom,
              ),
            );
            continue;
          }
          const variante = VARIANT_OF_FILE[kind];
          for (const classe of CLASSES_DEBIT) {
            const key = `${variante}_${classe}` as const;
            entry.classes[key] = (entry.classes[key] ?? 0) + converted.bins[classe];
          }
        }
        // The premises count is the same in every file: it is taken from the first file that lists the commune.
        if (index === 0 || !figures.has(resolved.code)) entry.locaux += nbr;
        figures.set(resolved.code, entry);
      }
      ctx.onProgress({ step: `Statistiques MCI ${ctx.trimestre} (${file.nom})`, done: lignes, total: null });
    }
    if (!columns)
      throw new ThdFileError(`${file.nom} : fichier vide`, [rejet(1, "en-tête", "", "fichier vide", file.nom)]);
  }

  details.communes = figures.size;
  if (ctx.nombreRejets() > 0 && !ctx.ignorerRejets) return { lignes, details };

  const hasTechno = details.fichiers.includes("techno");
  const variants = details.fichiers
    .filter((k): k is Exclude<MciStatFile, "techno"> => k !== "techno")
    .map((k) => VARIANT_OF_FILE[k]);
  const columns: (keyof ThdStatCommuneTable)[] = ["locaux"];
  for (const v of variants) for (const c of CLASSES_DEBIT) columns.push(`${v}_${c}`);
  if (hasTechno)
    columns.push(
      "techno_cu",
      "techno_coax",
      "techno_ftth",
      "techno_4gf",
      "techno_thdr",
      "techno_sat",
      "ftth_raccordables",
      "ftth_raccordables_demande",
    );
  const rows: StatCommuneRow[] = [...figures]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, f]) => ({
      trimestre: ctx.trimestre,
      code_insee: code,
      source: MCI_STATISTIQUES_SOURCE,
      locaux: f.locaux,
      ...f.classes,
      ...(hasTechno
        ? {
            techno_cu: f.techno.elig_cu ?? 0,
            techno_coax: f.techno.elig_coax ?? 0,
            techno_ftth: f.techno.elig_ftth_rac ?? 0,
            techno_4gf: f.techno.elig_4gf ?? 0,
            techno_thdr: f.techno.elig_thdr ?? 0,
            techno_sat: f.techno.elig_sat ?? 0,
            ftth_raccordables: f.techno.elig_ftth_rac ?? 0,
            ftth_raccordables_demande: f.techno.elig_ftth_rad ?? 0,
          }
        : {}),
    }));
  await deleteStatCommunesOfSource(ctx.db, ctx.trimestre, MCI_STATISTIQUES_SOURCE);
  await upsertStatCommunes(ctx.db, rows, columns as Parameters<typeof upsertStatCommunes>[2]);
  return { lignes, details };
}
