import { sql } from "kysely";
import type { TypeSiteStrategique } from "../../broadband.tables.ts";
import type { QuarterSummary } from "../../quarters/quarters.service.ts";
import { inScope, share } from "../observatory.figures.ts";
import { avertissement, presentQuarter } from "../observatory.http.ts";
import { type ObservatoryContext, type ObservatoryDb, pickQuarter, publishedKey } from "../observatory.scope.ts";
import type { GetStrategicSitesResponse, SiteShare, StrategicSite } from "./get-strategic-sites.schema.ts";

export const TYPE_SITE_LIBELLES: Record<TypeSiteStrategique, string> = {
  college: "Collège",
  sante: "Établissement de santé",
  enseignement_superieur: "Enseignement supérieur",
};

export function siteState(raccordeLe: string | null, date: string): StrategicSite["etat"] {
  if (raccordeLe === null) return "non_raccorde";
  return raccordeLe <= date ? "raccorde" : "prevu";
}

export async function getStrategicSites(
  db: ObservatoryDb,
  ctx: ObservatoryContext,
  trimestre: string | undefined,
  type: TypeSiteStrategique | undefined,
): Promise<GetStrategicSitesResponse> {
  const quarter = pickQuarter(ctx.quarters, trimestre);
  // The list may not be imported every quarter: read the latest one up to the quarter asked for.
  const visible = ctx.quarters.filter((q) => q.code <= quarter.code).map((q) => q.code);
  const latest = await db
    .selectFrom("thd_site_strategique")
    .select(sql<string | null>`max(trimestre)`.as("trimestre"))
    .where("trimestre", "in", visible)
    .executeTakeFirst();
  const sitesDu = latest?.trimestre ?? null;
  const read = ctx.quarters.filter((q) => q.code === quarter.code || q.code === sitesDu);
  return ctx.cache.getOrCompute(
    publishedKey(ctx, ["sites", quarter.code, sitesDu, type ?? "tous"], read),
    () => readSites(db, ctx, quarter, sitesDu, type),
    (result) => result.sites.length,
  );
}

async function readSites(
  db: ObservatoryDb,
  ctx: ObservatoryContext,
  quarter: QuarterSummary,
  sitesDu: string | null,
  type: TypeSiteStrategique | undefined,
): Promise<GetStrategicSitesResponse> {
  const rows = sitesDu
    ? await db
        .selectFrom("thd_site_strategique as site")
        .innerJoin("territoire as t", (join) =>
          join.onRef("t.code", "=", "site.code_insee").on("t.niveau", "=", "communes"),
        )
        .leftJoin("territoire as d", (join) =>
          join.onRef("d.code", "=", "t.departement").on("d.niveau", "=", "departements"),
        )
        .select([
          "site.id",
          "site.type",
          "site.nom",
          "site.adresse",
          "site.code_insee",
          "site.lon",
          "site.lat",
          "site.raccorde_le",
          "t.nom as commune_nom",
          "t.departement",
          "d.nom as departement_nom",
        ])
        .where("site.trimestre", "=", sitesDu)
        .where(inScope(ctx.scope))
        .$if(type !== undefined, (q) => q.where("site.type", "=", type as TypeSiteStrategique))
        .orderBy("t.departement")
        .orderBy("site.type")
        .orderBy("site.nom")
        .orderBy("site.id")
        .execute()
    : [];
  const sites: StrategicSite[] = rows.map((r) => ({
    id: r.id,
    type: r.type,
    typeLibelle: TYPE_SITE_LIBELLES[r.type],
    nom: r.nom,
    adresse: r.adresse,
    commune: { code: r.code_insee, nom: r.commune_nom },
    departement: r.departement,
    lon: r.lon === null ? null : Number(r.lon),
    lat: r.lat === null ? null : Number(r.lat),
    raccordeLe: r.raccorde_le,
    etat: siteState(r.raccorde_le, quarter.fin),
  }));
  const departementNoms = new Map(rows.map((r) => [r.departement, r.departement_nom]));
  const tally = (key: (s: StrategicSite) => string | null): SiteShare[] => {
    const groups = new Map<string, SiteShare>();
    for (const site of sites) {
      const departement = key(site);
      const id = `${departement}|${site.type}`;
      let group = groups.get(id);
      if (!group) {
        group = {
          departement,
          departementNom: departement === null ? null : (departementNoms.get(departement) ?? null),
          type: site.type,
          typeLibelle: site.typeLibelle,
          sites: 0,
          raccordes: 0,
          part: null,
        };
        groups.set(id, group);
      }
      group.sites += 1;
      if (site.etat === "raccorde") group.raccordes += 1;
    }
    return [...groups.values()].map((g) => ({ ...g, part: share(g.raccordes, g.sites) }));
  };
  return {
    territoire: ctx.scope,
    trimestre: presentQuarter(quarter),
    sitesDu,
    dateReference: quarter.fin,
    sites,
    synthese: tally((s) => s.departement),
    totaux: tally(() => null),
    simule: quarter.simule,
    avertissement: avertissement(quarter.simule),
  };
}
