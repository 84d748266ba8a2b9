import { createHash, randomUUID } from "node:crypto";
import path from "node:path";
import type { Kysely } from "kysely";
import type { AppDatabase } from "../../../shared/db/database.ts";
import { ignoreProgress, type ProgressListener } from "../../../shared/progress/progress.ts";
import type { AccountsTables } from "../../accounts/accounts.tables.ts";
import { recordAudit } from "../../accounts/audit-log/record-audit.ts";
import type { BroadbandTables, ThdImportFormat } from "../broadband.tables.ts";
import { quarterCode } from "../quarters/quarter-code.ts";
import { assertQuarterWritable, ensureDraftQuarter } from "../quarters/quarters.service.ts";
import { CsvFileError, type CsvFileFacts, inspectCsvFile } from "./csv-reader.ts";
import { type Rejet, rejet, ThdFileError } from "./rejections.ts";

export interface ThdImportRequest {
  /** Quarter code ("2018T1"); created as a draft when absent; a published quarter is refused. */
  trimestre: string;
  format: ThdImportFormat;
  /** One file, or several read as one import (e.g. the four MCI statistics files of a quarter). */
  fichier: string | readonly string[];
  /** Marks the quarter as simulated (demo data). */
  simule?: boolean;
  /** Load the good lines even when some are rejected (default: any rejection → nothing written). */
  ignorerRejets?: boolean;
  /** Who imports ("utilisateur:<email>", "cli", "demo"…), kept on the thd_import row and in the audit log. */
  importePar?: string | null;
  onProgress?: ProgressListener;
}

export interface ThdImportFile extends CsvFileFacts {
  chemin: string;
  /** Base name, as rejections name it. */
  nom: string;
}

/** What `apply` gets: the transaction, the files (with their encoding and hash), a rejection sink. */
export interface ThdImportContext {
  /** The transaction: write only through it. */
  db: Kysely<BroadbandTables>;
  trimestre: string;
  fichiers: ThdImportFile[];
  /** Records a rejected line; the line must then not be written (or be written and rolled back). */
  rejeter(r: Rejet): void;
  /** Number of rejections so far. */
  nombreRejets(): number;
  /** True when the import goes on past rejections (`ignorerRejets`): worth writing the good lines. */
  ignorerRejets: boolean;
  onProgress: ProgressListener;
}

export interface ThdApplyResult<D> {
  /** Data lines read (all files together). */
  lignes: number;
  /** Importer-specific figures (rows written, communes skipped…), returned as they are. */
  details: D;
}

export type ThdImportApply<D> = (ctx: ThdImportContext) => Promise<ThdApplyResult<D>>;

interface ThdImportBase {
  trimestre: string;
  format: ThdImportFormat;
  fichier: string;
  sha256: string;
}

export type ThdImportResult<D> =
  | (ThdImportBase & { statut: "deja_importe"; dejaImporte: true; importId: string; importeLe: string })
  | (ThdImportBase & {
      statut: "importe";
      dejaImporte: false;
      importId: string;
      lignes: number;
      /** Number of rejected lines (all of them), and the first MAX_REJETS_CONSERVES of them. */
      rejets: number;
      rapport: Rejet[];
      details: D;
      dureeMs: number;
    })
  | (ThdImportBase & {
      statut: "refuse";
      dejaImporte: false;
      /** Why, in French ("12 lignes rejetées : rien n'a été importé"). */
      message: string;
      lignes: number;
      rejets: number;
      rapport: Rejet[];
      dureeMs: number;
    });

/** Rejections kept in memory and returned; beyond, they are only counted. */
export const MAX_REJETS_CONSERVES = 10_000;

class RefusedImport extends Error {
  constructor(
    readonly reason: string,
    readonly lignes: number,
  ) {
    super(reason);
  }
}

/**
 * Runs one import of broadband files into a quarter, the same way for every format:
 * 1. SHA-256 of the file(s) (several files: SHA-256 of their sorted SHA-256s); when this
 *    (quarter, format, sha256) was imported already, returns `deja_importe` and changes nothing;
 * 2. refuses a published quarter (QuarterPublishedError, thrown);
 * 3. runs `apply` inside ONE transaction, with the draft quarter created if needed; when `apply`
 *    throws, or rejects lines without `ignorerRejets`, or the file is unusable (ThdFileError,
 *    CsvFileError), everything is rolled back: the quarter stays as it was;
 * 4. records a thd_import row (and an audit entry) in the same transaction.
 */
