import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Kysely } from "kysely";
import { access } from "../../../shared/http/access-control.ts";
import { featureText, geometryText } from "../../../shared/http/geojson-text.ts";
import { sendPreserialized } from "../../../shared/http/preserialized.ts";
import { territoryFilter } from "../territory.filters.ts";
import { populationDensity, presentDensiteInsee } from "../territory.presenter.ts";
import type { TerritoryTables } from "../territory.tables.ts";
import { listTerritoryContoursSchema } from "./list-territory-contours.schema.ts";

export const listTerritoryContoursRoute =
  (db: Kysely<TerritoryTables>): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/api/territoires/:niveau/contours",
      { config: { access: access.public() }, schema: listTerritoryContoursSchema },
      async (request, reply) => {
        const { niveau } = request.params;
        const rows = await db
          .selectFrom("territoire")
          .leftJoin("territoire_contour as c", (join) =>
            join.onRef("c.niveau", "=", "territoire.niveau").onRef("c.code", "=", "territoire.code"),
          )
          .select([
            "territoire.code",
            "territoire.nom",
            "territoire.niveau",
            "territoire.population",
            "territoire.surface_km2",
            "territoire.densite_insee_niveau",
            "territoire.centre_lon",
            "territoire.centre_lat",
            "territoire.source_contour",
            "c.geometrie",
          ])
          .where(territoryFilter(niveau, request.query))
          .orderBy("territoire.code")
          .execute();
        const features = rows.map((row) =>
          featureText(row.code, geometryText(row, row.geometrie), {
            niveau: row.niveau,
            code: row.code,
            nom: row.nom,
            sourceContour: row.source_contour,
            population: row.population,
            surfaceKm2: row.surface_km2,
            densitePopulation: populationDensity(row.population, row.surface_km2),
            densiteInsee: presentDensiteInsee(row.densite_insee_niveau),
          }),
        );
        reply.header("cache-control", "public, max-age=300");
        return sendPreserialized(
          reply,
          "application/geo+json",
          `{"type":"FeatureCollection","features":[${features.join(",")}]}`,
        );
      },
    );
  };
