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
import { getZoneFibreeSchema, type ZoneFibreeCommune } from "./get-zone-fibree.schema.ts";
import { getZoneFibree } from "./get-zone-fibree.service.ts";

const etat = (c: ZoneFibreeCommune, condition: ZoneFibreeCommune["conditions"][number]["condition"]) =>
  c.conditions.find((x) => x.condition === condition)?.etat;

export const getZoneFibreeRoute =
  (db: ObservatoryDb, cache: PublishedFiguresCache): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/api/observatoire/:niveau/:code/zone-fibree",
      { config: { access: access.public() }, schema: getZoneFibreeSchema },
      async (request, reply) => {
        const { niveau, code } = request.params;
        const { format, seuil, trimestre } = request.query;
        const ctx = await loadContext(db, cache, request.principal, niveau, code);
        setCacheHeaders(reply, ctx);
        if (format === "json") return sendJson(request, reply, ctx, () => getZoneFibree(db, ctx, trimestre, seuil));
        const result = await getZoneFibree(db, ctx, trimestre, seuil);
        const baseName = `zone-fibree-${niveau}-${code}-${result.trimestre.code}`;
        if (format === "geojson") {
          const geometries = await geometriesOf(
            db,
            "communes",
            result.communes.map((c) => c.code),
          );
          const features = result.communes.map((c) =>
            featureText(c.code, geometries.get(c.code) ?? "null", {
              code: c.code,
              nom: c.nom,
              trimestre: result.trimestre.code,
              zoneFibree: c.zoneFibree,
              locaux: c.locaux,
              ftthRaccordables: c.ftthRaccordables,
              ftthRaccordablesDemande: c.ftthRaccordablesDemande,
              couverture: c.couverture,
              operateursCommerciaux: c.operateursCommerciaux,
              motifs: c.motifs.join(" ; "),
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
          withNotice<ZoneFibreeCommune>(
            [
              { header: "code_insee", value: (c) => c.code },
              { header: "nom", value: (c) => c.nom },
              { header: "trimestre", value: () => result.trimestre.code },
              { header: "zone_fibree", value: (c) => (c.zoneFibree ? "oui" : "non") },
              { header: "locaux", value: (c) => c.locaux },
              { header: "ftth_raccordables", value: (c) => c.ftthRaccordables },
              { header: "ftth_raccordables_demande", value: (c) => c.ftthRaccordablesDemande },
              { header: "couverture_pct", value: (c) => c.couverture },
              { header: "operateurs_commerciaux", value: (c) => c.operateursCommerciaux },
              { header: "condition_locaux_raccordables", value: (c) => etat(c, "locaux_raccordables") },
              { header: "condition_offre_commerciale", value: (c) => etat(c, "offre_commerciale") },
              { header: "motifs", value: (c) => c.motifs.join(" ; ") },
            ],
            () => result.simule,
          ),
          aboutLines(
            ctx,
            `« Zone fibrée » : conditions mesurables, trimestre ${result.trimestre.code}, seuil ${result.seuil} %`,
            [
              ...result.conditions.map((c) => `Condition : ${c.libelle}`),
              ...result.nonMesurables.map((c) => `Non mesurée : ${c}`),
            ],
            result.simule,
          ),
        );
      },
    );
  };
