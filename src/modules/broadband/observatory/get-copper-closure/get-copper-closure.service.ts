import { sql } from "kysely";
import type { QuarterSummary } from "../../quarters/quarters.service.ts";
import { inScope, readsWholeQuarter, scopeCommunes, share, statsWithCommunes } from "../observatory.figures.ts";
import { avertissement, presentQuarter } from "../observatory.http.ts";
import { type ObservatoryContext, type ObservatoryDb, pickQuarter, publishedKey } from "../observatory.scope.ts";
import type { CopperClosureCommune, GetCopperClosureResponse } from "./get-copper-closure.schema.ts";

export function closureState(
  fermetureCommerciale: string | null,
  fermetureTechnique: string | null,
  date: string,
): CopperClosureCommune["etat"] {
  if (fermetureTechnique !== null && fermetureTechnique <= date) return "fermee";
  if (fermetureCommerciale !== null && fermetureCommerciale <= date) return "fermeture_commerciale";
  if (fermetureCommerciale !== null || fermetureTechnique !== null) return "programmee";
  return "non_programmee";
}

export async function getCopperClosure(
  db: ObservatoryDb,
  ctx: ObservatoryContext,
  trimestre: string | undefined,
): Promise<GetCopperClosureResponse> {
  const quarter = pickQuarter(ctx.quarters, trimestre);
  // The calendar is not imported every quarter: read the latest one up to the quarter asked for.
  const visible = ctx.quarters.filter((q) => q.code <= quarter.code).map((q) => q.code);
  const latest = await db
    .selectFrom("thd_fermeture_cuivre")
    .select(sql<string | null>`max(trimestre)`.as("trimestre"))
    .where("trimestre", "in", visible)
    .executeTakeFirst();
  const calendrierDu = latest?.trimestre ?? null;
  const read = ctx.quarters.filter((q) => q.code === quarter.code || q.code === calendrierDu);
  return ctx.cache.getOrCompute(
    publishedKey(ctx, ["cuivre", quarter.code, calendrierDu], read),
    () => readCalendar(db, ctx, quarter, calendrierDu),
    (result) => result.communes.length,
  );
}

/** Every commune of the scope with its calendar (if any) and its figures of the quarter (if any). */
async function readCommunes(
  db: ObservatoryDb,
  ctx: ObservatoryContext,
  trimestre: string,
  calendrierDu: string | null,
) {
  const communes = await scopeCommunes(db, ctx);
  const wholeQuarter = readsWholeQuarter(ctx);
  const calendar =
    calendrierDu === null
      ? []
      : wholeQuarter
        ? await db
            .selectFrom("thd_fermeture_cuivre as f")
            .select(["f.code_insee", "f.lot", "f.fermeture_commerciale", "f.fermeture_technique"])
            .where("f.trimestre", "=", calendrierDu)
            .execute()
        : await db
            .selectFrom("thd_fermeture_cuivre as f")
            .innerJoin("territoire as t", (join) =>
              join.onRef("t.code", "=", "f.code_insee").on("t.niveau", "=", "communes"),
            )
            .select(["f.code_insee", "f.lot", "f.fermeture_commerciale", "f.fermeture_technique"])
            .where("f.trimestre", "=", calendrierDu)
            .where(inScope(ctx.scope))
            .execute();
  const stats = wholeQuarter
    ? await db
        .selectFrom("thd_stat_commune as s")
        .select(["s.code_insee", "s.locaux", "s.ftth_raccordables"])
        .where("s.trimestre", "=", trimestre)
        .execute()
    : await statsWithCommunes(db)
        .select(["s.code_insee", "s.locaux", "s.ftth_raccordables"])
        .where("s.trimestre", "=", trimestre)
        .where(inScope(ctx.scope))
        .execute();
  const calendarOf = new Map(calendar.map((row) => [row.code_insee, row]));
  const statsOf = new Map(stats.map((row) => [row.code_insee, row]));
  return communes.map((c) => {
    const f = calendarOf.get(c.code);
    const s = statsOf.get(c.code);
    return {
      code: c.code,
      nom: c.nom,
      lot: f?.lot ?? null,
      fermeture_commerciale: f?.fermeture_commerciale ?? null,
      fermeture_technique: f?.fermeture_technique ?? null,
      locaux: s?.locaux ?? null,
      ftth_raccordables: s?.ftth_raccordables ?? null,
    };
  });
}

async function readCalendar(
  db: ObservatoryDb,
  ctx: ObservatoryContext,
  quarter: QuarterSummary,
  calendrierDu: string | null,
): Promise<GetCopperClosureResponse> {
  const rows = await readCommunes(db, ctx, quarter.code, calendrierDu);
  const communes: CopperClosureCommune[] = rows.map((r) => ({
    code: r.code,
    nom: r.nom,
    lot: r.lot ?? null,
    fermetureCommerciale: r.fermeture_commerciale ?? null,
    fermetureTechnique: r.fermeture_technique ?? null,
    etat: closureState(r.fermeture_commerciale ?? null, r.fermeture_technique ?? null, quarter.fin),
    locaux: r.locaux === null ? null : Number(r.locaux),
    ftthPart: share(
      r.ftth_raccordables === null ? null : Number(r.ftth_raccordables),
      r.locaux === null ? null : Number(r.locaux),
    ),
  }));
  const etats = { fermee: 0, fermeture_commerciale: 0, programmee: 0, non_programmee: 0 };
  const years = new Map<number, GetCopperClosureResponse["calendrier"][number]>();
  const year = (annee: number) => {
    let entry = years.get(annee);
    if (!entry) {
      entry = { annee, communesFermetureCommerciale: 0, communesFermetureTechnique: 0, locauxFermetureTechnique: 0 };
      years.set(annee, entry);
    }
    return entry;
  };
  for (const c of communes) {
    etats[c.etat] += 1;
    if (c.fermetureCommerciale) year(Number(c.fermetureCommerciale.slice(0, 4))).communesFermetureCommerciale += 1;
    if (c.fermetureTechnique) {
      const entry = year(Number(c.fermetureTechnique.slice(0, 4)));
      entry.communesFermetureTechnique += 1;
      entry.locauxFermetureTechnique += c.locaux ?? 0;
    }
  }
  return {
    territoire: ctx.scope,
    trimestre: presentQuarter(quarter),
    calendrierDu,
    dateReference: quarter.fin,
    etats,
    calendrier: [...years.values()].sort((a, b) => a.annee - b.annee),
    communes,
    simule: quarter.simule,
    avertissement: avertissement(quarter.simule),
  };
}
