import { readFileSync } from "node:fs";
import path from "node:path";
import type { Kysely } from "kysely";
import type { AppDatabase } from "../../../shared/db/database.ts";
import { ignoreProgress, type ProgressListener } from "../../../shared/progress/progress.ts";
import type { BroadbandTables } from "../broadband.tables.ts";
import {
  DEMO_THD_MANIFEST,
  type DemoThdManifest,
  demoThdComplete,
  generateDemoThd,
} from "../generate-demo-thd/generate-demo-thd.ts";
import type { ThdImportResult } from "../import-common/run-thd-import.ts";
import { importFermetureCuivre } from "../import-fermeture-cuivre/import-fermeture-cuivre.service.ts";
import { importIpe } from "../import-ipe/import-ipe.service.ts";
import { importMciBaseImb } from "../import-mci-base-imb/import-mci-base-imb.ts";
import { importMciEligibilite } from "../import-mci-eligibilite/import-mci-eligibilite.ts";
import { importMciStatistiques } from "../import-mci-statistiques/import-mci-statistiques.service.ts";
import { importSites } from "../import-sites/import-sites.service.ts";
import { publishQuarter } from "../quarters/quarters.service.ts";

export interface LoadDemoThdOptions {
  /** Demo address files (BAN) to build on; generated with the demo when absent. */
  adresses?: string[];
  region?: string;
  /**
   * false: statistics, copper closure and sites only, no per-building files (≈ 10 × faster to load;
   * the 2025T4 buildings, per-OI figures and the sites' connection dates are then missing).
   */
  immeubles?: boolean;
  /** false: leave the quarters as drafts (tests). */
  publier?: boolean;
  log?: (line: string) => void;
}

export interface LoadDemoThdReport {
  generation: { dureeMs: number; genere: boolean };
  trimestres: number;
  immeubles: number;
  lignesEligibilite: number;
  dureeImportMs: number;
}

export const DEMO_THD_PUBLISHER = "demonstration";

/** Imports are refused as a whole on any bad line: a demo file that fails is a bug, say so loudly. */
function check<T>(what: string, result: ThdImportResult<T>): ThdImportResult<T> {
  if (result.statut === "refuse") {
    const first = result.rapport?.[0];
    throw new Error(
      `Démonstration THD : import ${what} refusé (${result.message ?? ""}${first ? ` ; ${first.fichier ?? ""} ligne ${first.ligne}, ${first.champ} « ${first.valeur} » : ${first.message}` : ""})`,
    );
  }
  return result;
}

/**
 * Loads the THD demo into the database: generates it into `dir` when the directory holds no complete
 * demo, then imports every file through the ordinary importers — MCI statistics for each quarter,
 * the per-building files (base_imb, IPE, eligibilite) for the latest one, the copper closure
 * calendar and the strategic sites — and publishes the quarters, marked simulated. Idempotent: the
 * importers skip files already imported; published quarters are left alone.
 */
