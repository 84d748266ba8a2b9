import { type Kysely, sql } from "kysely";
import { type AppDatabase, chunkRows } from "../../../shared/db/database.ts";
import { ignoreProgress, type ProgressListener } from "../../../shared/progress/progress.ts";
import { aggregateAfterImport } from "../aggregate-buildings/aggregate-buildings.ts";
import type { BroadbandTables, ThdImmeubleTable } from "../broadband.tables.ts";
import {
  analyzeAfterBulkLoad,
  type BulkColumn,
  bulkStatement,
  dropIndexesForBulkLoad,
  withBulkCache,
} from "../import-common/bulk-writer.ts";
import type { CsvLine } from "../import-common/csv-reader.ts";
import { columnsOf } from "../import-common/file-checks.ts";
import { readImportRecords } from "../import-common/read-records.ts";
import { type Rejet, rejet } from "../import-common/rejections.ts";
import { runThdImport, type ThdImportContext, type ThdImportResult } from "../import-common/run-thd-import.ts";
import { IPE_ID_PREFIX, mergeIntoBaseImbBuildings } from "../import-ipe/import-ipe.service.ts";
import { normaliseTypeImmeuble, parseDecimal } from "../import-ipe/ipe-format.ts";
import { webMercatorToLonLat } from "../import-ipe/parse-ipe.ts";
import { defaultRegion, departementOf, departementSql, regionCommuneResolver } from "../import-ipe/region-communes.ts";
import { linkStrategicSites } from "../import-sites/import-sites.service.ts";

/**
 * ARCEP « Ma connexion internet » base_imb (reference §1.2), 2026 columns; the 2020 names of the
 * position columns (imb_longitude, imb_latitude) are accepted too. Positions are EPSG:3857 metres.
 */
const COLUMNS = {
  obligatoires: ["imb_id", ["imb_x", "imb_longitude"], ["imb_y", "imb_latitude"], "imb_code_insee", "imb_nbr_logloc"],
  facultatives: [
    "imb_code",
    "imb_source",
    "imb_type",
    "addr_code",
    "imb_num",
    "addr_numero",
    "addr_rep",
    "addr_nom_voie",
    "addr_nom_ld",
    "addr_code_insee",
    "addr_nom_commune",
    "addr_id_fantoir",
    "addr_source",
  ],
} as const;

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

export type BaseImbParseResult =
  | { ok: true; row: Omit<ThdImmeubleTable, "trimestre"> }
  | { ok: false; rejets: Rejet[] };

