import { type Kysely, sql } from "kysely";
import { type AppDatabase, chunkRows } from "../../../shared/db/database.ts";
import { ignoreProgress, type ProgressListener } from "../../../shared/progress/progress.ts";
import { aggregateAfterImport, BuildingFigures } from "../aggregate-buildings/aggregate-buildings.ts";
import type { BroadbandTables } from "../broadband.tables.ts";
import {
  analyzeAfterBulkLoad,
  type BulkColumn,
  bulkStatement,
  dropIndexesForBulkLoad,
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
import { IPE_ID_PREFIX, mergeIntoBaseImbBuildings } from "../import-ipe/import-ipe.service.ts";
import { defaultRegion, departementOf, departementSql } from "../import-ipe/region-communes.ts";
import { linkStrategicSites } from "../import-sites/import-sites.service.ts";

/** Columns base_imb owns on a building; the FttH columns (set by IPE files) are left alone. */
const BASE_COLUMNS = [
  "code_ipe",
  "adresse_id",
  "code_insee",
  "numero",
  "rep",
  "nom_voie",
  "lon",
  "lat",
  "type",
  "nb_locaux",
] as const;

export interface ImportMciBaseImbOptions {
  trimestre: string;
  fichier: string | readonly string[];
  simule?: boolean;
  ignorerRejets?: boolean;
  importePar?: string | null;
  region?: string;
  /**
   * Recompute the quarter's per-commune figures from its buildings at the end (default true). A
   * loader running base_imb, IPE and eligibilite in a row may leave it to the last one.
   */
  agreger?: boolean;
}

export interface ImportMciBaseImbDetails {
  immeubles: number;
  /** Départements whose base_imb buildings of the quarter were replaced. */
  departements: string[];
  /** Buildings of those départements absent from the file, deleted. */
  supprimes: number;
  /** IPE buildings of the quarter matched to these buildings by code_ipe. */
  rapprochesIpe: number;
  communesAgregees: number;
}

/**
 * Imports MCI base_imb files (one per département, or national) into a quarter's buildings
 * (id = imb_id, code_ipe = imb_code, adresse_id = addr_code when addr_source = ban).
 *
 * Scope: the base_imb buildings of the quarter in the départements present in the file are
 * replaced (upserted; those absent from the file deleted). The FttH fields an IPE import set on
 * them are kept, and IPE-created buildings that now find their base_imb building by code_ipe are
 * folded into it, so base_imb and IPE may be imported in either order. Eligibility rows are left
 * as they are (they follow imb_id). The quarter's commune figures are then recomputed.
 */
export async function importMciBaseImb(
  db: AppDatabase,
  options: ImportMciBaseImbOptions,
  progress: ProgressListener = ignoreProgress,
): Promise<ThdImportResult<ImportMciBaseImbDetails>> {
  const region = options.region ?? defaultRegion();
  prewarmRecordParsing();
  return runThdImport<ImportMciBaseImbDetails>(
    db,
    {
      trimestre: options.trimestre,
      format: "mci-base-imb",
      fichier: options.fichier,
      simule: options.simule === true,
      ignorerRejets: options.ignorerRejets === true,
      importePar: options.importePar ?? null,
      onProgress: progress,
    },
    (ctx) => withBulkCache(ctx.db, () => applyBaseImb(ctx, region, options.agreger !== false)),
  );
}

async function applyBaseImb(ctx: ThdImportContext, region: string, recompute: boolean) {
  // The files are parsed in a worker thread from now on, while the table is prepared.
  // Parsed here: a base_imb line is cheap to parse, no cheaper through the worker (measured, 200,000
  // buildings: 2.4–2.7 s either way). The worker, started above, loads meanwhile for the IPE and
  // eligibilite files that usually follow.
  const parsing = startRecordParsing(ctx, { kind: "base_imb", trimestre: ctx.trimestre, region }, "here");
  try {
    return await writeBaseImb(ctx, recompute, parsing);
  } finally {
    await parsing.stop();
  }
}

async function writeBaseImb(ctx: ThdImportContext, recompute: boolean, parsing: RecordParsing) {
  const { db, trimestre } = ctx;
  const seen = new Map<string, number>();
  const departements = new Set<string>();
  // A first import into the quarter has nothing to replace: no need to look for absent buildings.
  const hadBuildings =
    (
      await db
        .selectFrom("thd_immeuble")
        .select("id")
        .where("trimestre", "=", trimestre)
        .where("id", "not like", `${IPE_ID_PREFIX}%`)
        .limit(1)
        .execute()
    ).length > 0;
  const upsert = bulkStatement(db, {
    columns: [["trimestre", "text"], ["id", "text"], ...BASE_COLUMNS.map((c) => [c, BASE_COLUMN_TYPES[c]] as const)],
    sqlite: (values) => `insert into thd_immeuble (trimestre, id, ${BASE_COLUMNS.join(", ")})
      ${values}
      on conflict (trimestre, id) do update set ${BASE_COLUMNS.map((c) => `${c} = excluded.${c}`).join(", ")}`,
    postgres: (source) => `insert into thd_immeuble (trimestre, id, ${BASE_COLUMNS.join(", ")})
      select * from ${source}
      on conflict (trimestre, id) do update set ${BASE_COLUMNS.map((c) => `${c} = excluded.${c}`).join(", ")}`,
  });
  // A first load into a near-empty table: building the secondary indexes once at the end is about
  // twice as fast as maintaining them row by row (SQLite; inside the transaction, so a refused
  // import gives them back as they were).
  const estimatedLines = ctx.fichiers.reduce((sum, f) => sum + f.octets, 0) / 120;
  const rebuildIndexes = hadBuildings ? undefined : await dropIndexesForBulkLoad(db, "thd_immeuble", estimatedLines);
  // When the quarter holds no building at all and no eligibility row, the file's buildings will be
  // all of it: the commune figures are computed from them as they are written, rather than by
  // grouping the tables again at the end.
  const figures =
    recompute &&
    !hadBuildings &&
    !(await quarterHasRows(db, "thd_immeuble", trimestre)) &&
    !(await quarterHasRows(db, "thd_eligibilite", trimestre))
      ? new BuildingFigures()
      : undefined;
  /** Rows waiting to be written, flat: 12 values per row (trimestre, id, BASE_COLUMNS). */
  let buffer: unknown[] = [];
  let buffered = 0;
  let immeubles = 0;

  const flush = async () => {
    if (buffered > 0 && (ctx.nombreRejets() === 0 || ctx.ignorerRejets)) await upsert.runValues(buffer, 0, buffered);
    immeubles += buffered;
    buffer = [];
    buffered = 0;
  };

  const lignes = await readParsedRecords(ctx, "base_imb", parsing, {
    row: (v, o, ligne, fichier) => {
      const id = v[o + 1] as string;
      const previous = seen.get(id);
      if (previous !== undefined) {
        ctx.rejeter(rejet(ligne, "imb_id", id, `immeuble en double : déjà décrit ligne ${previous}`, fichier.nom));
        return;
      }
      seen.set(id, ligne);
      departements.add(departementOf(v[o + 4] as string));
      for (let c = 0; c < 12; c++) buffer.push(v[o + c]);
      buffered++;
      figures?.addBuilding(v[o + 4] as string, v[o + 11] as number, null, null);
    },
    rejected: (refused) => {
      for (const r of refused.rejets) ctx.rejeter(r);
    },
    afterBatch: async () => {
      if (buffered >= upsert.rowsPerRun) await flush();
    },
  });
  await flush();
  await rebuildIndexes?.();
  const deps = [...departements].sort();
  if (ctx.nombreRejets() > 0 && !ctx.ignorerRejets)
    return { lignes, details: { immeubles, departements: deps, supprimes: 0, rapprochesIpe: 0, communesAgregees: 0 } };

  const supprimes = hadBuildings ? await deleteAbsentBuildings(db, trimestre, deps, seen) : 0;
  await analyzeAfterBulkLoad(db, ["thd_immeuble"]);
  ctx.onProgress({ step: "Rapprochement des immeubles IPE", done: 0, total: 1 });
  const rapprochesIpe = await mergeIntoBaseImbBuildings(db, trimestre);
  ctx.onProgress({ step: "Rapprochement des immeubles IPE", done: 1, total: 1 });
  // Nothing to fold (the quarter had no IPE building), so the buildings are the file's.
  const communesAgregees = await aggregateAfterImport(ctx, recompute, rapprochesIpe === 0 ? figures : undefined);
  // Strategic sites follow their buildings (link and connection date).
  await linkStrategicSites(db, trimestre);
  return {
    lignes,
    details: { immeubles, departements: deps, supprimes, rapprochesIpe, communesAgregees },
  };
}

/** True when the table holds at least one row of the quarter. */
async function quarterHasRows(
  db: Kysely<BroadbandTables>,
  table: "thd_immeuble" | "thd_eligibilite",
  trimestre: string,
) {
  return (
    (await db.selectFrom(table).select("trimestre").where("trimestre", "=", trimestre).limit(1).execute()).length > 0
  );
}

const BASE_COLUMN_TYPES: Record<(typeof BASE_COLUMNS)[number], BulkColumn[1]> = {
  code_ipe: "text",
  adresse_id: "text",
  code_insee: "text",
  numero: "text",
  rep: "text",
  nom_voie: "text",
  lon: "double precision",
  lat: "double precision",
  type: "text",
  nb_locaux: "integer",
};

/** Deletes the quarter's base_imb buildings of these départements that the file no longer lists. */
async function deleteAbsentBuildings(
  db: Kysely<BroadbandTables>,
  trimestre: string,
  departements: readonly string[],
  inFile: ReadonlyMap<string, number>,
): Promise<number> {
  if (departements.length === 0) return 0;
  const dep = sql.raw(departementSql("code_insee"));
  const existing = await sql<{ id: string }>`
    select id from thd_immeuble
    where trimestre = ${trimestre} and id not like ${`${IPE_ID_PREFIX}%`}
      and ${dep} in (${sql.join(departements.map((d) => sql`${d}`))})`.execute(db);
  const absent = existing.rows.map((r) => r.id).filter((id) => !inFile.has(id));
  for (const chunk of chunkRows(absent, 1)) {
    await db.deleteFrom("thd_immeuble").where("trimestre", "=", trimestre).where("id", "in", chunk).execute();
  }
  return absent.length;
}

export { type BaseImbParseResult, createBaseImbParser } from "./parse-base-imb.ts";
