import path from "node:path";
import type { AppDatabase } from "../../../shared/db/database.ts";
import { ignoreProgress, type ProgressListener } from "../../../shared/progress/progress.ts";
import { type CommuneResolver, communeResolver } from "../import-common/commune-codes.ts";
import { openCsv } from "../import-common/csv-reader.ts";
import { rejet } from "../import-common/rejections.ts";
import { runThdImport, type ThdImportContext, type ThdImportResult } from "../import-common/run-thd-import.ts";
import {
  deleteStatCommunesOfSource,
  type StatCommuneRow,
  upsertStatCommunes,
} from "../import-common/stat-commune.repository.ts";
import { quarterCode } from "../quarters/quarter-code.ts";
import { parseArcepCount, quarterColumns, readArcepHeader } from "./arcep-ftth-format.ts";

export const ARCEP_FTTH_SOURCE = "arcep-ftth-communes";

export interface ImportArcepFtthOptions {
  /** `ftthCommunes.csv`: per commune, `Locaux Raccordables` per quarter. */
  fichier: string;
  /** `communes.csv`: Logements + Établissements (premises) and the OI; optional. */
  communes?: string;
  /** Only this quarter of the file (default: every quarter column). */
  trimestre?: string;
  /** Région whose communes are loaded (default "28", Normandy); other communes are skipped and counted. */
  region?: string;
  ignorerRejets?: boolean;
  importePar?: string | null;
  onProgress?: ProgressListener;
}

export interface ArcepFtthDetails {
  /** Commune lines of the région read from the FttH file (one per pre-2019 code). */
  communesSource: number;
  /** COG 2026 communes written. */
  communes: number;
  /** Pre-2019 codes folded into another current commune. */
  codesRattaches: number;
  /** Commune lines of other régions, skipped. */
  autresRegions: number;
  ftthRaccordables: number;
  /** FttH connectable premises per département (COG 2026). */
  parDepartement: Record<string, number>;
  /** Where `locaux` comes from: communes.csv (logements + établissements), or the connectable count as a floor. */
  locaux: "logements+etablissements" | "raccordables";
  /** Communes with a single infrastructure operator named (thd_stat_commune_oi rows). */
  communesAvecOi: number;
  /** COG 2026 communes of the région the file has no figure for (e.g. a commune restored after a merger). */
  communesAbsentes: string[];
}

interface CommuneFacts {
  locaux: number;
  /** FttH connectable premises per infrastructure operator (only old communes with a single OI). */
  oi: string | null;
}

const RACCORDABLES = "locaux raccordables";
const CATEGORIE = "catégorie";

/**
 * Imports the ARCEP FttH deployment per commune into thd_stat_commune (source
 * "arcep-ftth-communes") and thd_stat_commune_oi, one quarter per column of the file, each quarter
 * an import of its own (transactional, idempotent). Pre-2019 commune codes are mapped onto COG 2026
 * and summed; a code of the région that cannot be mapped is rejected (line and field named).
 * Stops at the first quarter refused.
 */
