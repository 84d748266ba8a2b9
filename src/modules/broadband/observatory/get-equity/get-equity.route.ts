import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { sendTable } from "../../../../shared/export/table-export.ts";
import { access } from "../../../../shared/http/access-control.ts";
import type { CsvColumn } from "../../../../shared/http/csv.ts";
import { featureText } from "../../../../shared/http/geojson-text.ts";
import { VARIANTES } from "../../broadband.tables.ts";
import type { PublishedFiguresCache } from "../observatory.cache.ts";
import { CLASSES_API, inScope } from "../observatory.figures.ts";
import { geometriesOf, multiPolygonOf } from "../observatory.geometry.ts";
import {
  aboutLines,
  SIMULATION_NOTICE,
  sendFeatureCollection,
  sendJson,
  setCacheHeaders,
  withNotice,
} from "../observatory.http.ts";
import { loadContext, type ObservatoryDb } from "../observatory.scope.ts";
import type { GetEquityResponse } from "./get-equity.schema.ts";
import { getEquitySchema } from "./get-equity.schema.ts";
import { getEquity } from "./get-equity.service.ts";

type Level = GetEquityResponse["niveaux"][number];

export const EQUITY_COLUMNS: CsvColumn<Level>[] = [
  { header: "densite_insee", value: (l) => l.niveau },
  { header: "libelle", value: (l) => l.libelle },
  { header: "communes", value: (l) => l.communes },
  { header: "communes_avec_donnees", value: (l) => l.communesAvecDonnees },
  { header: "locaux", value: (l) => l.locaux },
  ...VARIANTES.map((v) => ({ header: `thd_${v}_pct`, value: (l: Level) => l.variantes[v]?.thd.part })),
  { header: "ftth_raccordables", value: (l) => l.ftth.raccordables },
  { header: "ftth_pct", value: (l) => l.ftth.part },
  ...VARIANTES.flatMap((v) =>
    CLASSES_API.map((c, i) => ({
      header: `${v}_${c}_pct`,
      value: (l: Level) => l.variantes[v]?.classes[i]?.part,
    })),
  ),
];

export const getEquityRoute =
  (db: ObservatoryDb, cache: PublishedFiguresCache): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/api/observatoire/:niveau/:code/equite",
      { config: { access: access.public() }, schema: getEquitySchema },
      async (request, reply) => {
        const { niveau, code } = request.params;
        const ctx = await loadContext(db, cache, request.principal, niveau, code);
        setCacheHeaders(reply, ctx);
        const { format } = request.query;
        if (format === "json") return sendJson(request, reply, ctx, () => getEquity(db, ctx, request.query.trimestre));
        const equity = await getEquity(db, ctx, request.query.trimestre);
        const baseName = `observatoire-equite-${niveau}-${code}-${equity.trimestre.code}`;
        if (format === "geojson") {
          // A density level is a set of communes scattered over the territory: a GIS user wants to
          // see where they are, so each level's geometry is its communes' polygons side by side.
          const communes = await db
            .selectFrom("territoire as t")
            .select(["t.code", "t.densite_insee_niveau"])
            .where("t.niveau", "=", "communes")
            .where(inScope(ctx.scope))
            .orderBy("t.code")
            .execute();
          const geometries = await geometriesOf(
            db,
            "communes",
            communes.map((c) => c.code),
          );
          const features = equity.niveaux.map((l) => {
            const codes = communes
              .filter((c) => (c.densite_insee_niveau === null ? null : Number(c.densite_insee_niveau)) === l.niveau)
              .map((c) => c.code);
            const geometry = multiPolygonOf(codes.flatMap((c) => geometries.get(c) ?? [])) ?? "null";
            return featureText(String(l.niveau ?? "non_renseigne"), geometry, {
              niveau,
              code,
              trimestre: equity.trimestre.code,
              // The CSV's columns, so that both files compare figure by figure.
              ...Object.fromEntries(EQUITY_COLUMNS.map((c) => [c.header, c.value(l) ?? null])),
              codesInsee: codes,
              ...(equity.simule ? { avertissement: SIMULATION_NOTICE } : {}),
            });
          });
          return sendFeatureCollection(reply, baseName, features, equity.simule, {
            territoire: ctx.scope,
            trimestre: equity.trimestre,
            geometrie:
              "MultiPolygon des contours des communes du niveau (simple juxtaposition, sans fusion) ; les communes sans contour n'y figurent pas mais sont dans codesInsee",
            ecarts: equity.ecarts,
          });
        }
        return sendTable(
          reply,
          format,
          baseName,
          equity.niveaux,
          withNotice(EQUITY_COLUMNS, () => equity.simule),
          aboutLines(
            ctx,
            `Équité territoriale par niveau de densité INSEE, trimestre ${equity.trimestre.code}`,
            equity.ecarts.map(
              (e) =>
                `${e.libelle} : écart de ${e.ecartPoints} points entre « ${e.meilleur.libelle} » (${e.meilleur.part} %) et « ${e.moinsBon.libelle} » (${e.moinsBon.part} %)`,
            ),
            equity.simule,
          ),
        );
      },
    );
  };
