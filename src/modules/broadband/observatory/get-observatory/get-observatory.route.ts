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
import { getObservatorySchema } from "./get-observatory.schema.ts";
import { getObservatory, type ObservatoryLine, observatoryLines } from "./get-observatory.service.ts";

export const getObservatoryRoute =
  (db: ObservatoryDb, cache: PublishedFiguresCache): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/api/observatoire/:niveau/:code",
      { config: { access: access.public() }, schema: getObservatorySchema },
      async (request, reply) => {
        const { niveau, code } = request.params;
        const ctx = await loadContext(db, cache, request.principal, niveau, code);
        setCacheHeaders(reply, ctx);
        const { format } = request.query;
        if (format === "json")
          return sendJson(request, reply, ctx, () => getObservatory(db, ctx, request.query.trimestre));
        const observatory = await getObservatory(db, ctx, request.query.trimestre);
        const trimestre = observatory.trimestre.code;
        const baseName = `observatoire-${niveau}-${code}-${trimestre}`;
        if (format === "geojson") {
          // Every line is a figure of the same territory: each Feature carries its contour, so that
          // any one of them (say, THD share) can be mapped or filtered on its own in a GIS.
          const geometry = (await geometriesOf(db, niveau, [code])).get(code) ?? "null";
          const features = observatoryLines(observatory).map((l) =>
            featureText([l.rubrique, l.variante, l.cle].filter(Boolean).join(":"), geometry, {
              niveau,
              code,
              nom: ctx.scope.nom,
              trimestre,
              rubrique: l.rubrique,
              variante: l.variante,
              cle: l.cle,
              libelle: l.libelle,
              locaux: l.locaux,
              part: l.part,
              ...(observatory.simule ? { avertissement: SIMULATION_NOTICE } : {}),
            }),
          );
          return sendFeatureCollection(reply, baseName, features, observatory.simule, {
            territoire: ctx.scope,
            trimestre: observatory.trimestre,
            geometrie: "Contour du territoire (son centre quand le contour manque), le même sur chaque ligne",
            sources: observatory.sources,
          });
        }
        const columns = withNotice<ObservatoryLine>(
          [
            { header: "territoire_niveau", value: () => niveau },
            { header: "territoire_code", value: () => code },
            { header: "trimestre", value: () => trimestre },
            { header: "rubrique", value: (l) => l.rubrique },
            { header: "variante", value: (l) => l.variante },
            { header: "cle", value: (l) => l.cle },
            { header: "libelle", value: (l) => l.libelle },
            { header: "locaux", value: (l) => l.locaux },
            { header: "part_pct", value: (l) => l.part },
          ],
          () => observatory.simule,
        );
        return sendTable(
          reply,
          format,
          baseName,
          observatoryLines(observatory),
          columns,
          aboutLines(
            ctx,
            `Observatoire du très haut débit, trimestre ${trimestre} (${observatory.trimestre.statut})`,
            [`Sources : ${observatory.sources.join(", ") || "aucune"}`],
            observatory.simule,
          ),
        );
      },
    );
  };
