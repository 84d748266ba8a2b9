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
import { type MapValue, observatoryMapSchema } from "./observatory-map.schema.ts";
import { getObservatoryMap } from "./observatory-map.service.ts";

export const observatoryMapRoute =
  (db: ObservatoryDb, cache: PublishedFiguresCache): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/api/observatoire/:niveau/:code/carte",
      { config: { access: access.public() }, schema: observatoryMapSchema },
      async (request, reply) => {
        const { niveau, code } = request.params;
        const { format, trimestre, maille } = request.query;
        const ctx = await loadContext(db, cache, request.principal, niveau, code);
        setCacheHeaders(reply, ctx);
        if (format === "json")
          return sendJson(request, reply, ctx, () => getObservatoryMap(db, ctx, trimestre, maille));
        const result = await getObservatoryMap(db, ctx, trimestre, maille);
        const baseName = `carte-observatoire-${niveau}-${code}-${result.maille}-${result.trimestre.code}`;
        if (format === "geojson") {
          const geometries = await geometriesOf(
            db,
            result.maille,
            result.valeurs.map((v) => v.code),
          );
          const features = result.valeurs.map((v) =>
            featureText(v.code, geometries.get(v.code) ?? "null", {
              niveau: result.maille,
              code: v.code,
              nom: v.nom,
              trimestre: result.trimestre.code,
              locaux: v.locaux,
              thdFilaire: v.thd.filaire,
              thdTerrestre: v.thd.terrestre,
              thdToutes: v.thd.toutes,
              ftthRaccordables: v.ftth.raccordables,
              ftthPart: v.ftth.part,
              ...(result.simule ? { avertissement: SIMULATION_NOTICE } : {}),
            }),
          );
          return sendFeatureCollection(reply, baseName, features, result.simule);
        }
        return sendTable(
          reply,
          format,
          baseName,
          result.valeurs,
          withNotice<MapValue>(
            [
              { header: "code", value: (v) => v.code },
              { header: "nom", value: (v) => v.nom },
              { header: "trimestre", value: () => result.trimestre.code },
              { header: "locaux", value: (v) => v.locaux },
              { header: "thd_filaire_pct", value: (v) => v.thd.filaire },
              { header: "thd_terrestre_pct", value: (v) => v.thd.terrestre },
              { header: "thd_toutes_pct", value: (v) => v.thd.toutes },
              { header: "ftth_raccordables", value: (v) => v.ftth.raccordables },
              { header: "ftth_pct", value: (v) => v.ftth.part },
            ],
            () => result.simule,
          ),
          aboutLines(
            ctx,
            `Carte de l'observatoire par ${result.maille}, trimestre ${result.trimestre.code}`,
            [],
            result.simule,
          ),
        );
      },
    );
  };
