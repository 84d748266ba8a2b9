import type { Kysely } from "kysely";
import type { Principal } from "../../../shared/http/access-control.ts";
import { HttpError } from "../../../shared/http/errors.ts";
import type { Niveau, TerritoryTables } from "../../territory/territory.tables.ts";
import type { BroadbandTables } from "../broadband.tables.ts";
import { seesDraftQuarters } from "../quarters/quarters.routes.ts";
import { listQuarters, type QuarterSummary } from "../quarters/quarters.service.ts";
import type { PublishedFiguresCache } from "./observatory.cache.ts";

/** The observatory reads the broadband figures through the territory tables. */
export type ObservatoryTables = BroadbandTables & TerritoryTables;
export type ObservatoryDb = Kysely<ObservatoryTables>;

/** The column of a commune's `territoire` row that names its ancestor of each level. */
export const SCOPE_COLUMN = {
  regions: "region",
  departements: "departement",
  epci: "epci",
  communes: "code",
} as const satisfies Record<Niveau, string>;

export interface Scope {
  niveau: Niveau;
  code: string;
  nom: string;
}

const NIVEAU_LABEL: Record<Niveau, string> = {
  regions: "aucune région",
  departements: "aucun département",
  epci: "aucun EPCI",
  communes: "aucune commune",
};

/** The territory named in the URL, or a 404 naming the parameter. */
export async function findScope(db: ObservatoryDb, niveau: Niveau, code: string): Promise<Scope> {
  return (await readScope(db, niveau, code)).scope;
}

/**
 * The territory and, in the same query, when the territories were last imported: which communes
 * make a territory, and their names, change only then, so cache keys carry it.
 */
async function readScope(
  db: ObservatoryDb,
  niveau: Niveau,
  code: string,
): Promise<{ scope: Scope; territoriesImportedAt: string }> {
  const row = await db
    .selectFrom("territoire")
    .select(["niveau", "code", "nom"])
    .select((eb) =>
      eb
        .selectFrom("territoire_import")
        .select((i) => i.fn.max("importe_le").as("importe_le"))
        .as("territoires_importes_le"),
    )
    .where("niveau", "=", niveau)
    .where("code", "=", code)
    .executeTakeFirst();
  if (!row) {
    throw new HttpError(404, "INTROUVABLE", `Territoire introuvable : ${NIVEAU_LABEL[niveau]} de code « ${code} »`, {
      parametre: "code",
    });
  }
  return {
    scope: { niveau: row.niveau, code: row.code, nom: row.nom },
    territoriesImportedAt: row.territoires_importes_le ?? "",
  };
}

/** Agents and admins see draft quarters; everyone else sees published quarters only. */
export function canSeeDrafts(principal: Principal | undefined): boolean {
  return principal !== undefined && seesDraftQuarters(principal);
}

/** The quarters the caller may see, in chronological order. */
export function visibleQuarters(db: ObservatoryDb, drafts: boolean): Promise<QuarterSummary[]> {
  return listQuarters(db, { brouillons: drafts });
}

/**
 * The quarter asked for, or by default the latest published one. A draft asked for by someone who
 * may not see it is answered like an unknown quarter, so that drafts stay invisible.
 */
export function pickQuarter(quarters: QuarterSummary[], requested: string | undefined): QuarterSummary {
  if (requested !== undefined) {
    const found = quarters.find((q) => q.code === requested);
    if (!found) {
      throw new HttpError(404, "INTROUVABLE", `Trimestre « ${requested} » introuvable ou non publié`, {
        parametre: "trimestre",
      });
    }
    return found;
  }
  const published = quarters.filter((q) => q.statut === "publie");
  const latest = published[published.length - 1];
  if (!latest) {
    throw new HttpError(404, "INTROUVABLE", "Aucun trimestre publié : l'observatoire n'a pas encore de données", {
      parametre: "trimestre",
    });
  }
  return latest;
}

export interface ObservatoryContext {
  scope: Scope;
  /** When the territories were last imported (part of every cache key). */
  territoriesImportedAt: string;
  quarters: QuarterSummary[];
  drafts: boolean;
  cache: PublishedFiguresCache;
}

/**
 * The cache key of a computation on published quarters only; null (no caching) when a draft is
 * involved. A published quarter never changes; the territory's communes change only with a new
 * import of the territories, hence its date in the key.
 */
export function publishedKey(ctx: ObservatoryContext, parts: (string | number | null)[], quarters: QuarterSummary[]) {
  if (quarters.some((q) => q.statut !== "publie")) return null;
  return [ctx.scope.niveau, ctx.scope.code, ctx.territoriesImportedAt, ...parts].join("|");
}

export async function loadContext(
  db: ObservatoryDb,
  cache: PublishedFiguresCache,
  principal: Principal | undefined,
  niveau: Niveau,
  code: string,
): Promise<ObservatoryContext> {
  const { scope, territoriesImportedAt } = await readScope(db, niveau, code);
  const drafts = canSeeDrafts(principal);
  return { scope, territoriesImportedAt, drafts, cache, quarters: await visibleQuarters(db, drafts) };
}
