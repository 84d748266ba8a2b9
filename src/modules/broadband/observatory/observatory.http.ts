import type { FastifyReply } from "fastify";
import type { CsvColumn } from "../../../shared/http/csv.ts";
import { sendPreserialized } from "../../../shared/http/preserialized.ts";
import type { QuarterSummary } from "../quarters/quarters.service.ts";
import type { ObservatoryContext } from "./observatory.scope.ts";

/** Said next to every simulated figure, in pages and in every export. */
export const SIMULATION_NOTICE =
  "Chiffres simulés à partir d'agrégats réels (ARCEP, INSEE) pour la démonstration : ils ne décrivent pas la situation réelle.";

export const avertissement = (simule: boolean) => (simule ? SIMULATION_NOTICE : null);

export function presentQuarter(q: QuarterSummary) {
  return { code: q.code, statut: q.statut, fin: q.fin, simule: q.simule };
}

/**
 * Published figures may be cached by anyone; what an agent sees may include drafts, which change
 * with each import, so it is never stored.
 */
export function setCacheHeaders(reply: FastifyReply, ctx: ObservatoryContext): void {
  reply.header("cache-control", ctx.drafts ? "private, no-store" : "public, max-age=300");
  reply.header("vary", "Cookie, Authorization");
}

/** A CSV/XLSX column saying the figures are simulated, added only when they are. */
export function withNotice<T>(columns: CsvColumn<T>[], simule: (row: T) => boolean): CsvColumn<T>[] {
  return [...columns, { header: "avertissement", value: (row: T) => (simule(row) ? SIMULATION_NOTICE : "") }];
}

export function aboutLines(ctx: ObservatoryContext, titre: string, details: string[], simule: boolean): string[] {
  return [
    titre,
    `Territoire : ${ctx.scope.nom} (${ctx.scope.niveau} ${ctx.scope.code})`,
    ...details,
    ...(simule ? [SIMULATION_NOTICE] : []),
  ];
}

/** A FeatureCollection assembled as text (geometries are stored serialised). */
export function sendFeatureCollection(
  reply: FastifyReply,
  baseName: string,
  features: string[],
  simule: boolean,
  /** Foreign member (RFC 7946 §6.1) describing the file: what the features hold, how to join them. */
  observatoire?: Record<string, unknown>,
): FastifyReply {
  reply.header("content-disposition", `attachment; filename="${baseName}.geojson"`);
  const notice = simule ? `"avertissement":${JSON.stringify(SIMULATION_NOTICE)},` : "";
  const about = observatoire ? `"observatoire":${JSON.stringify(observatoire)},` : "";
  return sendPreserialized(
    reply,
    "application/geo+json",
    `{"type":"FeatureCollection",${notice}${about}"features":[${features.join(",")}]}`,
  );
}

export function pointFeature(id: string, lon: number | null, lat: number | null, properties: Record<string, unknown>) {
  const geometry = lon === null || lat === null ? "null" : JSON.stringify({ type: "Point", coordinates: [lon, lat] });
  return `{"type":"Feature","id":${JSON.stringify(id)},"geometry":${geometry},"properties":${JSON.stringify(properties)}}`;
}

/**
 * The JSON answer for the public, serialised once per URL and set of published quarters (a new
 * publication changes the set, hence the key): large lists (every commune of a région) are then
 * sent without being serialised again. Callers that may see drafts always compute afresh.
 */
export async function sendJson<T>(
  reply: FastifyReply,
  ctx: ObservatoryContext,
  url: string,
  compute: () => Promise<T>,
): Promise<FastifyReply | T> {
  if (ctx.drafts) return compute();
  const key = `json|${url}|${ctx.quarters.map((q) => q.code).join(",")}`;
  const text = await ctx.cache.getOrCompute(
    key,
    async () => JSON.stringify(await compute()),
    (t) => Math.ceil(t.length / 100),
  );
  return reply.type("application/json; charset=utf-8").send(text);
}
