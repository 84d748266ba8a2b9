import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyRequest } from "fastify";
import { access, type Principal } from "../../../../shared/http/access-control.ts";
import { type AuditHook, type AuditRecorder, auditActorOf, noAudit } from "../../audit-port.ts";
import { versionDetail } from "../catalogue.presenter.ts";
import {
  ERROR_RESPONSES,
  NouvelleVersion,
  ReseauParams,
  VersionDetail,
  VersionModifiee,
  VersionParams,
} from "../catalogue.schemas.ts";
import type { CatalogueService } from "../catalogue-service.ts";

/**
 * Admins, and operators bound to the network in the URL (their API keys too, with the scope
 * `catalogues:ecrire`). Reads stay public: published prices are public by nature.
 */
export const catalogueWriteAccess = () =>
  access.roles(["operateur"], {
    scope: "catalogues:ecrire",
    perimeter: (request: FastifyRequest) => (request.params as { reseau?: string }).reseau,
  });

/** Who wrote, as the catalogue records it. */
export function authorOf(principal: Principal): string | null {
  if (principal.kind === "utilisateur") return `utilisateur:${principal.email}`;
  if (principal.kind === "cle") return `cle:${principal.prefixe}`;
  return null;
}

/** The journal line of a catalogue write, recorded inside its transaction. */
export function catalogueAudit(
  record: AuditRecorder,
  request: FastifyRequest,
  action: string,
  reseau: string,
  version: string,
): AuditHook {
  const acteur = auditActorOf(request.principal);
  return (trx) => record(trx, { acteur, action, cible: `catalogue:${reseau}/${version}`, ip: request.ip });
}

const RULES =
  "Les versions d'un réseau ne se chevauchent pas : une version qui commence pendant la version sans fin en cours la clôt à sa date de début ; tout autre chevauchement est refusé (409 CHEVAUCHEMENT). Une version en vigueur ou passée ne change plus (409 VERSION_EN_VIGUEUR).";

/** POST, PUT and DELETE of a network's catalogue versions. */
export const writeCatalogueVersionRoutes =
  (service: CatalogueService, record: AuditRecorder = noAudit): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      "/api/catalogues/:reseau/versions",
      {
        config: { access: catalogueWriteAccess() },
        schema: {
          summary: "Publier une nouvelle version du catalogue d'un réseau",
          description: `Commence aujourd'hui ou plus tard. ${RULES} Une offre sans prix doit être « surDevis ».`,
          tags: ["catalogues"],
          params: ReseauParams,
          body: NouvelleVersion,
          response: { 201: VersionDetail, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        const { reseau } = request.params;
        const audit = catalogueAudit(record, request, "catalogue.version.creation", reseau, request.body.version);
        const created = await service.createVersion(reseau, request.body, authorOf(request.principal), audit);
        return reply.status(201).send(versionDetail(created, service.today()));
      },
    );

    app.put(
      "/api/catalogues/:reseau/versions/:version",
      {
        config: { access: catalogueWriteAccess() },
        schema: {
          summary: "Modifier une version à venir",
          description: `Remplace dates, couverture et offres d'une version qui n'est pas encore en vigueur. ${RULES}`,
          tags: ["catalogues"],
          params: VersionParams,
          body: VersionModifiee,
          response: { 200: VersionDetail, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { reseau, version } = request.params;
        const audit = catalogueAudit(record, request, "catalogue.version.modification", reseau, version);
        const updated = await service.updateVersion(reseau, version, request.body, authorOf(request.principal), audit);
        return versionDetail(updated, service.today());
      },
    );

    app.delete(
      "/api/catalogues/:reseau/versions/:version",
      {
        config: { access: catalogueWriteAccess() },
        schema: {
          summary: "Supprimer une version à venir",
          description:
            "La version précédente, qu'elle avait close, reprend jusqu'à la fin de la version supprimée. Une version en vigueur ou passée ne se supprime pas (409).",
          tags: ["catalogues"],
          params: VersionParams,
          response: { 204: { type: "null" }, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        const { reseau, version } = request.params;
        await service.deleteVersion(
          reseau,
          version,
          catalogueAudit(record, request, "catalogue.version.suppression", reseau, version),
        );
        return reply.status(204).send(null);
      },
    );
  };
