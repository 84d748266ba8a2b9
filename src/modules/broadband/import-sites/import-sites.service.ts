import { type Kysely, sql } from "kysely";
import { type AppDatabase, chunkRows } from "../../../shared/db/database.ts";
import { ignoreProgress, type ProgressListener } from "../../../shared/progress/progress.ts";
import { normalizeForSearch } from "../../../shared/text/normalize.ts";
import type { BroadbandTables, ThdSiteStrategiqueTable, TypeSiteStrategique } from "../broadband.tables.ts";
import { rejet } from "../import-common/rejections.ts";
import { runThdImport, type ThdImportContext, type ThdImportResult } from "../import-common/run-thd-import.ts";
import { defaultRegion } from "../import-ipe/region-communes.ts";
import { quarterEnd } from "../quarters/quarter-code.ts";
import { readSites, SITE_FILES, type SiteSource } from "./strategic-site-sources.ts";

/** A site is linked to the nearest building within this distance when no building has its address. */
export const SITE_MAX_DISTANCE_M = 100;

export interface ImportSitesDetails {
  parType: Partial<Record<TypeSiteStrategique, number>>;
  /** Sites linked to a building of the quarter (same address, or nearest within 100 m). */
  relies: number;
  /** Of which connected (their building is deployed). */
  raccordes: number;
}

interface CommonOptions {
  trimestre: string;
  simule?: boolean;
  ignorerRejets?: boolean;
  importePar?: string | null;
  region?: string;
}

/**
 * `territoire import sites`: the shipped real files (collèges, hospitals, higher education) → the
 * région's strategic sites of a quarter, linked to its buildings. Replaces the quarter's sites of
 * the three types.
 */
export async function importSites(
  db: AppDatabase,
  options: CommonOptions & { fichiers?: Partial<Record<TypeSiteStrategique, string>> },
  progress: ProgressListener = ignoreProgress,
): Promise<ThdImportResult<ImportSitesDetails>> {
  const files = { ...SITE_FILES, ...options.fichiers };
  const types = Object.keys(files) as TypeSiteStrategique[];
  return runImport(
    db,
    options,
    "sites-strategiques",
    types.map((t) => [t, files[t]]),
    progress,
  );
}

/**
 * `territoire import annuaire-education FICHIER`: collèges from a file in the national schools
 * directory format; replaces the quarter's collèges only.
 */
export async function importAnnuaireEducation(
  db: AppDatabase,
  options: CommonOptions & { fichier: string },
  progress: ProgressListener = ignoreProgress,
): Promise<ThdImportResult<ImportSitesDetails>> {
  return runImport(db, options, "annuaire-education", [["college", options.fichier]], progress);
}

async function runImport(
  db: AppDatabase,
  options: CommonOptions,
  format: "sites-strategiques" | "annuaire-education",
  files: [TypeSiteStrategique, string][],
  progress: ProgressListener,
) {
  const region = options.region ?? defaultRegion();
  return runThdImport<ImportSitesDetails>(
    db,
    {
      trimestre: options.trimestre,
      format,
      fichier: files.map(([, f]) => f),
      simule: options.simule === true,
      ignorerRejets: options.ignorerRejets === true,
      importePar: options.importePar ?? null,
      onProgress: progress,
    },
    (ctx) => applySites(ctx, files, region),
  );
}

