import type {} from "@fastify/cookie";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import type { AccountsTables } from "../accounts.tables.ts";
import { isoIn, isoNow, randomToken, sha256 } from "../shared/tokens.ts";

export const SESSION_COOKIE = "tn_session";
export const SESSION_DURATION_MS = 12 * 3600 * 1000;

export interface OpenedSession {
  token: string;
  csrfToken: string;
  expireLe: string;
}

/** Opens a session for a user and sets its cookie (HttpOnly, SameSite=Lax, Secure over HTTPS). */
export async function openSession(
  db: Kysely<AccountsTables>,
  userId: string,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<OpenedSession> {
  const token = randomToken();
  const csrfToken = randomToken();
  const expireLe = isoIn(SESSION_DURATION_MS);
  await db
    .insertInto("session")
    .values({
      id: sha256(token),
      utilisateur_id: userId,
      jeton_csrf: csrfToken,
      cree_le: isoNow(),
      expire_le: expireLe,
      ip: request.ip,
      agent: String(request.headers["user-agent"] ?? "").slice(0, 300),
    })
    .execute();
  await db.updateTable("utilisateur").set({ derniere_connexion: isoNow() }).where("id", "=", userId).execute();
  reply.setCookie(SESSION_COOKIE, token, {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: request.protocol === "https",
    maxAge: SESSION_DURATION_MS / 1000,
  });
  return { token, csrfToken, expireLe };
}

export async function closeSession(db: Kysely<AccountsTables>, sessionId: string, reply: FastifyReply): Promise<void> {
  await db.deleteFrom("session").where("id", "=", sessionId).execute();
  reply.clearCookie(SESSION_COOKIE, { path: "/" });
}

export async function closeAllSessions(db: Kysely<AccountsTables>, userId: string): Promise<void> {
  await db.deleteFrom("session").where("utilisateur_id", "=", userId).execute();
}
