import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { sendTable } from "../../../../shared/export/table-export.ts";
import { access } from "../../../../shared/http/access-control.ts";
import { featureText } from "../../../../shared/http/geojson-text.ts";
import type { PublishedFiguresCache } from "../observatory.cache.ts";
import { geometriesOf } from "../observatory.geometry.ts";
import {
  aboutLines,
  pointFeature,
  SIMULATION_NOTICE,
  sendFeatureCollection,
  sendJson,
  setCacheHeaders,
  withNotice,
} from "../observatory.http.ts";
import { loadContext, type ObservatoryDb } from "../observatory.scope.ts";
import { getStrategicSitesSchema, type SiteShare, type StrategicSite } from "./get-strategic-sites.schema.ts";
import { getStrategicSites } from "./get-strategic-sites.service.ts";

export const getStrategicSitesRoute =
  (db: ObservatoryDb, cache: PublishedFiguresCache): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/api/observatoire/:niveau/:code/sites-strategiques",
      { config: { access: access.public() }, schema: getStrategicSitesSchema },
      async (request, reply) => {
        const { niveau, code } = request.params;
        const { format, trimestre, type, tableau } = request.query;
        const ctx = await loadContext(db, cache, request.principal, niveau, code);
        setCacheHeaders(reply, ctx);
        if (format === "json") return sendJson(request, reply, ctx, () => getStrategicSites(db, ctx, trimestre, type));
        const result = await getStrategicSites(db, ctx, trimestre, type);
        const baseName = `sites-strategiques-${niveau}-${code}-${result.trimestre.code}`;
        if (format === "geojson" && tableau === "synthese") {
          const departements = await geometriesOf(
            db,
            "departements",
            result.synthese.flatMap((g) => g.departement ?? []),
          );
          const territory = (await geometriesOf(db, niveau, [code])).get(code) ?? "null";
          const features = [...result.synthese, ...result.totaux].map((g) =>
            featureText(
              `${g.departement ?? "tous"}-${g.type}`,
              g.departement === null ? territory : (departements.get(g.departement) ?? "null"),
              {
                departement: g.departement ?? "tous",
                departementNom: g.departementNom ?? ctx.scope.nom,
                type: g.type,
                typeLibelle: g.typeLibelle,
                sites: g.sites,
                raccordes: g.raccordes,
                partRaccordes: g.part,
                ...(result.simule ? { avertissement: SIMULATION_NOTICE } : {}),
              },
            ),
          );
          return sendFeatureCollection(reply, `${baseName}-synthese`, features, result.simule);
        }
        if (format === "geojson") {
          const features = result.sites.map((s) =>
            pointFeature(s.id, s.lon, s.lat, {
              id: s.id,
              type: s.type,
              typeLibelle: s.typeLibelle,
              nom: s.nom,
              adresse: s.adresse,
              codeInsee: s.commune.code,
              commune: s.commune.nom,
              departement: s.departement,
              raccordeLe: s.raccordeLe,
              etat: s.etat,
              ...(result.simule ? { avertissement: SIMULATION_NOTICE } : {}),
            }),
          );
          return sendFeatureCollection(reply, baseName, features, result.simule);
        }
        const about = aboutLines(
          ctx,
          `Sites stratégiques (liste du trimestre ${result.sitesDu ?? "—"}), état au ${result.dateReference}`,
          result.totaux.map((t) => `${t.typeLibelle} : ${t.raccordes} raccordé(s) sur ${t.sites} (${t.part ?? "—"} %)`),
          result.simule,
        );
        if (tableau === "synthese") {
          return sendTable(
            reply,
            format,
            `${baseName}-synthese`,
            [...result.synthese, ...result.totaux],
            withNotice<SiteShare>(
              [
                { header: "departement", value: (g) => g.departement ?? "tous" },
                { header: "departement_nom", value: (g) => g.departementNom ?? ctx.scope.nom },
                { header: "type", value: (g) => g.type },
                { header: "type_libelle", value: (g) => g.typeLibelle },
                { header: "sites", value: (g) => g.sites },
                { header: "raccordes", value: (g) => g.raccordes },
                { header: "part_raccordes_pct", value: (g) => g.part },
              ],
              () => result.simule,
            ),
            about,
          );
        }
        return sendTable(
          reply,
          format,
          baseName,
          result.sites,
          withNotice<StrategicSite>(
            [
              { header: "id", value: (s) => s.id },
              { header: "type", value: (s) => s.type },
              { header: "nom", value: (s) => s.nom },
              { header: "adresse", value: (s) => s.adresse },
              { header: "code_insee", value: (s) => s.commune.code },
              { header: "commune", value: (s) => s.commune.nom },
              { header: "departement", value: (s) => s.departement },
              { header: "longitude", value: (s) => s.lon },
              { header: "latitude", value: (s) => s.lat },
              { header: "raccorde_le", value: (s) => s.raccordeLe },
              { header: "etat", value: (s) => s.etat },
            ],
            () => result.simule,
          ),
          about,
        );
      },
    );
  };