async function applySites(ctx: ThdImportContext, files: [TypeSiteStrategique, string][], region: string) {
  const { db, trimestre } = ctx;
  const sites: SiteSource[] = [];
  let lignes = 0;
  for (const [i, [type]] of files.entries()) {
    const fichier = ctx.fichiers[i];
    if (!fichier) continue;
    ctx.onProgress({ step: "Lecture des sites", done: i, total: files.length });
    const read = await readSites(fichier.chemin, fichier.nom, type, region, fichier.encodage);
    lignes += read.lignes;
    for (const r of read.rejets) ctx.rejeter(r);
    sites.push(...read.sites);
  }
  ctx.onProgress({ step: "Lecture des sites", done: files.length, total: files.length });
  const seen = new Map<string, SiteSource>();
  for (const site of sites) {
    const previous = seen.get(site.id);
    if (previous) {
      ctx.rejeter(
        rejet(site.ligne, "identifiant", site.id, `site en double : déjà décrit ligne ${previous.ligne}`, site.fichier),
      );
      continue;
    }
    seen.set(site.id, site);
  }
  const types = [...new Set(files.map(([t]) => t))];
  await db.deleteFrom("thd_site_strategique").where("trimestre", "=", trimestre).where("type", "in", types).execute();
  const rows: ThdSiteStrategiqueTable[] = [...seen.values()].map((s) => ({
    trimestre,
    id: s.id,
    type: s.type,
    nom: s.nom,
    adresse: s.adresse,
    code_insee: s.codeInsee,
    lon: s.lon,
    lat: s.lat,
    immeuble_id: null,
    raccorde_le: null,
  }));
  for (const chunk of chunkRows(rows, 10)) await db.insertInto("thd_site_strategique").values(chunk).execute();
  ctx.onProgress({ step: "Rattachement aux immeubles", done: 0, total: 1 });
  const link = await linkStrategicSites(db, trimestre, [...seen.values()]);
  ctx.onProgress({ step: "Rattachement aux immeubles", done: 1, total: 1 });
  const parType: ImportSitesDetails["parType"] = {};
  for (const r of rows) parType[r.type] = (parType[r.type] ?? 0) + 1;
  return { lignes, details: { parType, ...link } };
}

const CELL = 500; // cells of 1/500° (≈ 220 m north-south, ≈ 145 m east-west in Normandy)
const cellKey = (lon: number, lat: number) => Math.round(lon * CELL) * 100_000 + Math.round(lat * CELL);

function distanceM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const rad = Math.PI / 180;
  const x = (lon2 - lon1) * rad * Math.cos(((lat1 + lat2) / 2) * rad);
  const y = (lat2 - lat1) * rad;
  return Math.hypot(x, y) * 6_371_000;
}

interface Candidate {
  id: string;
  code_insee: string;
  numero: string | null;
  nom_voie: string | null;
  lon: number | null;
  lat: number | null;
  etat_ftth: string | null;
  date_mes_commerciale: string | null;
}

const sameStreet = (a: string | null, b: string | null) =>
  a !== null && b !== null && normalizeForSearch(a) === normalizeForSearch(b);

/**
 * Links the quarter's strategic sites to its buildings: the building at the same address (same
 * commune, number and street), else the nearest building within 100 m; `raccorde_le` is that
 * building's commercial opening date when it is deployed (the quarter's last day when the IPE gave
 * none). Buildings near the sites are found in one query on a grid of cells computed in SQL.
 * `sources` gives the sites' number and street; without it (after a building import) they are
 * read back from the stored address.
 */
