import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { sendTable } from "../../../../shared/export/table-export.ts";
import { access } from "../../../../shared/http/access-control.ts";
import { ErrorResponse } from "../../../../shared/http/error-response.schema.ts";
import { HttpError } from "../../../../shared/http/errors.ts";
import { EXEMPLE_NOTICE, OFFER_COLUMNS, versionDetail } from "../catalogue.presenter.ts";
import { FormatExport, VersionDetail, VersionParams } from "../catalogue.schemas.ts";
import type { CatalogueService } from "../catalogue-service.ts";

/** GET /api/catalogues/{reseau}/versions/{version}: one version and its offers; CSV/XLSX in the import's columns. */
export const getCatalogueVersionRoute =
  (service: CatalogueService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/api/catalogues/:reseau/versions/:version",
      {
        config: { access: access.public() },
        schema: {
          summary: "Une version de catalogue et ses offres",
          description:
            "`format=csv|xlsx` : les offres dans les colonnes que l'import relit (le fichier sert de modèle pour la version suivante).",
          tags: ["catalogues"],
          params: VersionParams,
          querystring: Type.Object({ format: FormatExport }),
          response: { 200: VersionDetail, 404: ErrorResponse },
        },
      },
      async (request, reply) => {
        const { reseau, version } = request.params;
        const found = (await service.versionsOf(reseau)).find((v) => v.version === version);
        if (!found) {
          await service.requireNetwork(reseau);
          throw new HttpError(404, "VERSION_INCONNUE", `Version « ${version} » du réseau ${reseau} inconnue`);
        }
        const format = request.query.format ?? "json";
        if (format === "json") return versionDetail(found, service.today());
        return sendTable(reply, format, `catalogue-${reseau}-${version}`, found.offres, OFFER_COLUMNS, [
          `Catalogue du réseau ${found.reseauNom} (${reseau}), version ${version}`,
          `Valide du ${found.valideDu}${found.valideAu ? ` au ${found.valideAu} (exclu)` : ", sans date de fin"}`,
          "Prix en euros hors taxes ; vide = sur devis. Options : « nom=prix » séparées par « | ».",
          ...(found.exemple ? [EXEMPLE_NOTICE] : []),
        ]);
      },
    );
  };
