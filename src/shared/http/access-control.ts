import type { FastifyInstance, FastifyRequest } from "fastify";
import { HttpError } from "./errors.ts";

/** The platform's roles; a person may hold several, each bound to a perimeter (network, place…). */
export const ROLES = ["admin", "agent", "operateur", "gestionnaire", "partenaire"] as const;
export type Role = (typeof ROLES)[number];

export interface RoleGrant {
  role: Role;
  /** What the role is bound to (a network id for an operator…); "" for admin and agent. */
  perimetre: string;
}

/** Who is calling: nobody, a signed-in person (session cookie), or a machine client (API key). */
export type Principal =
  | { kind: "anonyme" }
  | {
      kind: "utilisateur";
      id: string;
      email: string;
      nom: string;
      roles: RoleGrant[];
      sessionId: string;
      csrfToken: string;
    }
  | { kind: "cle"; id: string; prefixe: string; proprietaireId: string; portees: string[]; roles: RoleGrant[] };

export type AccessDecision = "allow" | "unauthenticated" | "forbidden";

/**
 * Who may call a route. Declared next to the route's schema (`config: { access }`); a route under
 * /api without one is refused at start-up.
 */
export interface AccessPolicy {
  /** Who may, in French, for the OpenAPI document. */
  description: string;
  /** Roles allowed (admin always is), or "public" / "connecte"; what the authorization matrix expects. */
  allows: "public" | "connecte" | readonly Role[];
  /** API key scope that also grants access, if any. */
  scope?: string;
  /** For perimeter-bound roles: the perimeter the request touches (e.g. the network in the URL). */
  perimeter?: (request: FastifyRequest) => string | undefined;
  decide(principal: Principal, request: FastifyRequest): AccessDecision;
}

const hasRole = (grants: RoleGrant[], roles: readonly Role[], perimetre?: string) =>
  grants.some(
    (g) =>
      g.role === "admin" ||
      (roles.includes(g.role) && (perimetre === undefined || g.perimetre === "" || g.perimetre === perimetre)),
  );

/** Policy constructors; each route picks one. */
export const access = {
  public(): AccessPolicy {
    return { description: "Public", allows: "public", decide: () => "allow" };
  },

  signedIn(): AccessPolicy {
    return {
      description: "Toute personne connectée",
      allows: "connecte",
      decide: (p) => (p.kind === "utilisateur" ? "allow" : p.kind === "anonyme" ? "unauthenticated" : "forbidden"),
    };
  },

  /**
   * Holders of one of `roles` (and admins). With `perimeter`, a perimeter-bound role (operator,
   * manager, partner) must be bound to the perimeter the request names; with `scope`, an API key
   * carrying that scope (and, when perimeter-bound, `<scope>:<perimeter>`) is accepted too.
   */
  roles(
    roles: readonly Role[],
    options: { scope?: string; perimeter?: (request: FastifyRequest) => string | undefined } = {},
  ): AccessPolicy {
    const label = ["admin", ...roles.filter((r) => r !== "admin")].join(", ");
    return {
      description: `Rôles : ${label}${options.scope ? ` ; clé d'API de portée ${options.scope}` : ""}`,
      allows: roles,
      ...options,
      decide(principal, request) {
        if (principal.kind === "anonyme") return "unauthenticated";
        const perimetre = options.perimeter?.(request);
        if (principal.kind === "cle") {
          if (!options.scope) return "forbidden";
          const scoped =
            principal.portees.includes(options.scope) ||
            (perimetre !== undefined && principal.portees.includes(`${options.scope}:${perimetre}`));
          return scoped && hasRole(principal.roles, roles, perimetre) ? "allow" : "forbidden";
        }
        return hasRole(principal.roles, roles, perimetre) ? "allow" : "forbidden";
      },
    };
  },
};

declare module "fastify" {
  interface FastifyContextConfig {
    access?: AccessPolicy;
  }
  interface FastifyRequest {
    principal: Principal;
  }
}

export interface RegisteredRoute {
  method: string;
  url: string;
  policy: AccessPolicy;
}

/** Routes exempt from declaring a policy: the API documentation, public by nature. */
const EXEMPT = ["/api/docs"];

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Enforces the routes' access policies. Every /api route must declare one (checked as routes are
 * added, so a forgotten policy stops the start and fails the tests). Cookie-authenticated writes
 * must carry the session's CSRF token and, when the browser sends one, a same-site Origin.
 */
export function registerAccessControl(
  app: FastifyInstance,
  // A promise only when it must read (a session or a key): anonymous calls stay synchronous.
  resolvePrincipal: (request: FastifyRequest) => Principal | Promise<Principal>,
): RegisteredRoute[] {
  const routes: RegisteredRoute[] = [];
  app.decorateRequest("principal", null as never);
  app.addHook("onRoute", (route) => {
    if (!route.url.startsWith("/api") || EXEMPT.some((prefix) => route.url.startsWith(prefix))) return;
    const policy = route.config?.access;
    if (!policy) throw new Error(`La route ${String(route.method)} ${route.url} ne déclare pas de politique d'accès`);
    for (const method of [route.method].flat()) {
      if (method !== "HEAD") routes.push({ method, url: route.url, policy });
    }
    route.schema = {
      ...route.schema,
      description: [route.schema?.description, `Accès : ${policy.description}.`].filter(Boolean).join("\n\n"),
    };
  });

  // Callback style, not async: most API calls are anonymous, and this runs on every request.
  app.addHook("onRequest", (request, _reply, done) => {
    let resolved: Principal | Promise<Principal>;
    try {
      resolved = resolvePrincipal(request);
    } catch (error) {
      done(error as Error);
      return;
    }
    // No closure made for an anonymous call: this runs on every request.
    if (resolved instanceof Promise) {
      resolved.then(
        (principal) => finishAccess(request, principal, done),
        (error: Error) => done(error),
      );
    } else {
      finishAccess(request, resolved, done);
    }
  });
  return routes;
}

function finishAccess(request: FastifyRequest, principal: Principal, done: (error?: Error) => void): void {
  let refusal: Error | undefined;
  try {
    refusal = decideAccess(request, principal);
  } catch (error) {
    refusal = error as Error;
  }
  done(refusal);
}

/** Records the caller on the request; the error refusing it, if any. */
function decideAccess(request: FastifyRequest, principal: Principal): HttpError | undefined {
  request.principal = principal;
  const policy = request.routeOptions.config?.access;
  if (!policy) return undefined;
  const decision = policy.decide(principal, request);
  if (decision === "unauthenticated") {
    return new HttpError(401, "AUTHENTIFICATION_REQUISE", "Connectez-vous ou fournissez une clé d'API valide");
  }
  if (decision === "forbidden") {
    return new HttpError(403, "ACCES_REFUSE", "Vos droits ne permettent pas cette action");
  }
  if (principal.kind === "utilisateur" && UNSAFE_METHODS.has(request.method)) {
    const origin = request.headers.origin;
    if (origin !== undefined && originHost(origin) !== request.headers.host) {
      return new HttpError(403, "ORIGINE_REFUSEE", "Requête d'un autre site refusée");
    }
    if (request.headers["x-csrf-token"] !== principal.csrfToken) {
      return new HttpError(403, "CSRF", "Jeton anti-falsification (X-CSRF-Token) manquant ou invalide");
    }
  }
  return undefined;
}

function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined; // "null" (sandboxed or file: pages) or garbage: never same-site
  }
}
