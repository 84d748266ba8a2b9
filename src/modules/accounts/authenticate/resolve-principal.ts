import { fastifyCookie } from "@fastify/cookie";
import type { FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import type { Principal } from "../../../shared/http/access-control.ts";
import { HttpError } from "../../../shared/http/errors.ts";
import type { AccountsTables } from "../accounts.tables.ts";
import { parseApiKey } from "../api-keys/api-key-format.ts";
import { SESSION_COOKIE } from "../sessions/session.service.ts";
import { isoNow, sameSecret, sha256 } from "../shared/tokens.ts";
import { rolesOf } from "../users/users.repository.ts";

const ANONYMOUS: Principal = { kind: "anonyme" };

/**
 * Who is calling: an API key (`Authorization: Bearer …` or `X-API-Key`) wins over the session
 * cookie. A key that is presented but unknown, revoked or expired is an error (401), never a
 * silent fall back to anonymous.
 */
export function principalResolver(db: Kysely<AccountsTables>) {
  // Synchronous when there is nothing to read (an anonymous call, the most frequent): no promise.
  return (request: FastifyRequest): Principal | Promise<Principal> => {
    const presented = presentedApiKey(request);
    if (presented !== undefined) return resolveApiKey(db, presented);
    // Read here rather than by a cookie hook on every request: only this needs it.
    const header = request.headers.cookie;
    const token = header ? fastifyCookie.parse(header)[SESSION_COOKIE] : undefined;
    if (!token) return ANONYMOUS;
    return resolveSession(db, token);
  };
}

async function resolveSession(db: Kysely<AccountsTables>, token: string): Promise<Principal> {
  const row = await db
    .selectFrom("session")
    .innerJoin("utilisateur", "utilisateur.id", "session.utilisateur_id")
    .select([
      "session.id as sessionId",
      "session.jeton_csrf",
      "session.expire_le",
      "utilisateur.id",
      "utilisateur.email",
      "utilisateur.nom",
      "utilisateur.actif",
    ])
    .where("session.id", "=", sha256(token))
    .executeTakeFirst();
  if (!row || row.expire_le <= isoNow() || row.actif !== 1) return ANONYMOUS;
  return {
    kind: "utilisateur",
    id: row.id,
    email: row.email,
    nom: row.nom,
    roles: await rolesOf(db, row.id),
    sessionId: row.sessionId,
    csrfToken: row.jeton_csrf,
  };
}

function presentedApiKey(request: FastifyRequest): string | undefined {
  const header = request.headers["x-api-key"];
  if (typeof header === "string") return header.trim();
  const authorization = request.headers.authorization;
  if (authorization?.startsWith("Bearer ")) return authorization.slice("Bearer ".length).trim();
  return undefined;
}

const invalidKey = () => new HttpError(401, "CLE_INVALIDE", "Clé d'API inconnue, révoquée ou expirée");

async function resolveApiKey(db: Kysely<AccountsTables>, presented: string): Promise<Principal> {
  const parsed = parseApiKey(presented);
  if (!parsed) throw invalidKey();
  const key = await db
    .selectFrom("cle_api")
    .innerJoin("utilisateur", "utilisateur.id", "cle_api.proprietaire_id")
    .select([
      "cle_api.id",
      "cle_api.prefixe",
      "cle_api.empreinte",
      "cle_api.portees",
      "cle_api.expire_le",
      "cle_api.revoquee_le",
      "cle_api.derniere_utilisation",
      "utilisateur.id as proprietaireId",
      "utilisateur.actif",
    ])
    .where("cle_api.prefixe", "=", parsed.prefixe)
    .executeTakeFirst();
  const now = isoNow();
  if (
    !key ||
    !sameSecret(key.empreinte, sha256(presented)) ||
    key.revoquee_le !== null ||
    (key.expire_le !== null && key.expire_le <= now) ||
    key.actif !== 1
  ) {
    throw invalidKey();
  }
  // Last use is kept to the minute: one write per key per minute at most, not one per request.
  if (key.derniere_utilisation === null || key.derniere_utilisation.slice(0, 16) !== now.slice(0, 16)) {
    await db.updateTable("cle_api").set({ derniere_utilisation: now }).where("id", "=", key.id).execute();
  }
  return {
    kind: "cle",
    id: key.id,
    prefixe: key.prefixe,
    proprietaireId: key.proprietaireId,
    portees: key.portees.split(" ").filter(Boolean),
    roles: await rolesOf(db, key.proprietaireId),
  };
}
