import { sql } from "kysely";
import type { AppDatabase } from "../../../shared/db/database.ts";
import { ignoreProgress, type ProgressListener } from "../../../shared/progress/progress.ts";
import { aggregateAfterImport } from "../aggregate-buildings/aggregate-buildings.ts";
import { CLASSES_ARCEP, type ClasseArcep, type Techno, type ThdEligibiliteTable } from "../broadband.tables.ts";
import {
  analyzeAfterBulkLoad,
  type BulkColumn,
  bulkStatement,
  selectRows,
  withBulkCache,
} from "../import-common/bulk-writer.ts";
import type { CsvLine } from "../import-common/csv-reader.ts";
import { columnsOf } from "../import-common/file-checks.ts";
import { readImportRecords } from "../import-common/read-records.ts";
import { type Rejet, rejet } from "../import-common/rejections.ts";
import { runThdImport, type ThdImportContext, type ThdImportResult } from "../import-common/run-thd-import.ts";
import { departementOf, departementSql } from "../import-ipe/region-communes.ts";

/** ARCEP « Ma connexion internet » eligibilite, 2026 columns (reference §1.3). */
const COLUMNS = {
  obligatoires: ["imb_id", "code_techno", "classe_debit_montant", "classe_debit_descendant"],
  facultatives: ["addr_code", "imb_code", "code_operateur", "limitation", "saturation"],
} as const;

const TECHNOS: ReadonlySet<string> = new Set<Techno>(["FO", "CU", "COAX", "4GF", "THDR", "WMX", "SAT"]);
/** The internal model's other spelling of HD radio (reference §1.3). */
const TECHNO_ALIASES: Record<string, Techno> = { WIMX: "WMX" };
const CLASSES: ReadonlySet<string> = new Set(CLASSES_ARCEP);

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

type Row = Omit<ThdEligibiliteTable, "trimestre">;
export type EligibiliteParseResult = { ok: true; row: Row } | { ok: false; rejets: Rejet[] };

/** Builds the parser of one eligibilite file from its header; `buildingExists` checks imb_id. */
export function createEligibiliteParser(
  header: CsvLine,
  options: { fichier: string; buildingExists(id: string): boolean },
): (line: CsvLine) => EligibiliteParseResult {
  const col = columnsOf(header, COLUMNS, options.fichier);
  const at = (name: string) => col.get(name) ?? -1;
  const idx = {
    id: at("imb_id"),
    operateur: at("code_operateur"),
    techno: at("code_techno"),
    montant: at("classe_debit_montant"),
    descendant: at("classe_debit_descendant"),
    limitation: at("limitation"),
    saturation: at("saturation"),
  };
  const fichier = options.fichier;
  const field = (f: string[], i: number) => (i === -1 ? "" : (f[i] ?? "").trim());
  // Per line: no closure and no array unless the line is rejected (millions of lines per file).
  return (line) => {
    const f = line.champs;
    let rejets: Rejet[] | undefined;
    const id = field(f, idx.id);
    if (id === "")
      rejets = withRejet(rejets, rejet(line.ligne, "imb_id", id, "identifiant d'immeuble obligatoire", fichier));
    else if (!options.buildingExists(id))
      rejets = withRejet(
        rejets,
        rejet(
          line.ligne,
          "imb_id",
          id,
          "immeuble inconnu dans ce trimestre : importez d'abord le fichier base_imb correspondant",
          fichier,
        ),
      );
    const technoText = field(f, idx.techno).toUpperCase();
    const techno = TECHNO_ALIASES[technoText] ?? technoText;
    if (!TECHNOS.has(techno))
      rejets = withRejet(
        rejets,
        rejet(
          line.ligne,
          "code_techno",
          technoText,
          "technologie inconnue : attendu FO, CU, COAX, 4GF, THDR, WMX ou SAT",
          fichier,
        ),
      );
    const montant = field(f, idx.montant).toUpperCase();
    if (!CLASSES.has(montant))
      rejets = withRejet(
        rejets,
        rejet(
          line.ligne,
          "classe_debit_montant",
          montant,
          `classe de débit inconnue : attendu ${CLASSES_ARCEP.join(", ")}`,
          fichier,
        ),
      );
    const descendant = field(f, idx.descendant).toUpperCase();
    if (!CLASSES.has(descendant))
      rejets = withRejet(
        rejets,
        rejet(
          line.ligne,
          "classe_debit_descendant",
          descendant,
          `classe de débit inconnue : attendu ${CLASSES_ARCEP.join(", ")}`,
          fichier,
        ),
      );
    // The 2020 files had no operator column: one row per building and technology.
    const operateur = idx.operateur === -1 ? "" : field(f, idx.operateur).toUpperCase();
    if (idx.operateur !== -1 && !OPERATOR_CODE.test(operateur))
      rejets = withRejet(
        rejets,
        rejet(line.ligne, "code_operateur", operateur, "code opérateur ARCEP attendu (4 caractères)", fichier),
      );
    const limitationText = field(f, idx.limitation);
    const limitation =
      limitationText === "" ? null : LIMITATION.test(limitationText) ? Number(limitationText) : undefined;
    if (limitation === undefined)
      rejets = withRejet(
        rejets,
        rejet(line.ligne, "limitation", limitationText, "volume mensuel en Go (entier) ou vide attendu", fichier),
      );
    const saturationText = field(f, idx.saturation).toLowerCase();
    const saturation = SATURATION[saturationText];
    if (saturation === undefined)
      rejets = withRejet(
        rejets,
        rejet(line.ligne, "saturation", saturationText, "booléen attendu (0/1, true/false)", fichier),
      );
    if (rejets !== undefined || limitation === undefined || saturation === undefined)
      return { ok: false, rejets: rejets ?? [] };
    return {
      ok: true,
      row: {
        immeuble_id: id,
        operateur,
        techno: techno as Techno,
        classe_montant: montant as ClasseArcep,
        classe_descendant: descendant as ClasseArcep,
        limitation,
        saturation,
      },
    };
  };
}

