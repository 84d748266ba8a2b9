import { sql } from "kysely";
import type { AppDatabase } from "../../../shared/db/database.ts";
import { ignoreProgress, type ProgressListener } from "../../../shared/progress/progress.ts";
import { aggregateAfterImport, BuildingFigures } from "../aggregate-buildings/aggregate-buildings.ts";
import {
  analyzeAfterBulkLoad,
  type BulkColumn,
  bulkStatement,
  selectTextColumns,
  withBulkCache,
} from "../import-common/bulk-writer.ts";
import {
  prewarmRecordParsing,
  type RecordParsing,
  readParsedRecords,
  startRecordParsing,
} from "../import-common/parse-records.ts";
import { rejet } from "../import-common/rejections.ts";
import { runThdImport, type ThdImportContext, type ThdImportResult } from "../import-common/run-thd-import.ts";
import { departementOf, departementSql } from "../import-ipe/region-communes.ts";
import { unknownBuilding } from "./parse-eligibilite.ts";

export { createEligibiliteParser, type EligibiliteParseResult } from "./parse-eligibilite.ts";

/** thd_eligibilite's columns, in the order of the rows written. */
const ELIGIBILITE_COLUMNS: readonly BulkColumn[] = [
  ["trimestre", "text"],
  ["immeuble_id", "text"],
  ["operateur", "text"],
  ["techno", "text"],
  ["classe_montant", "text"],
  ["classe_descendant", "text"],
  ["limitation", "integer"],
  ["saturation", "integer"],
];

export interface ImportMciEligibiliteOptions {
  trimestre: string;
  fichier: string | readonly string[];
  simule?: boolean;
  ignorerRejets?: boolean;
  importePar?: string | null;
  /**
   * Recompute the quarter's per-commune figures from its buildings at the end (default true). A
   * loader running base_imb, IPE and eligibilite in a row may leave it to the last one.
   */
  agreger?: boolean;
}

export interface ImportMciEligibiliteDetails {
  lignesEcrites: number;
  /** Départements whose eligibility rows of the quarter were replaced. */
  departements: string[];
  /** Operator codes met that thd_operateur does not name. */
  operateursInconnus: string[];
  communesAgregees: number;
}

/**
 * Imports MCI eligibilite files into a quarter (one row per building, operator and technology).
 * Every imb_id must be a building of the quarter (import base_imb first). Scope: the quarter's
 * eligibility rows of the buildings of the départements present in the file are replaced. The
 * quarter's commune figures are then recomputed.
 */
export async function importMciEligibilite(
  db: AppDatabase,
  options: ImportMciEligibiliteOptions,
  progress: ProgressListener = ignoreProgress,
): Promise<ThdImportResult<ImportMciEligibiliteDetails>> {
  prewarmRecordParsing();
  return runThdImport<ImportMciEligibiliteDetails>(
    db,
    {
      trimestre: options.trimestre,
      format: "mci-eligibilite",
      fichier: options.fichier,
      simule: options.simule === true,
      ignorerRejets: options.ignorerRejets === true,
      importePar: options.importePar ?? null,
      onProgress: progress,
    },
    (ctx) => withBulkCache(ctx.db, () => applyEligibilite(ctx, options.agreger !== false)),
  );
}

async function applyEligibilite(ctx: ThdImportContext, recompute: boolean) {
  // The files are parsed in a worker thread from now on, while the quarter's buildings are read.
  const parsing = startRecordParsing(ctx, { kind: "eligibilite", trimestre: ctx.trimestre });
  try {
    return await writeEligibilite(ctx, recompute, parsing);
  } finally {
    await parsing.stop();
  }
}