/** Builds the parser of one base_imb file from its header (ThdFileError when a column is missing). */
export function createBaseImbParser(
  header: CsvLine,
  options: { fichier: string; region: string; currentCommuneCode(code: string): string | undefined },
): (line: CsvLine) => BaseImbParseResult {
  const col = columnsOf(header, COLUMNS, options.fichier);
  const at = (name: string) => col.get(name) ?? -1;
  const idx = {
    id: at("imb_id"),
    x: at("imb_x"),
    y: at("imb_y"),
    insee: at("imb_code_insee"),
    logloc: at("imb_nbr_logloc"),
    code: at("imb_code"),
    type: at("imb_type"),
    addrCode: at("addr_code"),
    numero: at("addr_numero"),
    rep: at("addr_rep"),
    voie: at("addr_nom_voie"),
    lieuDit: at("addr_nom_ld"),
    addrSource: at("addr_source"),
  };
  const names = { x: header.champs[idx.x]?.trim() ?? "imb_x", y: header.champs[idx.y]?.trim() ?? "imb_y" };
  // Per line, the helpers below are shared (no closure created per line: millions of lines).
  let f: string[] = [];
  let ligne = 0;
  let rejets: Rejet[] = [];
  const get = (i: number) => (i === -1 ? "" : (f[i] ?? "").trim());
  const fail = (champ: string, valeur: string, message: string) =>
    rejets.push(rejet(ligne, champ, valeur, message, options.fichier));
  const optional = (s: string) => (s === "" ? null : s);
  return (line) => {
    f = line.champs;
    ligne = line.ligne;
    rejets = [];

    const id = get(idx.id);
    if (id === "") fail("imb_id", id, "identifiant d'immeuble obligatoire");
    else if (id.startsWith(IPE_ID_PREFIX)) fail("imb_id", id, "identifiant réservé aux immeubles créés par un IPE");
    const inseeText = get(idx.insee);
    const codeInsee = inseeText === "" ? undefined : options.currentCommuneCode(inseeText);
    if (codeInsee === undefined)
      fail(
        "imb_code_insee",
        inseeText,
        inseeText === "" ? "code INSEE obligatoire" : `commune inconnue dans la région ${options.region} (COG 2026)`,
      );
    const loglocText = get(idx.logloc);
    const nbLocaux = COUNT.test(loglocText) ? Number(loglocText) : undefined;
    if (nbLocaux === undefined) fail("imb_nbr_logloc", loglocText, "nombre de locaux entier attendu");
    const xText = get(idx.x);
    const yText = get(idx.y);
    let lon: number | null = null;
    let lat: number | null = null;
    if (xText !== "" || yText !== "") {
      const x = parseDecimal(xText);
      const y = parseDecimal(yText);
      if (x === undefined) fail(names.x, xText, "coordonnée numérique attendue (EPSG:3857)");
      else if (y === undefined) fail(names.y, yText, "coordonnée numérique attendue (EPSG:3857)");
      else if (Math.abs(x) > 20037508.35 || Math.abs(y) > 20037508.35)
        fail(names.x, `${xText} ${yText}`, "coordonnées hors de l'emprise EPSG:3857");
      else ({ lon, lat } = webMercatorToLonLat(x, y));
    }
    const typeText = get(idx.type);
    const type = typeText === "" ? null : (normaliseTypeImmeuble(typeText) ?? null);
    if (typeText !== "" && type === null) fail("imb_type", typeText, "type inconnu : attendu PA ou IM");
    if (rejets.length > 0 || codeInsee === undefined || nbLocaux === undefined) return { ok: false, rejets };
    const addrCode = get(idx.addrCode);
    return {
      ok: true,
      row: {
        id,
        code_ipe: optional(get(idx.code)),
        adresse_id: get(idx.addrSource).toLowerCase() === "ban" ? optional(addrCode) : null,
        code_insee: codeInsee,
        numero: optional(get(idx.numero)),
        rep: optional(get(idx.rep).toLowerCase()),
        nom_voie: optional(get(idx.voie)) ?? optional(get(idx.lieuDit)),
        lon,
        lat,
        type,
        nb_locaux: nbLocaux,
        reseau: null,
        operateur_infra: null,
        etat_ftth: null,
        reference_pm: null,
        etat_pm: null,
        date_mes_commerciale: null,
        date_prevue: null,
      },
    };
  };
}

const COUNT = /^\d{1,6}$/;

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
  const { db, trimestre } = ctx;
  const currentCommuneCode = regionCommuneResolver(region);
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
  let buffer: unknown[][] = [];
  let immeubles = 0;

  const flush = async () => {
    if (buffer.length > 0 && (ctx.nombreRejets() === 0 || ctx.ignorerRejets)) await upsert.run(buffer);
    immeubles += buffer.length;
    buffer = [];
  };

  const lignes = await readImportRecords(ctx, "base_imb", {
    header: (header, fichier) => createBaseImbParser(header, { fichier: fichier.nom, region, currentCommuneCode }),
    record: (parse, csvLine, fichier) => {
      const result = parse(csvLine);
      if (!result.ok) {
        for (const r of result.rejets) ctx.rejeter(r);
        return;
      }
      const previous = seen.get(result.row.id);
      if (previous !== undefined) {
        ctx.rejeter(
          rejet(
            csvLine.ligne,
            "imb_id",
            result.row.id,
            `immeuble en double : déjà décrit ligne ${previous}`,
            fichier.nom,
          ),
        );
        return;
      }
      seen.set(result.row.id, csvLine.ligne);
      departements.add(departementOf(result.row.code_insee));
      const row = result.row;
      buffer.push([
        trimestre,
        row.id,
        row.code_ipe,
        row.adresse_id,
        row.code_insee,
        row.numero,
        row.rep,
        row.nom_voie,
        row.lon,
        row.lat,
        row.type,
        row.nb_locaux,
      ]);
    },
    afterBatch: async () => {
      if (buffer.length >= upsert.rowsPerRun) await flush();
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
  const communesAgregees = await aggregateAfterImport(ctx, recompute);
  // Strategic sites follow their buildings (link and connection date).
  await linkStrategicSites(db, trimestre);
  return {
    lignes,
    details: { immeubles, departements: deps, supprimes, rapprochesIpe, communesAgregees },
  };
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