/** Adds a rejection to a line's list, created on the first one. */
function withRejet(rejets: Rejet[] | undefined, r: Rejet): Rejet[] {
  if (rejets === undefined) return [r];
  rejets.push(r);
  return rejets;
}

const OPERATOR_CODE = /^[A-Z0-9]{4}$/;
const LIMITATION = /^\d{1,9}$/;
/** saturation: "" and false-like → 0, true-like → 1 (anything else is rejected). */
const SATURATION: Readonly<Record<string, 0 | 1>> = Object.assign(Object.create(null), {
  "": 0,
  "0": 0,
  false: 0,
  f: 0,
  non: 0,
  n: 0,
  "1": 1,
  true: 1,
  t: 1,
  oui: 1,
  o: 1,
});

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
  const { db, trimestre } = ctx;
  ctx.onProgress({ step: "Immeubles du trimestre", done: 0, total: 1 });
  const buildingDep = new Map<string, string>();
  // One département string per commune, shared by its buildings (a million buildings, ~3,000 communes).
  const depOfCommune = new Map<string, string>();
  const addBuilding = (id: string, codeInsee: string) => {
    let dep = depOfCommune.get(codeInsee);
    if (dep === undefined) {
      dep = departementOf(codeInsee);
      depOfCommune.set(codeInsee, dep);
    }
    buildingDep.set(id, dep);
  };
  for (const [id, codeInsee] of await selectRows<[string, string]>(
    db,
    "select id, code_insee from thd_immeuble where trimestre = ?",
    [trimestre],
  ))
    addBuilding(id, codeInsee);
  ctx.onProgress({ step: "Immeubles du trimestre", done: 1, total: 1 });

  const preparedDeps = new Set<string>();
  const operateurs = new Set<string>();
  let buffer: unknown[][] = [];
  // Line number and file of each buffered row, to name the lines of a duplicate the database catches.
  let lines: number[] = [];
  let files: string[] = [];
  let lignesEcrites = 0;
  // Rows of the building being read (files list a building's rows together): duplicates are named
  // by line here; duplicates further apart are caught by the database and reported per batch.
  let currentBuilding = "";
  const currentKeys = new Map<string, number>();

  // A first import into the quarter has no rows to replace (each delete below scans the buildings).
  const hadRows =
    (await db.selectFrom("thd_eligibilite").select("trimestre").where("trimestre", "=", trimestre).limit(1).execute())
      .length > 0;
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
    if (buffer.length === 0) return;
    if (ctx.nombreRejets() === 0 || ctx.ignorerRejets) {
      for (let start = 0; start < buffer.length; start += CHUNK) {
        const end = Math.min(buffer.length, start + CHUNK);
        const chunk = buffer.slice(start, end);
        const written = await insert.run(chunk);
        lignesEcrites += written;
        if (written < chunk.length) {
          const first = lines[start] as number;
          const last = lines[end - 1] as number;
          ctx.rejeter(
            rejet(
              first,
              "imb_id;code_operateur;code_techno",
              "",
              `${chunk.length - written} ligne(s) entre les lignes ${first} et ${last} répètent l'immeuble, l'opérateur et la technologie d'une ligne précédente`,
              files[start],
            ),
          );
        }
      }
    }
    buffer = [];
    lines = [];
    files = [];
  };

  const lignes = await readImportRecords(ctx, "eligibilite", {
    header: (line, fichier) =>
      createEligibiliteParser(line, { fichier: fichier.nom, buildingExists: (id) => buildingDep.has(id) }),
    record: (parse, csvLine, fichier) => {
      const result = parse(csvLine);
      if (!result.ok) {
        for (const r of result.rejets) ctx.rejeter(r);
        return;
      }
      const row = result.row;
      if (row.immeuble_id !== currentBuilding) {
        currentBuilding = row.immeuble_id;
        currentKeys.clear();
      }
      const key = `${row.operateur}\u0000${row.techno}`;
      const previous = currentKeys.get(key);
      if (previous !== undefined) {
        ctx.rejeter(
          rejet(
            csvLine.ligne,
            "code_techno",
            row.techno,
            `ligne en double : même immeuble, opérateur et technologie que la ligne ${previous}`,
            fichier.nom,
          ),
        );
        return;
      }
      currentKeys.set(key, csvLine.ligne);
      operateurs.add(row.operateur);
      buffer.push([
        trimestre,
        row.immeuble_id,
        row.operateur,
        row.techno,
        row.classe_montant,
        row.classe_descendant,
        row.limitation,
        row.saturation,
      ]);
      lines.push(csvLine.ligne);
      files.push(fichier.nom);
      const dep = buildingDep.get(row.immeuble_id) as string;
      if (!preparedDeps.has(dep)) return prepareDep(dep);
    },
    afterBatch: async () => {
      if (buffer.length >= insert.rowsPerRun) await flush();
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
  const communesAgregees = await aggregateAfterImport(ctx, recompute);
  return {
    lignes,
    details: { lignesEcrites, departements, operateursInconnus, communesAgregees },
  };
}
