import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { sendTable } from "../../../../shared/export/table-export.ts";
import { access } from "../../../../shared/http/access-control.ts";
import { ErrorResponse } from "../../../../shared/http/error-response.schema.ts";
import { HttpError } from "../../../../shared/http/errors.ts";
import { EXEMPLE_NOTICE, SERVED_OFFER_COLUMNS } from "../catalogue.presenter.ts";
import { Famille, FormatExport, Offre } from "../catalogue.schemas.ts";
import type { CatalogueService } from "../catalogue-service.ts";
import { compareOffers } from "../catalogue-snapshot.ts";
import { isIsoDate } from "../catalogue-validation.ts";

const CompareQuery = Type.Object({
  date: Type.Optional(
    Type.String({
      description: "Date des versions comparées (AAAA-MM-JJ) ; aujourd'hui par défaut",
      examples: ["2026-06-01"],
    }),
  ),
  famille: Type.Optional(Famille),
  reseau: Type.Optional(
    Type.String({ minLength: 1, maxLength: 40, description: "Un seul réseau", examples: ["RIP50"] }),
  ),
  format: FormatExport,
});

const CompareResponse = Type.Object({
  date: Type.String({ format: "date" }),
  offres: Type.Array(Offre, { description: "Par famille, puis prix mensuel (sur devis en dernier)" }),
  avertissement: Type.Union([Type.String(), Type.Null()]),
});

/** GET /api/catalogues/comparaison: every offer in force at a date, network by network, side by side. */
export const compareCataloguesRoute =
  (service: CatalogueService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/api/catalogues/comparaison",
      {
        config: { access: access.public() },
        schema: {
          summary: "Comparer les offres de tous les réseaux",
          description:
            "Les offres des versions en vigueur à `date`, de chaque réseau, côte à côte, filtrables par famille et réseau ; `format=csv|xlsx` pour les télécharger. Prix tels que publiés, sur leur zone : hors de son réseau, une fibre dédiée est sur devis (voir /api/eligibilite pour une adresse).",
          tags: ["catalogues"],
          querystring: CompareQuery,
          response: { 200: CompareResponse, 400: ErrorResponse },
        },
      },
      async (request, reply) => {
        const { famille, reseau } = request.query;
        const date = request.query.date ?? service.today();
        if (!isIsoDate(date)) {
          throw new HttpError(400, "PARAMETRE_INVALIDE", "Paramètre « date » invalide : date AAAA-MM-JJ attendue", {
            parametre: "date",
          });
        }
        const offres = (await service.snapshot())
          .offersInForce(date)
          .filter(
            (o) => (famille === undefined || o.famille === famille) && (reseau === undefined || o.reseau === reseau),
          )
          .sort(compareOffers);
        const avertissement = offres.some((o) => o.exemple) ? EXEMPLE_NOTICE : null;
        const format = request.query.format ?? "json";
        if (format === "json") return { date, offres, avertissement };
        return sendTable(reply, format, `comparaison-catalogues-${date}`, offres, SERVED_OFFER_COLUMNS, [
          `Offres des catalogues en vigueur le ${date}${famille ? `, famille ${famille}` : ""}${reseau ? `, réseau ${reseau}` : ""}`,
          "Prix en euros hors taxes ; vide = sur devis.",
          ...(avertissement ? [avertissement] : []),
        ]);
      },
    );
  };