export async function loadDemoThd(
  database: AppDatabase,
  dir: string,
  progress: ProgressListener = ignoreProgress,
  options: LoadDemoThdOptions = {},
): Promise<LoadDemoThdReport> {
  const log = options.log ?? (() => {});
  const db = database as unknown as Kysely<BroadbandTables>;
  const report: LoadDemoThdReport = {
    generation: { dureeMs: 0, genere: false },
    trimestres: 0,
    immeubles: 0,
    lignesEligibilite: 0,
    dureeImportMs: 0,
  };
  if (!demoThdComplete(dir)) {
    progress({ step: "Génération des données THD de démonstration (simulées)", done: 0, total: null });
    const generated = generateDemoThd({
      outDir: dir,
      ...(options.adresses ? { adresses: options.adresses } : {}),
      ...(options.region ? { region: options.region } : {}),
      immeubles: options.immeubles !== false,
    });
    report.generation = { dureeMs: generated.dureeMs, genere: true };
    log(
      `THD de démonstration : ${generated.manifest.statistiques.length} trimestres, ${generated.immeubles.toLocaleString("fr-FR")} immeubles et ${generated.lignesEligibilite.toLocaleString("fr-FR")} lignes d'éligibilité simulés écrits dans ${dir} en ${(generated.dureeMs / 1000).toFixed(1)} s`,
    );
  }
  const manifest = JSON.parse(readFileSync(path.join(dir, DEMO_THD_MANIFEST), "utf8")) as DemoThdManifest;
  const started = performance.now();
  const file = (rel: string) => path.join(dir, rel);
  const published = new Set(
    (await db.selectFrom("thd_trimestre").select("code").where("statut", "=", "publie").execute()).map((r) => r.code),
  );
  await loadReference(db, dir, manifest);

  const common = { simule: true, importePar: "demonstration", ...(options.region ? { region: options.region } : {}) };
  const latest = manifest.immeubles;
  if (latest && options.immeubles !== false && !published.has(latest.trimestre)) {
    const t = latest.trimestre;
    check(
      "base_imb",
      // The quarter's commune figures are computed once, by the last of the three imports.
      await importMciBaseImb(
        db,
        { trimestre: t, fichier: latest.baseImb.map(file), ...common, agreger: false },
        progress,
      ),
    );
    check(
      "IPE",
      await importIpe(db, { trimestre: t, fichier: latest.ipe.map(file), ...common, agreger: false }, progress),
    );
    check(
      "éligibilité",
      await importMciEligibilite(db, { trimestre: t, fichier: latest.eligibilite.map(file), ...common }, progress),
    );
    await setBuildingNetworks(db, t, dir, manifest);
  }
  const closure = manifest.fermetureCuivre;
  if (!published.has(closure.trimestre))
    check(
      "fermeture du cuivre",
      await importFermetureCuivre(db, {
        trimestre: closure.trimestre,
        fichier: file(closure.fichier),
        ...common,
        onProgress: progress,
      }),
    );
  if (!published.has(manifest.sites.trimestre))
    check("sites stratégiques", await importSites(db, { trimestre: manifest.sites.trimestre, ...common }, progress));

  const total = manifest.statistiques.length;
  for (const [i, q] of manifest.statistiques.entries()) {
    progress({ step: "Statistiques THD simulées, par trimestre", done: i, total });
    if (published.has(q.trimestre)) continue;
    check(
      `statistiques ${q.trimestre}`,
      await importMciStatistiques(db, { trimestre: q.trimestre, fichiers: q.fichiers.map(file), ...common }),
    );
  }
  progress({ step: "Statistiques THD simulées, par trimestre", done: total, total });
  if (options.publier !== false) {
    for (const q of manifest.statistiques) {
      if (!published.has(q.trimestre)) await publishQuarter(db, q.trimestre, DEMO_THD_PUBLISHER);
    }
  }
  report.trimestres = total;
  const counts = await db
    .selectFrom("thd_immeuble")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("trimestre", "=", latest?.trimestre ?? "")
    .executeTakeFirst();
  report.immeubles = Number(counts?.n ?? 0);
  report.dureeImportMs = performance.now() - started;
  return report;
}

function readTable(file: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(file, "utf8").trim().split("\n");
  const names = (header ?? "").split(";");
  return lines.map((l) => {
    const f = l.split(";");
    return Object.fromEntries(names.map((n, i) => [n, f[i] ?? ""]));
  });
}

/** Operators and networks named by the demo files (reference data, not a quarter's figures). */
async function loadReference(db: Kysely<BroadbandTables>, dir: string, manifest: DemoThdManifest): Promise<void> {
  for (const o of readTable(path.join(dir, manifest.reference.operateurs))) {
    await db
      .insertInto("thd_operateur")
      .values({ code: o.code as string, nom: o.nom as string })
      .onConflict((oc) => oc.column("code").doNothing())
      .execute();
  }
  for (const n of readTable(path.join(dir, manifest.reference.reseaux))) {
    await db
      .insertInto("thd_reseau")
      .values({
        code: n.code as string,
        nom: n.nom as string,
        type: n.type as "rip" | "prive",
        operateur_infra: n.operateur_infra as string,
        departement: n.departement || null,
      })
      .onConflict((oc) => oc.column("code").doNothing())
      .execute();
  }
}

/** The IPE names the OI, not the network: the demo's commune → network table fills it in. */
async function setBuildingNetworks(
  db: Kysely<BroadbandTables>,
  trimestre: string,
  dir: string,
  manifest: DemoThdManifest,
): Promise<void> {
  const byNetwork = new Map<string, string[]>();
  for (const r of readTable(path.join(dir, manifest.reference.communesReseaux))) {
    const list = byNetwork.get(r.reseau as string) ?? [];
    list.push(r.code_insee as string);
    byNetwork.set(r.reseau as string, list);
  }
  for (const [reseau, communes] of byNetwork) {
    for (let i = 0; i < communes.length; i += 500) {
      await db
        .updateTable("thd_immeuble")
        .set({ reseau })
        .where("trimestre", "=", trimestre)
        .where("code_insee", "in", communes.slice(i, i + 500))
        .execute();
    }
  }
}
