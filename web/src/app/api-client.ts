import type { FeatureCollection } from "geojson";
import type {
  AddressFeatureCollection,
  CleCreee,
  CleListe,
  Configuration,
  JournalFiltres,
  JournalPage,
  Niveau,
  NouvelleCle,
  NouvelUtilisateur,
  RoleAttribue,
  Session,
  TerritoireDetail,
  TerritoireFilters,
  TerritoirePage,
  Utilisateur,
  UtilisateurListe,
} from "./api-types.ts";

/** Error carrying the HTTP status, the API's stable code and its French message. */
export class ApiError extends Error {
  readonly status: number;
  /** Stable error code sent by the API (« CSRF », « IDENTIFIANTS_INVALIDES »…), when there is one. */
  readonly code: string | undefined;
  /** Seconds to wait before retrying (Retry-After), for 429 responses. */
  readonly retryAfter: number | undefined;
  /** The whole error body, for APIs that detail the problems (e.g. `erreurs` of a refused import). */
  readonly body: Record<string, unknown> | undefined;
  constructor(status: number, message: string, code?: string, retryAfter?: number, body?: Record<string, unknown>) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
    this.body = body;
  }
}

// The session's anti-forgery token, sent in X-CSRF-Token with every write (set by the session context).
let csrfToken: string | undefined;

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
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

/** GET without the cache: for data that depends on who is signed in or changes while browsing. */
export function getFreshJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  return fetchJson<T>(url, signal);
}

async function fetchJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const response = await send(url, { headers: { Accept: "application/json" }, signal });
  return (await response.json()) as T;
}

type WriteMethod = "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * Sends a write (JSON body if any) with the session's X-CSRF-Token. If the server refuses the token
 * (session renewed in another tab), the token is read again from /api/session and the write retried once.
 * Resolves to the JSON body, or `undefined` for 204.
 */
export async function sendJson<T = undefined>(method: WriteMethod, url: string, body?: unknown): Promise<T> {
  const attempt = () => {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (csrfToken) headers["X-CSRF-Token"] = csrfToken;
    return send(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  };
  let response: Response;
  try {
    response = await attempt();
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 403 && error.code === "CSRF")) throw error;
    const session = await fetchJson<Session>("/api/session");
    setCsrfToken(session.jetonCsrf);
    response = await attempt();
  }
  if (response.status === 204 || response.headers.get("content-length") === "0") return undefined as T;
  return (await response.json()) as T;
}

/** Sends a multipart form (file upload) with the session's X-CSRF-Token, as sendJson does. */
export async function sendForm<T>(url: string, form: FormData): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (csrfToken) headers["X-CSRF-Token"] = csrfToken;
  const response = await send(url, { method: "POST", headers, body: form });
  return (await response.json()) as T;
}

async function send(url: string, init: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: "same-origin", ...init });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError(0, "Le serveur ne répond pas. Vérifiez votre connexion puis réessayez.");
  }
  if (!response.ok) throw await errorFrom(response);
  return response;
}

async function errorFrom(response: Response): Promise<ApiError> {
  let message = `Le serveur a répondu avec une erreur (${response.status}).`;
  let code: string | undefined;
  let details: Record<string, unknown> | undefined;
  try {
    const body = (await response.json()) as { message?: unknown; code?: unknown };
    if (typeof body.message === "string" && body.message) message = body.message;
    if (typeof body.code === "string") code = body.code;
    details = body as Record<string, unknown>;
  } catch {
    // Body is not JSON: keep the generic message.
  }
  const retryAfter = Number.parseInt(response.headers.get("retry-after") ?? "", 10);
  return new ApiError(response.status, message, code, Number.isFinite(retryAfter) ? retryAfter : undefined, details);
}

export function query(params: Record<string, string | number | undefined>): string {
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

/** Address search (national address API format). The address lot is fixed while browsing: cached. */
export const addressApi = {
  searchUrl: (q: string, limit = 5) => `/api/adresse/search${query({ q, limit, autocomplete: 1 })}`,
  search: (q: string, signal?: AbortSignal, limit = 5) =>
    getJson<AddressFeatureCollection>(addressApi.searchUrl(q, limit), signal),
};

/** Accounts: session, passwords, users, API keys, audit log. Never cached: they depend on who is signed in. */
export const accountsApi = {
  session: () => getFreshJson<Session>("/api/session"),
  signIn: (email: string, motDePasse: string) => sendJson<Session>("POST", "/api/session", { email, motDePasse }),
  signOut: () => sendJson("DELETE", "/api/session"),
  oidcUrl: (retour: string) => `/api/connexion/oidc${query({ retour })}`,

  requestPasswordReset: (email: string) =>
    sendJson<{ message: string }>("POST", "/api/mot-de-passe/demande", { email }),
  setNewPassword: (jeton: string, motDePasse: string) =>
    sendJson("POST", "/api/mot-de-passe/nouveau", { jeton, motDePasse }),

  usersCsvUrl: () => "/api/utilisateurs?format=csv",
  users: () => getFreshJson<UtilisateurListe>("/api/utilisateurs"),
  inviteUser: (user: NouvelUtilisateur) => sendJson<Utilisateur>("POST", "/api/utilisateurs", user),
  setUserRoles: (id: string, roles: RoleAttribue[]) =>
    sendJson<Utilisateur>("PUT", `/api/utilisateurs/${encodeURIComponent(id)}/roles`, { roles }),
  setUserActive: (id: string, actif: boolean) =>
    sendJson<Utilisateur>("PATCH", `/api/utilisateurs/${encodeURIComponent(id)}`, { actif }),

  keysCsvUrl: () => "/api/cles?format=csv",
  keys: () => getFreshJson<CleListe>("/api/cles"),
  createKey: (cle: NouvelleCle) => sendJson<CleCreee>("POST", "/api/cles", cle),
  revokeKey: (id: string) => sendJson("DELETE", `/api/cles/${encodeURIComponent(id)}`),

  journalUrl: (filtres: JournalFiltres, page: { limit?: number; offset?: number } = {}) =>
    `/api/journal${query({ ...filtres, ...page })}`,
  journalCsvUrl: (filtres: JournalFiltres) => `/api/journal${query({ ...filtres, format: "csv" })}`,
  journal: (filtres: JournalFiltres, page: { limit: number; offset: number }) =>
    getFreshJson<JournalPage>(accountsApi.journalUrl(filtres, page)),
};
