import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Kysely } from "kysely";
import { access } from "../../../shared/http/access-control.ts";
import type { TerritoryTables } from "../territory.tables.ts";
import { getTerritorySchema } from "./get-territory.schema.ts";
import { getTerritory } from "./get-territory.service.ts";

export const getTerritoryRoute =
  (db: Kysely<TerritoryTables>): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/api/territoires/:niveau/:code",
      { config: { access: access.public() }, schema: getTerritorySchema },
      (request) => getTerritory(db, request.params.niveau, request.params.code),
    );
  };