export async function runThdImport<D>(
  database: AppDatabase | Kysely<BroadbandTables>,
  request: ThdImportRequest,
  apply: ThdImportApply<D>,
): Promise<ThdImportResult<D>> {
  const db = database as Kysely<BroadbandTables>;
  const started = Date.now();
  const trimestre = quarterCode(request.trimestre);
  const onProgress = request.onProgress ?? ignoreProgress;
  const paths = typeof request.fichier === "string" ? [request.fichier] : [...request.fichier];
  if (paths.length === 0) throw new CsvFileError("aucun fichier à importer");

  const fichiers: ThdImportFile[] = [];
  for (const [i, chemin] of paths.entries()) {
    onProgress({ step: "Empreinte des fichiers", done: i, total: paths.length });
    fichiers.push({ chemin, nom: path.basename(chemin), ...(await inspectCsvFile(chemin)) });
  }
  onProgress({ step: "Empreinte des fichiers", done: paths.length, total: paths.length });
  const sha256 =
    fichiers.length === 1
      ? (fichiers[0] as ThdImportFile).sha256
      : createHash("sha256")
          .update(
            fichiers
              .map((f) => f.sha256)
              .sort()
              .join("\n"),
          )
          .digest("hex");
  const base: ThdImportBase = {
    trimestre,
    format: request.format,
    fichier: fichiers.map((f) => f.nom).join(", "),
    sha256,
  };

  const previous = await db
    .selectFrom("thd_import")
    .select(["id", "importe_le"])
    .where("trimestre", "=", trimestre)
    .where("format", "=", request.format)
    .where("sha256", "=", sha256)
    .executeTakeFirst();
  if (previous) {
    return {
      ...base,
      statut: "deja_importe",
      dejaImporte: true,
      importId: previous.id,
      importeLe: previous.importe_le,
    };
  }
  await assertQuarterWritable(db, trimestre);

  const rapport: Rejet[] = [];
  let rejets = 0;
  const ignorerRejets = request.ignorerRejets === true;
  const refused = (message: string, lignes: number): ThdImportResult<D> => ({
    ...base,
    statut: "refuse",
    dejaImporte: false,
    message,
    lignes,
    rejets,
    rapport,
    dureeMs: Date.now() - started,
  });
  const addRejet = (r: Rejet) => {
    rejets++;
    if (rapport.length < MAX_REJETS_CONSERVES) rapport.push(r);
  };

  try {
    return await db.transaction().execute(async (trx) => {
      await ensureDraftQuarter(trx, trimestre, { simule: request.simule === true });
      const result = await apply({
        db: trx,
        trimestre,
        fichiers,
        rejeter: addRejet,
        nombreRejets: () => rejets,
        ignorerRejets,
        onProgress,
      });
      if (rejets > 0 && !ignorerRejets) {
        throw new RefusedImport(
          `${rejets.toLocaleString("fr-FR")} ligne${rejets > 1 ? "s" : ""} rejetée${rejets > 1 ? "s" : ""} : rien n'a été importé (l'option « ignorer les rejets » charge les lignes valides)`,
          result.lignes,
        );
      }
      const importId = randomUUID();
      const now = new Date().toISOString();
      await trx
        .insertInto("thd_import")
        .values({
          id: importId,
          trimestre,
          format: request.format,
          fichier: base.fichier,
          sha256,
          lignes: result.lignes,
          rejets,
          importe_le: now,
          importe_par: request.importePar ?? null,
        })
        .execute();
      await recordAudit(trx as unknown as Kysely<AccountsTables>, {
        acteur: request.importePar ?? "cli",
        action: `import.${request.format}`,
        cible: trimestre,
        details: { fichier: base.fichier, sha256, lignes: result.lignes, rejets },
      });
      return {
        ...base,
        statut: "importe" as const,
        dejaImporte: false as const,
        importId,
        lignes: result.lignes,
        rejets,
        rapport,
        details: result.details,
        dureeMs: Date.now() - started,
      };
    });
  } catch (error) {
    if (error instanceof RefusedImport) return refused(error.reason, error.lignes);
    if (error instanceof ThdFileError) {
      for (const r of error.rejets) addRejet(r);
      if (error.rejets.length === 0) addRejet(rejet(1, "fichier", "", error.message));
      return refused(error.message, 0);
    }
    if (error instanceof CsvFileError) {
      addRejet(rejet(1, "fichier", "", error.message));
      return refused(error.message, 0);
    }
    throw error;
  }
}
