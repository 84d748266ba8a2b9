import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Kysely } from "kysely";
import { Type } from "typebox";
import { access } from "../../../shared/http/access-control.ts";
import { ErrorResponse } from "../../../shared/http/error-response.schema.ts";
import type { AccountsTables } from "../accounts.tables.ts";
import { recordAudit } from "../audit-log/record-audit.ts";
import type { Mailer } from "../mail/mailer.ts";
import { findUserByEmail, findUserById } from "../users/users.repository.ts";
import { resetPassword, sendPasswordLink } from "./password-reset.service.ts";

export const passwordResetRoutes =
  (db: Kysely<AccountsTables>, mailer: Mailer, publicUrl: string): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      "/api/mot-de-passe/demande",
      {
        config: { access: access.public() },
        schema: {
          summary: "Demander un lien de réinitialisation du mot de passe",
          tags: ["comptes"],
          body: Type.Object({ email: Type.String({ minLength: 3, maxLength: 320 }) }),
          response: { 202: Type.Object({ message: Type.String() }), 400: ErrorResponse, 429: ErrorResponse },
        },
      },
      async (request, reply) => {
        const user = await findUserByEmail(db, request.body.email);
        // Same answer whether or not the account exists: the form must not reveal who has one.
        if (user && user.actif === 1) {
          await sendPasswordLink(db, mailer, user, publicUrl, "reinitialisation");
          await recordAudit(db, {
            acteur: `utilisateur:${user.email}`,
            action: "mot-de-passe.demande",
            ip: request.ip,
          });
        }
        return reply.status(202).send({
          message: "Si un compte existe pour cette adresse, un lien de réinitialisation vient de lui être envoyé.",
        });
      },
    );

    app.post(
      "/api/mot-de-passe/nouveau",
      {
        config: { access: access.public() },
        schema: {
          summary: "Choisir un nouveau mot de passe avec le lien reçu",
          tags: ["comptes"],
          body: Type.Object({
            jeton: Type.String({ minLength: 10, maxLength: 200 }),
            motDePasse: Type.String({ minLength: 1, maxLength: 1024 }),
          }),
          response: { 204: Type.Null(), 400: ErrorResponse, 429: ErrorResponse },
        },
      },
      async (request, reply) => {
        const userId = await resetPassword(db, request.body.jeton, request.body.motDePasse);
        const user = await findUserById(db, userId);
        await recordAudit(db, {
          acteur: `utilisateur:${user?.email ?? userId}`,
          action: "mot-de-passe.changement",
          ip: request.ip,
        });
        return reply.status(204).send(null);
      },
    );
  };
