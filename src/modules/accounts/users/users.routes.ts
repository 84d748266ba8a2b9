import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Kysely } from "kysely";
import { Type } from "typebox";
import { access, type Principal } from "../../../shared/http/access-control.ts";
import { sendCsv, toCsv } from "../../../shared/http/csv.ts";
import { ErrorResponse } from "../../../shared/http/error-response.schema.ts";
import { HttpError, notFound } from "../../../shared/http/errors.ts";
import type { AccountsTables } from "../accounts.tables.ts";
import { recordAudit } from "../audit-log/record-audit.ts";
import type { Mailer } from "../mail/mailer.ts";
import { sendPasswordLink } from "../password-reset/password-reset.service.ts";
import { closeAllSessions } from "../sessions/session.service.ts";
import { presentUser } from "./users.presenter.ts";
import { findUserByEmail, findUserById, insertUser, listUsers, replaceRoles, rolesOf } from "./users.repository.ts";
import {
  InviteUserBody,
  ReplaceRolesBody,
  UpdateUserBody,
  UserIdParams,
  UserList,
  UserResource,
} from "./users.schema.ts";

export function actorOf(principal: Principal): string {
  if (principal.kind === "utilisateur") return `utilisateur:${principal.email}`;
  if (principal.kind === "cle") return `cle:${principal.prefixe}`;
  return "anonyme";
}

const adminOnly = () => access.roles(["admin"]);
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

export const userRoutes =
  (db: Kysely<AccountsTables>, mailer: Mailer, publicUrl: string): FastifyPluginAsyncTypebox =>
  async (app) => {
    const loadUser = async (id: string) => {
      const user = await findUserById(db, id);
      if (!user) throw notFound("Aucun utilisateur avec cet identifiant");
      return presentUser({ ...user, roles: await rolesOf(db, id) });
    };

    app.get(
      "/api/utilisateurs",
      {
        config: { access: adminOnly() },
        schema: {
          summary: "Lister les utilisateurs et leurs rôles",
          tags: ["comptes"],
          querystring: Type.Object({ format: Type.Enum(["json", "csv"], { default: "json" }) }),
          response: { 200: UserList, ...errors },
        },
      },
      async (request, reply) => {
        const users = (await listUsers(db)).map(presentUser);
        if (request.query.format === "csv") {
          return sendCsv(
            reply,
            "utilisateurs.csv",
            toCsv(users, [
              { header: "email", value: (u) => u.email },
              { header: "nom", value: (u) => u.nom },
              {
                header: "roles",
                value: (u) => u.roles.map((r) => (r.perimetre ? `${r.role}:${r.perimetre}` : r.role)).join(" "),
              },
              { header: "actif", value: (u) => (u.actif ? "oui" : "non") },
              { header: "cree_le", value: (u) => u.creeLe },
              { header: "derniere_connexion", value: (u) => u.derniereConnexion },
            ]),
          );
        }
        return { total: users.length, results: users };
      },
    );

    app.post(
      "/api/utilisateurs",
      {
        config: { access: adminOnly() },
        schema: {
          summary: "Inviter un utilisateur (un lien pour choisir son mot de passe lui est envoyé)",
          tags: ["comptes"],
          body: InviteUserBody,
          response: { 201: UserResource, ...errors },
        },
      },
      async (request, reply) => {
        const { email, nom, roles } = request.body;
        if (await findUserByEmail(db, email)) {
          throw new HttpError(409, "EMAIL_DEJA_UTILISE", "Un compte existe déjà avec cette adresse e-mail", {
            parametre: "email",
          });
        }
        const user = await insertUser(db, { email, nom, motDePasseHash: null });
        await replaceRoles(db, user.id, roles);
        await sendPasswordLink(db, mailer, user, publicUrl, "invitation");
        await recordAudit(db, {
          acteur: actorOf(request.principal),
          action: "utilisateur.creation",
          cible: user.email,
          ip: request.ip,
          details: { roles },
        });
        return reply.status(201).send(await loadUser(user.id));
      },
    );

    app.put(
      "/api/utilisateurs/:id/roles",
      {
        config: { access: adminOnly() },
        schema: {
          summary: "Remplacer les rôles d'un utilisateur",
          tags: ["comptes"],
          params: UserIdParams,
          body: ReplaceRolesBody,
          response: { 200: UserResource, ...errors },
        },
      },
      async (request) => {
        const before = await loadUser(request.params.id);
        await replaceRoles(db, before.id, request.body.roles);
        await recordAudit(db, {
          acteur: actorOf(request.principal),
          action: "role.modification",
          cible: before.email,
          ip: request.ip,
          details: { avant: before.roles, apres: request.body.roles },
        });
        return loadUser(before.id);
      },
    );

    app.patch(
      "/api/utilisateurs/:id",
      {
        config: { access: adminOnly() },
        schema: {
          summary: "Activer ou désactiver un compte",
          tags: ["comptes"],
          params: UserIdParams,
          body: UpdateUserBody,
          response: { 200: UserResource, ...errors },
        },
      },
      async (request) => {
        const user = await loadUser(request.params.id);
        const principal = request.principal;
        if (!request.body.actif && principal.kind === "utilisateur" && principal.id === user.id) {
          throw new HttpError(400, "AUTO_DESACTIVATION", "Vous ne pouvez pas désactiver votre propre compte", {
            parametre: "actif",
          });
        }
        await db
          .updateTable("utilisateur")
          .set({ actif: request.body.actif ? 1 : 0 })
          .where("id", "=", user.id)
          .execute();
        if (!request.body.actif) await closeAllSessions(db, user.id);
        await recordAudit(db, {
          acteur: actorOf(request.principal),
          action: request.body.actif ? "utilisateur.activation" : "utilisateur.desactivation",
          cible: user.email,
          ip: request.ip,
        });
        return loadUser(user.id);
      },
    );
  };
