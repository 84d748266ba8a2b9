import type { ObjectifThd } from "../../../../shared/config/config.ts";
import type { Variante } from "../../broadband.tables.ts";
import {
  type AggregateRow,
  inScope,
  presentShares,
  shareSelections,
  statsWithCommunes,
} from "../observatory.figures.ts";
import { avertissement, presentQuarter } from "../observatory.http.ts";
import { type ObservatoryContext, type ObservatoryDb, publishedKey } from "../observatory.scope.ts";
import { FORECAST_METHOD, projectTargets } from "./forecast.ts";
import type { GetSeriesResponse } from "./get-series.schema.ts";

export async function getSeries(
  db: ObservatoryDb,
  ctx: ObservatoryContext,
  variante: Variante,
  objectifs: ObjectifThd[],
): Promise<GetSeriesResponse> {
  // Each published quarter's figures are computed once; drafts (agents only) are read every time.
  const byQuarter = new Map<string, AggregateRow | null>();
  const missing: string[] = [];
  for (const q of ctx.quarters) {
    const key = publishedKey(ctx, ["serie", q.code], [q]);
    const cached = key === null ? undefined : ctx.cache.get<AggregateRow | null>(key);
    if (cached === undefined) missing.push(q.code);
    else byQuarter.set(q.code, cached);
  }
  if (missing.length > 0) {
    const rows = await statsWithCommunes(db)
      .select(["s.trimestre", ...shareSelections()])
      .where("s.trimestre", "in", missing)
      .where(inScope(ctx.scope))
      .groupBy("s.trimestre")
      .execute();
    const read = new Map(rows.map((row) => [row.trimestre as string, row as AggregateRow]));
    for (const q of ctx.quarters.filter((x) => missing.includes(x.code))) {
      const row = read.get(q.code) ?? null;
      byQuarter.set(q.code, row);
      const key = publishedKey(ctx, ["serie", q.code], [q]);
      if (key !== null) ctx.cache.set(key, row);
    }
  }
  const points = ctx.quarters.flatMap((q) => {
    const row = byQuarter.get(q.code);
    return row ? [{ trimestre: presentQuarter(q), ...presentShares(row) }] : [];
  });
  const projection = projectTargets(
    points.map((p) => ({ trimestre: p.trimestre.code, valeur: p.thd[variante] })),
    objectifs,
  );
  const simule = points.some((p) => p.trimestre.simule);
  return {
    territoire: ctx.scope,
    variante,
    points,
    ...projection,
    methode: FORECAST_METHOD,
    simule,
    avertissement: avertissement(simule),
  };
}
