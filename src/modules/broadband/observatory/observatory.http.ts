import type { FastifyReply, FastifyRequest } from "fastify";
import type { CsvColumn } from "../../../shared/http/csv.ts";
import { sendPreserialized } from "../../../shared/http/preserialized.ts";
import type { QuarterSummary } from "../quarters/quarters.service.ts";
import { matchesEtag, negotiateCoding } from "./observatory.answer-cache.ts";
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
 * Everything a public JSON answer depends on: the route, its validated parameters and query (with
 * defaults, in a fixed order), the published quarters (a new publication changes the set) and the
 * territories' import. The answer of a published quarter never changes while this key holds.
 */
export function answerKey(request: FastifyRequest, ctx: ObservatoryContext): string {
  const sorted = (value: unknown) =>
    JSON.stringify(Object.entries((value ?? {}) as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)));
  return [
    request.method === "HEAD" ? "GET" : request.method,
    request.routeOptions.url,
    sorted(request.params),
    sorted(request.query),
    ctx.quarters.map((q) => `${q.code}@${q.publieLe}`).join(","),
    ctx.territoriesImportedAt,
  ].join("|");
}

/**
 * The JSON answer for the public, as bytes built once per `answerKey`: serialised, hashed for a
 * (weak) ETag and compressed in the client's coding once, then sent as stored; a client revalidating
 * with the ETag gets 304. Callers that may see drafts (which change with each import) always
 * compute afresh.
 */
export async function sendJson<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  ctx: ObservatoryContext,
  compute: () => Promise<T>,
): Promise<FastifyReply | T> {
  if (ctx.drafts) return compute();
  const answer = await ctx.cache.answers.get(
    answerKey(request, ctx),
    negotiateCoding(request.headers["accept-encoding"]),
    async () => JSON.stringify(await compute()),
  );
  // Lower case, as @fastify/compress looks for it before adding its own.
  reply.header("vary", "Cookie, Authorization, accept-encoding");
  reply.header("etag", answer.etag);
  reply.header("x-cache", answer.hit ? "HIT" : "MISS");
  if (matchesEtag(request.headers["if-none-match"], answer.etag)) return reply.code(304).send();
  // Already compressed: @fastify/compress leaves a body with a Content-Encoding alone.
  if (answer.coding !== null) reply.header("content-encoding", answer.coding);
  return reply.type("application/json; charset=utf-8").send(answer.bytes);
}