export async function linkStrategicSites(
  db: Kysely<BroadbandTables>,
  trimestre: string,
  sources?: readonly SiteSource[],
): Promise<{ relies: number; raccordes: number }> {
  const stored = await db
    .selectFrom("thd_site_strategique")
    .select(["id", "code_insee", "adresse", "lon", "lat", "immeuble_id", "raccorde_le"])
    .where("trimestre", "=", trimestre)
    .execute();
  if (stored.length === 0) return { relies: 0, raccordes: 0 };
  const bySource = new Map((sources ?? []).map((s) => [s.id, s]));
  const sites = stored.map((s) => {
    const source = bySource.get(s.id);
    const street = source ? { numero: source.numero, voie: source.voie } : splitStored(s.adresse);
    return { ...s, ...street };
  });

  const candidates = new Map<string, Candidate>();
  const select = ["id", "code_insee", "numero", "nom_voie", "lon", "lat", "etat_ftth", "date_mes_commerciale"] as const;
  // Same address: buildings of the sites' communes with the sites' numbers.
  const communes = [...new Set(sites.map((s) => s.code_insee))];
  const numeros = [...new Set(sites.map((s) => s.numero).filter((n): n is string => n !== null))];
  if (numeros.length > 0) {
    for (const chunk of chunkRows(communes, 1, 10_000)) {
      for (const row of await db
        .selectFrom("thd_immeuble")
        .select(select)
        .where("trimestre", "=", trimestre)
        .where("code_insee", "in", chunk)
        .where("numero", "in", numeros)
        .execute())
        candidates.set(row.id, row);
    }
  }
  // Nearby: buildings in the 5 × 5 cells around each site (rounding differs between engines at
  // exact halves; two cells of margin on each side cover 100 m whatever the rounding).
  const cells = new Set<number>();
  for (const s of sites) {
    if (s.lon === null || s.lat === null) continue;
    const cx = Math.round(s.lon * CELL);
    const cy = Math.round(s.lat * CELL);
    for (let dx = -2; dx <= 2; dx++) for (let dy = -2; dy <= 2; dy++) cells.add((cx + dx) * 100_000 + cy + dy);
  }
  for (const chunk of chunkRows([...cells], 1, 20_000)) {
    const rows = await sql<Candidate>`
      select id, code_insee, numero, nom_voie, lon, lat, etat_ftth, date_mes_commerciale
      from thd_immeuble
      where trimestre = ${trimestre} and lon is not null and lat is not null
        and round(lon * ${CELL}) * 100000 + round(lat * ${CELL}) in (${sql.join(chunk.map((c) => sql`${c}`))})`.execute(
      db,
    );
    for (const row of rows.rows) candidates.set(row.id, row);
  }
  const nearCell = new Map<number, Candidate[]>();
  for (const c of candidates.values()) {
    if (c.lon === null || c.lat === null) continue;
    const key = cellKey(c.lon, c.lat);
    nearCell.set(key, [...(nearCell.get(key) ?? []), c]);
  }
  const byAddress = new Map<string, Candidate[]>();
  for (const c of candidates.values()) {
    if (c.numero === null) continue;
    const key = `${c.code_insee}|${Number(c.numero)}`;
    byAddress.set(key, [...(byAddress.get(key) ?? []), c]);
  }

  const lastDay = quarterEnd(trimestre);
  const updates: { id: string; immeuble_id: string | null; raccorde_le: string | null }[] = [];
  let relies = 0;
  let raccordes = 0;
  for (const site of sites) {
    let chosen: Candidate | undefined;
    if (site.numero !== null && site.voie !== null) {
      const same = (byAddress.get(`${site.code_insee}|${Number(site.numero)}`) ?? []).filter((c) =>
        sameStreet(c.nom_voie, site.voie),
      );
      chosen = nearest(same, site.lon, site.lat, Number.POSITIVE_INFINITY) ?? same[0];
    }
    if (!chosen && site.lon !== null && site.lat !== null) {
      const around: Candidate[] = [];
      const cx = Math.round(site.lon * CELL);
      const cy = Math.round(site.lat * CELL);
      for (let dx = -2; dx <= 2; dx++)
        for (let dy = -2; dy <= 2; dy++) around.push(...(nearCell.get((cx + dx) * 100_000 + cy + dy) ?? []));
      chosen = nearest(around, site.lon, site.lat, SITE_MAX_DISTANCE_M);
    }
    const raccorde = chosen?.etat_ftth === "deploye" ? (chosen.date_mes_commerciale ?? lastDay) : null;
    if (chosen) relies++;
    if (raccorde) raccordes++;
    if ((chosen?.id ?? null) !== site.immeuble_id || raccorde !== site.raccorde_le)
      updates.push({ id: site.id, immeuble_id: chosen?.id ?? null, raccorde_le: raccorde });
  }
  for (const u of updates) {
    await db
      .updateTable("thd_site_strategique")
      .set({ immeuble_id: u.immeuble_id, raccorde_le: u.raccorde_le })
      .where("trimestre", "=", trimestre)
      .where("id", "=", u.id)
      .execute();
  }
  return { relies, raccordes };
}

function nearest(candidates: Candidate[], lon: number | null, lat: number | null, maxM: number): Candidate | undefined {
  if (lon === null || lat === null) return undefined;
  let best: Candidate | undefined;
  let bestD = maxM;
  for (const c of candidates) {
    if (c.lon === null || c.lat === null) continue;
    const d = distanceM(lon, lat, c.lon, c.lat);
    if (d <= bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

/** Number and street back from a stored address "12 rue X, 14000 Caen". */
function splitStored(adresse: string | null): { numero: string | null; voie: string | null } {
  if (!adresse) return { numero: null, voie: null };
  const street = adresse.split(",")[0] ?? "";
  const m = /^\s*(\d{1,5})\s*(?:bis|ter|quater|[a-d](?=\s))?[\s,]+(.+)$/i.exec(street);
  return m
    ? { numero: String(Number(m[1])), voie: (m[2] as string).trim() }
    : { numero: null, voie: street.trim() || null };
}
