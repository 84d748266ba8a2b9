import type { FeatureCollection } from "geojson";
import type { Configuration, Niveau, TerritoireDetail, TerritoireFilters, TerritoirePage } from "./api-types.ts";

/** Error carrying the HTTP status and the French message sent by the API. */
export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
  }
}

// GET responses are cached for the page's lifetime: the reference data does not change while browsing.
const responseCache = new Map<string, Promise<unknown>>();

export function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const cached = responseCache.get(url);
  if (cached) return cached as Promise<T>;
  const request = fetchJson<T>(url, signal);
  responseCache.set(url, request);
  // Failed or aborted requests must not stay cached, so a retry really asks the server again.
  request.catch(() => responseCache.delete(url));
  return request;
}

async function fetchJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { Accept: "application/json" }, signal });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError(0, "Le serveur ne répond pas. Vérifiez votre connexion puis réessayez.");
  }
  if (!response.ok) {
    let message = `Le serveur a répondu avec une erreur (${response.status}).`;
    try {
      const body = (await response.json()) as { message?: unknown };
      if (typeof body.message === "string" && body.message) message = body.message;
    } catch {
      // Body is not JSON: keep the generic message.
    }
    throw new ApiError(response.status, message);
  }
  return (await response.json()) as T;
}

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

export interface ListOptions extends TerritoireFilters {
  q?: string;
  tri?: "nom" | "population" | "code";
  limit?: number;
  offset?: number;
}

export const api = {
  configurationUrl: () => "/api/configuration",
  listUrl: (niveau: Niveau, options: ListOptions = {}) => `/api/territoires/${niveau}${query({ ...options })}`,
  csvUrl: (niveau: Niveau, filters: TerritoireFilters & { tri?: ListOptions["tri"] } = {}) =>
    `/api/territoires/${niveau}${query({ ...filters, format: "csv" })}`,
  detailUrl: (niveau: Niveau, code: string) => `/api/territoires/${niveau}/${encodeURIComponent(code)}`,
  contourUrl: (niveau: Niveau, code: string) => `/api/territoires/${niveau}/${encodeURIComponent(code)}/contour`,
  contoursUrl: (niveau: Niveau, filters: TerritoireFilters) =>
    `/api/territoires/${niveau}/contours${query({ ...filters })}`,

  configuration: () => getJson<Configuration>("/api/configuration"),
  list: (niveau: Niveau, options: ListOptions = {}, signal?: AbortSignal) =>
    getJson<TerritoirePage>(api.listUrl(niveau, options), signal),
  detail: (niveau: Niveau, code: string) => getJson<TerritoireDetail>(api.detailUrl(niveau, code)),
  contours: (niveau: Niveau, filters: TerritoireFilters) =>
    getJson<FeatureCollection>(api.contoursUrl(niveau, filters)),
};
