import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { sql } from "kysely";
import { Type } from "typebox";
import type { AppDatabase, Dialect } from "../../../shared/db/database.ts";
import { access } from "../../../shared/http/access-control.ts";
import { ErrorResponse } from "../../../shared/http/error-response.schema.ts";
import { findImportStatus } from "../../territory/ensure-territories/ensure-territories.service.ts";
import { PLATFORM_VERSION } from "../platform.version.ts";

const HealthResponse = Type.Object({
  status: Type.Literal("ok"),
  version: Type.String(),
  database: Type.Object({
    dialect: Type.Enum(["sqlite", "postgres"]),
  }),
  region: Type.String(),
  territoires: Type.Union([
    Type.Object({
      importeLe: Type.String(),
      communes: Type.Integer(),
      communesAvecPolygone: Type.Integer(),
    }),
    Type.Null(),
  ]),
});

export const getHealthRoute =
  (db: AppDatabase, dialect: Dialect, region: string): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/api/health",
      {
        config: { access: access.public() },
        schema: {
          summary: "État du service et de sa base de données",
          tags: ["plateforme"],
          response: { 200: HealthResponse, 503: ErrorResponse },
        },
      },
      async (request, reply) => {
        try {
          await sql`select 1`.execute(db);
        } catch (err) {
          request.log.error({ err }, "base de données injoignable");
          return reply.status(503).send({
            statusCode: 503,
            code: "BASE_INJOIGNABLE",
            message: "La base de données ne répond pas",
          });
        }
        const status = await findImportStatus(db, region);
        return {
          status: "ok" as const,
          version: PLATFORM_VERSION,
          database: { dialect },
          region,
          territoires: status
            ? {
                importeLe: status.importeLe,
                communes: status.communes,
                communesAvecPolygone: status.communesAvecPolygone,
              }
            : null,
        };
      },
    );
  };
