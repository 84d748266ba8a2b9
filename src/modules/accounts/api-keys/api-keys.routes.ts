import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Kysely } from "kysely";
import { Type } from "typebox";
import { access, type Principal } from "../../../shared/http/access-control.ts";
import { sendCsv, toCsv } from "../../../shared/http/csv.ts";
import { ErrorResponse } from "../../../shared/http/error-response.schema.ts";
import { HttpError, notFound } from "../../../shared/http/errors.ts";
import type { AccountsTables } from "../accounts.tables.ts";
import { actorOf } from "../users/users.routes.ts";
import { ApiKeyList, type ApiKeyResource, CreateApiKeyBody, CreatedApiKey } from "./api-keys.schema.ts";
import { createApiKey, revokeApiKey } from "./api-keys.service.ts";

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

export const apiKeyRoutes =
  (db: Kysely<AccountsTables>): FastifyPluginAsyncTypebox =>
  async (app) => {
    const isAdmin = (p: Principal) => p.kind === "utilisateur" && p.roles.some((r) => r.role === "admin");
    const listKeys = async (ownerId: string | null): Promise<ApiKeyResource[]> => {
      let query = db
        .selectFrom("cle_api")
        .innerJoin("utilisateur", "utilisateur.id", "cle_api.proprietaire_id")
        .selectAll("cle_api")
        .select("utilisateur.email")
        .orderBy("cle_api.cree_le", "desc");
      if (ownerId) query = query.where("cle_api.proprietaire_id", "=", ownerId);
      return (await query.execute()).map((k) => ({
        id: k.id,
        prefixe: k.prefixe,
        nom: k.nom,
        portees: k.portees.split(" ").filter(Boolean),
        proprietaire: { id: k.proprietaire_id, email: k.email },
        creeLe: k.cree_le,
        expireLe: k.expire_le,
        revoqueeLe: k.revoquee_le,
        derniereUtilisation: k.derniere_utilisation,
      }));
    };
    const ownerFilter = (p: Principal) => (isAdmin(p) || p.kind !== "utilisateur" ? null : p.id);

    app.get(
      "/api/cles",
      {
        config: { access: access.roles(["operateur"]) },
        schema: {
          summary: "Lister les clés d'API (toutes pour un administrateur, les siennes pour un opérateur)",
          tags: ["comptes"],
          querystring: Type.Object({ format: Type.Enum(["json", "csv"], { default: "json" }) }),
          response: { 200: ApiKeyList, ...errors },
        },
      },
      async (request, reply) => {
        const keys = await listKeys(ownerFilter(request.principal));
        if (request.query.format === "csv") {
          return sendCsv(
            reply,
            "cles-api.csv",
            toCsv(keys, [
              { header: "prefixe", value: (k) => k.prefixe },
              { header: "nom", value: (k) => k.nom },
              { header: "portees", value: (k) => k.portees.join(" ") },
              { header: "proprietaire", value: (k) => k.proprietaire.email },
              { header: "cree_le", value: (k) => k.creeLe },
              { header: "expire_le", value: (k) => k.expireLe },
              { header: "revoquee_le", value: (k) => k.revoqueeLe },
              { header: "derniere_utilisation", value: (k) => k.derniereUtilisation },
            ]),
          );
        }
        return { results: keys };
      },
    );

    app.post(
      "/api/cles",
      {
        config: { access: access.roles(["operateur"]) },
        schema: {
          summary: "Créer une clé d'API (la clé n'est montrée qu'une fois)",
          tags: ["comptes"],
          body: CreateApiKeyBody,
          response: { 201: CreatedApiKey, ...errors },
        },
      },
      async (request, reply) => {
        const principal = request.principal;
        if (principal.kind !== "utilisateur")
          throw new HttpError(403, "ACCES_REFUSE", "Seule une personne connectée crée des clés");
        const { id, key } = await createApiKey(db, principal, request.body, request.ip);
        const created = (await listKeys(principal.id)).find((k) => k.id === id);
        return reply.status(201).send({ ...(created as ApiKeyResource), cle: key });
      },
    );

    app.delete(
      "/api/cles/:id",
      {
        config: { access: access.roles(["operateur"]) },
        schema: {
          summary: "Révoquer une clé d'API",
          tags: ["comptes"],
          params: Type.Object({ id: Type.String({ format: "uuid" }) }),
          response: { 204: Type.Null(), ...errors },
        },
      },
      async (request, reply) => {
        const key = await db.selectFrom("cle_api").selectAll().where("id", "=", request.params.id).executeTakeFirst();
        if (!key) throw notFound("Aucune clé avec cet identifiant");
        const principal = request.principal;
        const owner = principal.kind === "utilisateur" && principal.id === key.proprietaire_id;
        if (!owner && !isAdmin(principal))
          throw new HttpError(403, "ACCES_REFUSE", "Cette clé n'est pas l'une des vôtres");
        await revokeApiKey(db, key, actorOf(principal), request.ip);
        return reply.status(204).send(null);
      },
    );
  };
