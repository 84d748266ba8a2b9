import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Kysely } from "kysely";
import { access } from "../../../shared/http/access-control.ts";
import { sendCsv, toCsv } from "../../../shared/http/csv.ts";
import { ErrorResponse } from "../../../shared/http/error-response.schema.ts";
import { escapeLike } from "../../../shared/text/normalize.ts";
import type { AccountsTables } from "../accounts.tables.ts";
import { AuditPage, AuditQuery } from "./audit-log.schema.ts";

export const auditLogRoutes =
  (db: Kysely<AccountsTables>): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/api/journal",
      {
        config: { access: access.roles(["agent"]) },
        schema: {
          summary: "Journal d'audit : connexions, droits, clés, imports, publications, décisions",
          tags: ["comptes"],
          querystring: AuditQuery,
          response: {
            200: AuditPage,
            400: ErrorResponse,
            401: ErrorResponse,
            403: ErrorResponse,
          },
        },
      },
      async (request, reply) => {
        const { action, acteur, depuis, jusqua, limit, offset, format } = request.query;
        let query = db.selectFrom("journal_audit");
        if (action) {
          query = action.endsWith("*")
            ? query.where("action", "like", `${escapeLike(action.slice(0, -1))}%`)
            : query.where("action", "=", action);
        }
        if (acteur) query = query.where("acteur", "like", `%${escapeLike(acteur)}%`);
        if (depuis) query = query.where("quand", ">=", `${depuis}T00:00:00.000Z`);
        if (jusqua) query = query.where("quand", "<=", `${jusqua}T23:59:59.999Z`);
        const { total } = await query.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
        let rows = query.selectAll().orderBy("quand", "desc").orderBy("id");
        if (format !== "csv") rows = rows.limit(limit).offset(offset);
        const results = (await rows.execute()).map((r) => ({
          ...r,
          details: JSON.parse(r.details) as Record<string, unknown>,
        }));
        if (format === "csv") {
          return sendCsv(
            reply,
            "journal-audit.csv",
            toCsv(results, [
              { header: "quand", value: (r) => r.quand },
              { header: "acteur", value: (r) => r.acteur },
              { header: "action", value: (r) => r.action },
              { header: "cible", value: (r) => r.cible },
              { header: "resultat", value: (r) => r.resultat },
              { header: "ip", value: (r) => r.ip },
              { header: "details", value: (r) => JSON.stringify(r.details) },
            ]),
          );
        }
        return { total: Number(total), results };
      },
    );
  };