export async function importArcepFtth(
  db: AppDatabase,
  options: ImportArcepFtthOptions,
): Promise<ThdImportResult<ArcepFtthDetails>[]> {
  const communes = communeResolver(options.region ?? "28");
  const fichier = path.basename(options.fichier);
  const header = await readArcepHeader(options.fichier, "Code commune", fichier);
  let quarters = quarterColumns(header);
  if (options.trimestre) {
    const wanted = quarterCode(options.trimestre);
    quarters = quarters.filter((q) => q.code === wanted);
    if (quarters.length === 0)
      throw new ArcepFtthOptionError(
        `Le trimestre ${wanted} n'est pas dans ${fichier} (colonnes : ${quarterColumns(header)
          .map((q) => q.label)
          .join(", ")})`,
      );
  }
  const results: ThdImportResult<ArcepFtthDetails>[] = [];
  for (const quarter of quarters) {
    const result = await runThdImport(
      db,
      {
        trimestre: quarter.code,
        format: "arcep-ftth-communes",
        fichier: options.communes ? [options.fichier, options.communes] : options.fichier,
        ...(options.ignorerRejets !== undefined ? { ignorerRejets: options.ignorerRejets } : {}),
        ...(options.importePar !== undefined ? { importePar: options.importePar } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      },
      (ctx) => applyQuarter(ctx, communes, quarter.label, options),
    );
    results.push(result);
    if (result.statut === "refuse") break;
  }
  return results;
}

/** A bad option (quarter absent from the file): the CLI prints it on one line. */
export class ArcepFtthOptionError extends Error {
  override name = "ArcepFtthOptionError";
}

async function applyQuarter(
  ctx: ThdImportContext,
  communes: CommuneResolver,
  quarterLabel: string,
  options: ImportArcepFtthOptions,
): Promise<{ lignes: number; details: ArcepFtthDetails }> {
  const progress = ctx.onProgress ?? ignoreProgress;
  const ftthFile = ctx.fichiers[0];
  if (!ftthFile) throw new Error("fichier FttH absent");
  const communesFile = options.communes ? ctx.fichiers[1] : undefined;

  // Where a code goes: the COG 2026 commune, "autre" (another région) or undefined (rejected).
  const resolve = (code: string, line: number, champ: string, fichier: string): string | "autre" | undefined => {
    const r = communes.resolve(code);
    if (r.kind === "commune") return r.code;
    if (r.kind === "autre") return "autre";
    ctx.rejeter(rejet(line, champ, code, r.message, fichier));
    return undefined;
  };

  // communes.csv: premises and OI per old code, folded onto current communes.
  const facts = new Map<string, CommuneFacts>();
  const oldOi = new Map<string, string>();
  let oiQuarter: string | undefined;
  if (communesFile) {
    const header = await readArcepHeader(communesFile.chemin, "Code commune", communesFile.nom);
    const at = (name: string) => header.positions.get(name.toLowerCase());
    const logementsAt = at("Logements");
    const etablissementsAt = at("Établissements") ?? at("Etablissements");
    const oiColumn = [...header.positions.keys()].find((k) => /^oi\s+\d{4}\s*t[1-4]$/.test(k));
    oiQuarter = oiColumn ? quarterCode(oiColumn.replace(/^oi\s+/, "")) : undefined;
    const oiAt = oiColumn ? header.positions.get(oiColumn) : undefined;
    if (logementsAt === undefined) {
      ctx.rejeter(
        rejet(header.line.ligne, "en-tête", "", "colonne « Logements » absente de communes.csv", communesFile.nom),
      );
    } else {
      const reader = await openCsv(communesFile.chemin, { encodage: communesFile.encodage, separateur: "auto" });
      for await (const line of reader.lines()) {
        if (line.ligne <= header.line.ligne) continue;
        const code = line.champs[0] ?? "";
        if (code.trim() === "") continue;
        const current = resolve(code, line.ligne, "Code commune", communesFile.nom);
        if (current === undefined || current === "autre") continue;
        const logements = parseArcepCount(line.champs[logementsAt] ?? "");
        if (logements === undefined) {
          ctx.rejeter(
            rejet(line.ligne, "Logements", line.champs[logementsAt] ?? "", "nombre attendu", communesFile.nom),
          );
          continue;
        }
        let etablissements = 0;
        if (etablissementsAt !== undefined) {
          const parsed = parseArcepCount(line.champs[etablissementsAt] ?? "");
          if (parsed === undefined) {
            ctx.rejeter(
              rejet(
                line.ligne,
                "Établissements",
                line.champs[etablissementsAt] ?? "",
                "nombre attendu",
                communesFile.nom,
              ),
            );
            continue;
          }
          etablissements = parsed;
        }
        const entry = facts.get(current) ?? { locaux: 0, oi: null };
        entry.locaux += logements + etablissements;
        facts.set(current, entry);
        const oi = oiAt === undefined ? "" : (line.champs[oiAt] ?? "").trim();
        // "DSP1-FRTE" names two operators: their shares are not known, so no OI row.
        if (oi !== "" && oi !== "-" && !oi.includes("-")) oldOi.set(code.trim().toUpperCase(), oi);
      }
    }
  }

  // ftthCommunes.csv: connectable premises of the quarter, summed per current commune.
  const quarterAt = ftthHeaderIndex(await readArcepHeader(ftthFile.chemin, "Code commune", ftthFile.nom), quarterLabel);
  const raccordables = new Map<string, number>();
  const parOi = new Map<string, Map<string, number>>();
  const seen = new Set<string>();
  let lignes = 0;
  let communesSource = 0;
  let codesRattaches = 0;
  let autresRegions = 0;
  let headerSeen = false;
  const reader = await openCsv(ftthFile.chemin, { encodage: ftthFile.encodage, separateur: "auto" });
  for await (const batch of reader.batches()) {
    for (const line of batch) {
      const first = (line.champs[0] ?? "").trim();
      if (!headerSeen) {
        headerSeen = first.toLowerCase() === "code commune";
        continue;
      }
      if (line.champs.every((c) => c.trim() === "")) continue;
      lignes++;
      const champ = (line.champs[1] ?? "").trim();
      const champKey = champ.toLowerCase();
      if (champKey !== RACCORDABLES && champKey !== CATEGORIE) {
        ctx.rejeter(
          rejet(line.ligne, "Champ", champ, "« Locaux Raccordables » ou « Catégorie » attendu", ftthFile.nom),
        );
        continue;
      }
      if (champKey === CATEGORIE) continue;
      const current = resolve(first, line.ligne, "Code commune", ftthFile.nom);
      if (current === undefined) continue;
      if (current === "autre") {
        autresRegions++;
        continue;
      }
      const key = first.toUpperCase();
      if (seen.has(key)) {
        ctx.rejeter(rejet(line.ligne, "Code commune", first, "commune en double (Locaux Raccordables)", ftthFile.nom));
        continue;
      }
      seen.add(key);
      const text = line.champs[quarterAt] ?? "";
      const value = parseArcepCount(text);
      if (value === undefined) {
        ctx.rejeter(
          rejet(line.ligne, quarterLabel, text, "nombre de locaux attendu (chiffres, « - » pour zéro)", ftthFile.nom),
        );
        continue;
      }
      communesSource++;
      if (current !== key) codesRattaches++;
      raccordables.set(current, (raccordables.get(current) ?? 0) + value);
      const oi = oldOi.get(key);
      if (oi) {
        const byOi = parOi.get(current) ?? new Map<string, number>();
        byOi.set(oi, (byOi.get(oi) ?? 0) + value);
        parOi.set(current, byOi);
      }
    }
    progress({ step: `ARCEP FttH ${ctx.trimestre}`, done: lignes, total: null });
  }

  const details: ArcepFtthDetails = {
    communesSource,
    communes: raccordables.size,
    codesRattaches,
    autresRegions,
    ftthRaccordables: 0,
    parDepartement: {},
    locaux: communesFile ? "logements+etablissements" : "raccordables",
    communesAvecOi: 0,
    communesAbsentes: communes.cog.communes.map((c) => c.code).filter((code) => !raccordables.has(code)),
  };
  // Nothing is written once a line is rejected, unless the rejected lines are to be ignored.
  if (ctx.nombreRejets() > 0 && !ctx.ignorerRejets) return { lignes, details };

  const rows: StatCommuneRow[] = [];
  for (const [code, value] of [...raccordables].sort(([a], [b]) => a.localeCompare(b))) {
    const locaux = facts.get(code)?.locaux;
    rows.push({
      trimestre: ctx.trimestre,
      code_insee: code,
      source: ARCEP_FTTH_SOURCE,
      // Without communes.csv the connectable count is the only known floor of the premises count.
      locaux: Math.max(locaux ?? value, value),
      ftth_raccordables: value,
    });
    details.ftthRaccordables += value;
    const dep = communes.departementOf(code);
    details.parDepartement[dep] = (details.parDepartement[dep] ?? 0) + value;
  }
  await deleteStatCommunesOfSource(ctx.db, ctx.trimestre, ARCEP_FTTH_SOURCE);
  await upsertStatCommunes(ctx.db, rows, communesFile ? ["locaux", "ftth_raccordables"] : ["ftth_raccordables"]);

  // The OI column names the operator at one quarter: its rows are written for that quarter only.
  if (oiQuarter === ctx.trimestre) {
    const codes = [...raccordables.keys()];
    for (let i = 0; i < codes.length; i += 500) {
      await ctx.db
        .deleteFrom("thd_stat_commune_oi")
        .where("trimestre", "=", ctx.trimestre)
        .where("code_insee", "in", codes.slice(i, i + 500))
        .execute();
    }
    const oiRows = [...parOi].flatMap(([code, byOi]) =>
      [...byOi].map(([operateur, value]) => ({
        trimestre: ctx.trimestre,
        code_insee: code,
        operateur,
        ftth_raccordables: value,
      })),
    );
    for (let i = 0; i < oiRows.length; i += 1000) {
      await ctx.db
        .insertInto("thd_stat_commune_oi")
        .values(oiRows.slice(i, i + 1000))
        .execute();
    }
    const operators = [...new Set(oiRows.map((r) => r.operateur))];
    if (operators.length > 0) {
      await ctx.db
        .insertInto("thd_operateur")
        .values(operators.map((code) => ({ code, nom: code })))
        .onConflict((oc) => oc.column("code").doNothing())
        .execute();
    }
    details.communesAvecOi = parOi.size;
  }
  return { lignes, details };
}

function ftthHeaderIndex(header: Awaited<ReturnType<typeof readArcepHeader>>, label: string): number {
  const index = header.positions.get(label.toLowerCase());
  if (index === undefined) throw new Error(`colonne ${label} absente`);
  return index;
}
