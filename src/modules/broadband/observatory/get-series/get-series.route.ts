import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { ObjectifThd } from "../../../../shared/config/config.ts";
import { sendTable } from "../../../../shared/export/table-export.ts";
import { access } from "../../../../shared/http/access-control.ts";
import { featureText } from "../../../../shared/http/geojson-text.ts";
import type { PublishedFiguresCache } from "../observatory.cache.ts";
import {
  aboutLines,
  SIMULATION_NOTICE,
  sendFeatureCollection,
  sendJson,
  setCacheHeaders,
  withNotice,
} from "../observatory.http.ts";
import { loadContext, type ObservatoryDb } from "../observatory.scope.ts";
import { getSeriesSchema } from "./get-series.schema.ts";
import { getSeries } from "./get-series.service.ts";

type Point = Awaited<ReturnType<typeof getSeries>>["points"][number];

export const getSeriesRoute =
  (db: ObservatoryDb, cache: PublishedFiguresCache, objectifs: ObjectifThd[]): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/api/observatoire/:niveau/:code/series",
      { config: { access: access.public() }, schema: getSeriesSchema },
      async (request, reply) => {
        const { niveau, code } = request.params;
        const ctx = await loadContext(db, cache, request.principal, niveau, code);
        setCacheHeaders(reply, ctx);
        const { format } = request.query;
        if (format === "json")
          return sendJson(request, reply, ctx, () => getSeries(db, ctx, request.query.variante ?? "toutes", objectifs));
        const series = await getSeries(db, ctx, request.query.variante ?? "toutes", objectifs);
        const baseName = `observatoire-series-${niveau}-${code}`;
        if (format === "geojson") {
          // Null geometry (RFC 7946 §3.2) at every level, for one rule: all the quarters describe the
          // same territory, and repeating its contour per quarter would weigh 37 × 112 kB for the
          // Normandy région. `niveau` and `code` join the file to /api/territoires/{niveau}/contours.
          const features = series.points.map((p) =>
            featureText(p.trimestre.code, "null", {
              niveau,
              code,
              nom: ctx.scope.nom,
              trimestre: p.trimestre.code,
              statut: p.trimestre.statut,
              communesAvecDonnees: p.communesAvecDonnees,
              locaux: p.locaux,
              thdFilaire: p.thd.filaire,
              thdTerrestre: p.thd.terrestre,
              thdToutes: p.thd.toutes,
              ftthRaccordables: p.ftth.raccordables,
              ftthPart: p.ftth.part,
              ...(p.trimestre.simule ? { avertissement: SIMULATION_NOTICE } : {}),
            }),
          );
          return sendFeatureCollection(reply, baseName, features, series.simule, {
            territoire: ctx.scope,
            geometrie: `null : joindre niveau et code à /api/territoires/${niveau}/contours pour le contour du territoire`,
            contour: `/api/territoires/${niveau}/${code}/contour`,
            variante: series.variante,
            objectifs: series.objectifs,
            rythme: series.rythme,
            methode: series.methode,
          });
        }
        const columns = withNotice<Point>(
          [
            { header: "trimestre", value: (p) => p.trimestre.code },
            { header: "statut", value: (p) => p.trimestre.statut },
            { header: "communes_avec_donnees", value: (p) => p.communesAvecDonnees },
            { header: "locaux", value: (p) => p.locaux },
            { header: "thd_filaire_pct", value: (p) => p.thd.filaire },
            { header: "thd_terrestre_pct", value: (p) => p.thd.terrestre },
            { header: "thd_toutes_pct", value: (p) => p.thd.toutes },
            { header: "ftth_raccordables", value: (p) => p.ftth.raccordables },
            { header: "ftth_pct", value: (p) => p.ftth.part },
          ],
          (p) => p.trimestre.simule,
        );
        return sendTable(
          reply,
          format,
          baseName,
          series.points,
          columns,
          aboutLines(
            ctx,
            `Série trimestrielle de l'observatoire du très haut débit (objectifs sur la variante ${series.variante})`,
            [
              ...series.objectifs.map((o) => o.libelle),
              `Rythme actuel : ${series.rythme.pointsParTrimestre ?? "—"} point(s) par trimestre`,
              series.methode,
            ],
            series.simule,
          ),
        );
      },
    );
  };
