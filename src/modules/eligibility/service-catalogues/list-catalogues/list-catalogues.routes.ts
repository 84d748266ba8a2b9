import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { access } from "../../../../shared/http/access-control.ts";
import { ErrorResponse } from "../../../../shared/http/error-response.schema.ts";
import { EXEMPLE_NOTICE, versionResume } from "../catalogue.presenter.ts";
import { ReseauParams, VersionResume } from "../catalogue.schemas.ts";
import type { CatalogueService } from "../catalogue-service.ts";

const Reseau = Type.Object({
  reseau: Type.String({ examples: ["RIP50"] }),
  reseauNom: Type.String(),
  exemple: Type.Boolean({ description: "Au moins une version est un catalogue d'exemple" }),
  enVigueur: Type.Union([VersionResume, Type.Null()], { description: "Version en vigueur aujourd'hui" }),
  aVenir: Type.Array(VersionResume, { description: "Versions qui entreront en vigueur" }),
  nbVersions: Type.Integer(),
});

const ListResponse = Type.Object({
  date: Type.String({ format: "date", description: "Aujourd'hui : la date des versions en vigueur" }),
  reseaux: Type.Array(Reseau),
  avertissement: Type.Union([Type.String(), Type.Null()], { description: "Présent quand un catalogue est un exemple" }),
});

const NetworkResponse = Type.Object({
  reseau: Type.String(),
  reseauNom: Type.String(),
  versions: Type.Array(VersionResume, { description: "Toutes les versions, de la plus ancienne à la plus récente" }),
  avertissement: Type.Union([Type.String(), Type.Null()]),
});

/** GET /api/catalogues and /api/catalogues/{reseau}: public, as published prices are. */
export const listCataloguesRoutes =
  (service: CatalogueService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/api/catalogues",
      {
        config: { access: access.public() },
        schema: {
          summary: "Catalogues de services des réseaux",
          description:
            "Chaque réseau qui publie un catalogue d'offres entreprises, sa version en vigueur (nombre d'offres) et ses versions à venir.",
          tags: ["catalogues"],
          response: { 200: ListResponse },
        },
      },
      async () => {
        const data = await service.snapshot();
        const today = service.today();
        const reseaux = data.reseaux().map((reseau) => {
          const versions = data.versionsOf(reseau);
          const current = data.versionAt(reseau, today);
          const last = versions.at(-1);
          return {
            reseau,
            reseauNom: (current ?? last)?.reseauNom ?? reseau,
            exemple: versions.some((v) => v.exemple),
            enVigueur: current ? versionResume(current, today) : null,
            aVenir: versions.filter((v) => v.valideDu > today).map((v) => versionResume(v, today)),
            nbVersions: versions.length,
          };
        });
        return { date: today, reseaux, avertissement: reseaux.some((r) => r.exemple) ? EXEMPLE_NOTICE : null };
      },
    );

    app.get(
      "/api/catalogues/:reseau",
      {
        config: { access: access.public() },
        schema: {
          summary: "Versions du catalogue d'un réseau",
          description: "Les versions passées, en vigueur et à venir, avec leurs dates de validité et leur couverture.",
          tags: ["catalogues"],
          params: ReseauParams,
          response: { 200: NetworkResponse, 404: ErrorResponse },
        },
      },
      async (request) => {
        const { reseau } = request.params;
        const versions = await service.versionsOf(reseau);
        const reseauNom = versions.at(-1)?.reseauNom ?? (await service.requireNetwork(reseau));
        const today = service.today();
        return {
          reseau,
          reseauNom,
          versions: versions.map((v) => versionResume(v, today)),
          avertissement: versions.some((v) => v.exemple) ? EXEMPLE_NOTICE : null,
        };
      },
    );
  };