async function writeEligibilite(ctx: ThdImportContext, recompute: boolean, parsing: RecordParsing) {
  const { db, trimestre } = ctx;
  // A first import into the quarter has no rows to replace (each delete below scans the buildings).
  const hadRows =
    (await db.selectFrom("thd_eligibilite").select("trimestre").where("trimestre", "=", trimestre).limit(1).execute())
      .length > 0;
  // Then its rows are all the quarter's rows: the commune figures are computed from them as they
  // are written, rather than by grouping the tables again at the end.
  const figures = recompute && !hadRows ? new BuildingFigures() : undefined;

  ctx.onProgress({ step: "Immeubles du trimestre", done: 0, total: 1 });
  /** Building id → index (in buildingDeps, and in `figures`). */
  const buildingIndex = new Map<string, number>();
  const buildingDeps: string[] = [];
  // One département string per commune, shared by its buildings (a million buildings, ~3,000 communes).
  const depOfCommune = new Map<string, string>();
  const addBuilding = (id: string, codeInsee: string) => {
    let dep = depOfCommune.get(codeInsee);
    if (dep === undefined) {
      dep = departementOf(codeInsee);
      depOfCommune.set(codeInsee, dep);
    }
    buildingIndex.set(id, buildingDeps.length);
    buildingDeps.push(dep);
  };
  const [ids, communes, locaux, etats, ois] = await selectTextColumns(
    db,
    figures ? ["id", "code_insee", "nb_locaux", "etat_ftth", "operateur_infra"] : ["id", "code_insee"],
    "thd_immeuble where trimestre = ?",
    [trimestre],
  );
  for (let i = 0; i < (ids as string[]).length; i++) {
    const codeInsee = communes?.[i] as string;
    addBuilding(ids?.[i] as string, codeInsee);
    figures?.addBuilding(codeInsee, Number(locaux?.[i]), etats?.[i] ?? null, ois?.[i] ?? null);
  }
  ctx.onProgress({ step: "Immeubles du trimestre", done: 1, total: 1 });

  const preparedDeps = new Set<string>();
  const operateurs = new Set<string>();
  /** Rows waiting to be written, flat: WIDTH values per row, in ELIGIBILITE_COLUMNS order. */
  let buffer: unknown[] = [];
  let buffered = 0;
  /** Rows sent to the database, and written by it (fewer: duplicates it caught). */
  let lignesEnvoyees = 0;
  // Line number and file of each buffered row, to name the lines of a duplicate the database catches.
  let lines: number[] = [];
  let files: string[] = [];
  let lignesEcrites = 0;
  // Rows of the building being read (files list a building's rows together): duplicates are named
  // by line here; duplicates further apart are caught by the database and reported per batch.
  let currentBuilding = "";
  const currentKeys = new Map<string, number>();

  const prepareDep = async (dep: string) => {
    if (preparedDeps.has(dep)) return;
    preparedDeps.add(dep);
    if (!hadRows) return;
    await sql`
      delete from thd_eligibilite
      where trimestre = ${trimestre} and immeuble_id in (
        select id from thd_immeuble where trimestre = ${trimestre} and ${sql.raw(departementSql("code_insee"))} = ${dep})`.execute(
      db,
    );
  };
  const insert = bulkStatement(db, {
    columns: ELIGIBILITE_COLUMNS,
    sqlite: (values) =>
      `insert into thd_eligibilite (${ELIGIBILITE_COLUMNS.map(([c]) => c).join(", ")}) ${values} on conflict do nothing`,
    postgres: (source) =>
      `insert into thd_eligibilite (${ELIGIBILITE_COLUMNS.map(([c]) => c).join(", ")}) select * from ${source} on conflict do nothing`,
  });
  /** Rows per check of duplicates the database caught (reported by range of lines). */
  const CHUNK = 2_000;
  const flush = async () => {
    if (buffered === 0) return;
    if (ctx.nombreRejets() === 0 || ctx.ignorerRejets) {
      for (let start = 0; start < buffered; start += CHUNK) {
        const end = Math.min(buffered, start + CHUNK);
        const count = end - start;
        const written = await insert.runValues(buffer, start, count);
        lignesEnvoyees += count;
        lignesEcrites += written;
        if (written < count) {
          const first = lines[start] as number;
          const last = lines[end - 1] as number;
          ctx.rejeter(
            rejet(
              first,
              "imb_id;code_operateur;code_techno",
              "",
              `${count - written} ligne(s) entre les lignes ${first} et ${last} répètent l'immeuble, l'opérateur et la technologie d'une ligne précédente`,
              files[start],
            ),
          );
        }
      }
    }
    buffer = [];
    buffered = 0;
    lines = [];
    files = [];
  };

  const lignes = await readParsedRecords(ctx, "eligibilite", parsing, {
    row: (v, o, ligne, fichier) => {
      const id = v[o + 1] as string;
      const building = buildingIndex.get(id);
      if (building === undefined) {
        ctx.rejeter(unknownBuilding(ligne, id, fichier.nom));
        return;
      }
      if (id !== currentBuilding) {
        currentBuilding = id;
        currentKeys.clear();
      }
      const operateur = v[o + 2] as string;
      const techno = v[o + 3] as string;
      const key = `${operateur}\u0000${techno}`;
      const previous = currentKeys.get(key);
      if (previous !== undefined) {
        ctx.rejeter(
          rejet(
            ligne,
            "code_techno",
            techno,
            `ligne en double : même immeuble, opérateur et technologie que la ligne ${previous}`,
            fichier.nom,
          ),
        );
        return;
      }
      currentKeys.set(key, ligne);
      operateurs.add(operateur);
      buffer.push(v[o], id, operateur, techno, v[o + 4], v[o + 5], v[o + 6], v[o + 7]);
      buffered++;
      lines.push(ligne);
      files.push(fichier.nom);
      figures?.addRow(building, operateur, techno, v[o + 5] as string, v[o + 7] as number);
      const dep = buildingDeps[building] as string;
      if (!preparedDeps.has(dep)) return prepareDep(dep);
    },
    rejected: (refused, ligne, fichier) => {
      // The worker does not know the buildings: an unknown imb_id comes first, as the parser puts it.
      if (refused.id !== undefined && refused.id !== "" && !buildingIndex.has(refused.id))
        ctx.rejeter(unknownBuilding(ligne, refused.id, fichier.nom));
      for (const r of refused.rejets) ctx.rejeter(r);
    },
    afterBatch: async () => {
      if (buffered >= insert.rowsPerRun) await flush();
    },
  });
  await flush();
  const departements = [...preparedDeps].sort();
  const known = new Set(
    operateurs.size === 0
      ? []
      : (
          await db
            .selectFrom("thd_operateur")
            .select("code")
            .where("code", "in", [...operateurs])
            .execute()
        ).map((r) => r.code),
  );
  const operateursInconnus = [...operateurs].filter((o) => o !== "" && !known.has(o)).sort();
  if (ctx.nombreRejets() > 0 && !ctx.ignorerRejets)
    return { lignes, details: { lignesEcrites, departements, operateursInconnus, communesAgregees: 0 } };
  await analyzeAfterBulkLoad(db, ["thd_eligibilite", "thd_immeuble"]);
  // The figures hold every row of the quarter only if the database wrote every row sent.
  const communesAgregees = await aggregateAfterImport(
    ctx,
    recompute,
    figures && lignesEcrites === lignesEnvoyees ? figures : undefined,
  );
  return {
    lignes,
    details: { lignesEcrites, departements, operateursInconnus, communesAgregees },
  };
}
