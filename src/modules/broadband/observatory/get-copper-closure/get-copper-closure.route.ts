import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { sendTable } from "../../../../shared/export/table-export.ts";
import { access } from "../../../../shared/http/access-control.ts";
import { featureText } from "../../../../shared/http/geojson-text.ts";
import type { PublishedFiguresCache } from "../observatory.cache.ts";
import { geometriesOf } from "../observatory.geometry.ts";
import {
  aboutLines,
  SIMULATION_NOTICE,
  sendFeatureCollection,
  sendJson,
  setCacheHeaders,
  withNotice,
} from "../observatory.http.ts";
import { loadContext, type ObservatoryDb } from "../observatory.scope.ts";
import { type CopperClosureCommune, getCopperClosureSchema } from "./get-copper-closure.schema.ts";
import { getCopperClosure } from "./get-copper-closure.service.ts";

export const getCopperClosureRoute =
  (db: ObservatoryDb, cache: PublishedFiguresCache): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/api/observatoire/:niveau/:code/fermeture-cuivre",
      { config: { access: access.public() }, schema: getCopperClosureSchema },
      async (request, reply) => {
        const { niveau, code } = request.params;
        const { format, trimestre } = request.query;
        const ctx = await loadContext(db, cache, request.principal, niveau, code);
        setCacheHeaders(reply, ctx);
        if (format === "json") return sendJson(request, reply, ctx, () => getCopperClosure(db, ctx, trimestre));
        const result = await getCopperClosure(db, ctx, trimestre);
        const baseName = `fermeture-cuivre-${niveau}-${code}-${result.trimestre.code}`;
        if (format === "geojson") {
          const geometries = await geometriesOf(
            db,
            "communes",
            result.communes.map((c) => c.code),
          );
          const features = result.communes.map((c) =>
            featureText(c.code, geometries.get(c.code) ?? "null", {
              ...c,
              trimestre: result.trimestre.code,
              ...(result.simule ? { avertissement: SIMULATION_NOTICE } : {}),
            }),
          );
          return sendFeatureCollection(reply, baseName, features, result.simule);
        }
        return sendTable(
          reply,
          format,
          baseName,
          result.communes,
          withNotice<CopperClosureCommune>(
            [
              { header: "code_insee", value: (c) => c.code },
              { header: "nom", value: (c) => c.nom },
              { header: "lot", value: (c) => c.lot },
              { header: "fermeture_commerciale", value: (c) => c.fermetureCommerciale },
              { header: "fermeture_technique", value: (c) => c.fermetureTechnique },
              { header: "etat", value: (c) => c.etat },
              { header: "date_reference", value: () => result.dateReference },
              { header: "locaux", value: (c) => c.locaux },
              { header: "ftth_pct", value: (c) => c.ftthPart },
            ],
            () => result.simule,
          ),
          aboutLines(
            ctx,
            `Calendrier de fermeture du cuivre (calendrier du trimestre ${result.calendrierDu ?? "—"}), état au ${result.dateReference}`,
            result.calendrier.map(
              (y) =>
                `${y.annee} : ${y.communesFermetureCommerciale} commune(s) en fermeture commerciale, ${y.communesFermetureTechnique} en fermeture technique`,
            ),
            result.simule,
          ),
        );
      },
    );
  };
