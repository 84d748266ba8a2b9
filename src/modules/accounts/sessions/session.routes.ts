import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Kysely } from "kysely";
import { access } from "../../../shared/http/access-control.ts";
import { ErrorResponse } from "../../../shared/http/error-response.schema.ts";
import { HttpError } from "../../../shared/http/errors.ts";
import type { AccountsTables } from "../accounts.tables.ts";
import { recordAudit } from "../audit-log/record-audit.ts";
import { DEMO_ACCOUNTS } from "../demo-accounts/demo-accounts.ts";
import { decoyVerify, verifyPassword } from "../shared/passwords.ts";
import { findUserByEmail, normalizeEmail, rolesOf } from "../users/users.repository.ts";
import { SessionResponse, SignInBody } from "./session.schema.ts";
import { closeSession, openSession } from "./session.service.ts";
import { assertNotThrottled, clearFailedSignIns, recordFailedSignIn, throttleKeys } from "./sign-in-throttle.ts";

export interface SessionRoutesOptions {
  demo: boolean;
  oidcEnabled: boolean;
}

export const sessionRoutes =
  (db: Kysely<AccountsTables>, options: SessionRoutesOptions): FastifyPluginAsyncTypebox =>
  async (app) => {
    const demoAccounts = options.demo
      ? DEMO_ACCOUNTS.map((a) => ({ role: a.roles[0]?.role ?? "", email: a.email, motDePasse: a.motDePasse }))
      : [];

    app.get(
      "/api/session",
      {
        config: { access: access.public() },
        schema: {
          summary: "La session en cours (et le jeton anti-falsification)",
          tags: ["comptes"],
          response: { 200: SessionResponse },
        },
      },
      async (request) => {
        const base = { oidc: options.oidcEnabled, comptesDemo: demoAccounts };
        const p = request.principal;
        if (p.kind !== "utilisateur") return { connecte: false, ...base };
        return {
          connecte: true,
          utilisateur: { id: p.id, email: p.email, nom: p.nom, roles: p.roles },
          jetonCsrf: p.csrfToken,
          ...base,
        };
      },
    );

    app.post(
      "/api/session",
      {
        config: { access: access.public() },
        schema: {
          summary: "Se connecter avec un compte local",
          tags: ["comptes"],
          body: SignInBody,
          response: { 200: SessionResponse, 400: ErrorResponse, 401: ErrorResponse, 429: ErrorResponse },
        },
      },
      async (request, reply) => {
        const email = normalizeEmail(request.body.email);
        const keys = throttleKeys(email, request.ip);
        await assertNotThrottled(db, keys);
        const user = await findUserByEmail(db, email);
        const valid = user
          ? user.actif === 1 && (await verifyPassword(user.mot_de_passe, request.body.motDePasse))
          : await decoyVerify(request.body.motDePasse);
        if (!user || !valid) {
          await recordFailedSignIn(db, keys);
          await recordAudit(db, {
            acteur: `utilisateur:${email}`,
            action: "connexion",
            resultat: "echec",
            ip: request.ip,
          });
          throw new HttpError(401, "IDENTIFIANTS_INVALIDES", "Adresse e-mail ou mot de passe incorrect");
        }
        await clearFailedSignIns(db, keys.account);
        const session = await openSession(db, user.id, request, reply);
        await recordAudit(db, {
          acteur: `utilisateur:${email}`,
          action: "connexion",
          ip: request.ip,
          details: { methode: "locale" },
        });
        return {
          connecte: true,
          utilisateur: { id: user.id, email: user.email, nom: user.nom, roles: await rolesOf(db, user.id) },
          jetonCsrf: session.csrfToken,
          oidc: options.oidcEnabled,
          comptesDemo: demoAccounts,
        };
      },
    );

    app.delete(
      "/api/session",
      {
        config: { access: access.signedIn() },
        schema: {
          summary: "Se déconnecter",
          tags: ["comptes"],
          response: { 204: { type: "null" }, 401: ErrorResponse, 403: ErrorResponse },
        },
      },
      async (request, reply) => {
        const p = request.principal;
        if (p.kind === "utilisateur") {
          await closeSession(db, p.sessionId, reply);
          await recordAudit(db, { acteur: `utilisateur:${p.email}`, action: "deconnexion", ip: request.ip });
        }
        return reply.status(204).send(null);
      },
    );
  };
