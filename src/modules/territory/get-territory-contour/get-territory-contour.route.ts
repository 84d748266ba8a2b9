import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Kysely } from "kysely";
import { access } from "../../../shared/http/access-control.ts";
import { notFound } from "../../../shared/http/errors.ts";
import { featureText, geometryText } from "../../../shared/http/geojson-text.ts";
import { sendPreserialized } from "../../../shared/http/preserialized.ts";
import { NIVEAU_LIBELLE } from "../get-territory/get-territory.service.ts";
import type { TerritoryTables } from "../territory.tables.ts";
import { getTerritoryContourSchema } from "./get-territory-contour.schema.ts";

export const getTerritoryContourRoute =
  (db: Kysely<TerritoryTables>): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/api/territoires/:niveau/:code/contour",
      { config: { access: access.public() }, schema: getTerritoryContourSchema },
      async (request, reply) => {
        const { niveau, code } = request.params;
        const row = await db
          .selectFrom("territoire as t")
          .leftJoin("territoire_contour as c", (join) =>
            join.onRef("c.niveau", "=", "t.niveau").onRef("c.code", "=", "t.code"),
          )
          .select(["t.code", "t.nom", "t.niveau", "t.centre_lon", "t.centre_lat", "t.source_contour", "c.geometrie"])
          .where("t.niveau", "=", niveau)
          .where("t.code", "=", code)
          .executeTakeFirst();
        if (!row) throw notFound(`Aucun territoire de niveau ${NIVEAU_LIBELLE[niveau]} avec le code ${code}`);
        const properties = {
          niveau: row.niveau,
          code: row.code,
          nom: row.nom,
          sourceContour: row.source_contour,
        };
        reply.header("cache-control", "public, max-age=300");
        return sendPreserialized(
          reply,
          "application/geo+json",
          featureText(row.code, geometryText(row, row.geometrie), properties),
        );
      },
    );
  };
