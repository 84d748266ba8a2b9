import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Kysely } from "kysely";
import { access, type Principal } from "../../../shared/http/access-control.ts";
import { HttpError } from "../../../shared/http/errors.ts";
import { actorOf } from "../../accounts/users/users.routes.ts";
import type { BroadbandTables } from "../broadband.tables.ts";
import { listQuartersSchema, publishQuarterSchema, type Trimestre } from "./quarters.schema.ts";
import {
  listQuarters,
  publishQuarter,
  QuarterNotFoundError,
  QuarterPublishedError,
  type QuarterSummary,
} from "./quarters.service.ts";

/** Agents and admins see draft quarters (to check them before publishing); the public does not. */
export function seesDraftQuarters(principal: Principal): boolean {
  return principal.kind !== "anonyme" && principal.roles.some((g) => g.role === "admin" || g.role === "agent");
}

const present = (q: QuarterSummary, internal: boolean): Trimestre => ({
  code: q.code,
  statut: q.statut,
  debut: q.debut,
  fin: q.fin,
  simule: q.simule,
  publieLe: q.publieLe,
  ...(internal ? { publiePar: q.publiePar } : {}),
});

export const quartersRoutes =
  (db: Kysely<BroadbandTables>): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/api/observatoire/trimestres",
      { config: { access: access.public() }, schema: listQuartersSchema },
      async (request, reply) => {
        const internal = seesDraftQuarters(request.principal);
        // The answer depends on who asks: never shared by a cache.
        if (internal) reply.header("cache-control", "private, no-store");
        const quarters = await listQuarters(db, { brouillons: internal });
        return { trimestres: quarters.map((q) => present(q, internal)) };
      },
    );

    app.post(
      "/api/observatoire/trimestres/:code/publication",
      { config: { access: access.roles(["agent"]) }, schema: publishQuarterSchema },
      async (request) => {
        try {
          return present(await publishQuarter(db, request.params.code, actorOf(request.principal)), true);
        } catch (error) {
          if (error instanceof QuarterNotFoundError) throw new HttpError(404, "TRIMESTRE_INTROUVABLE", error.message);
          if (error instanceof QuarterPublishedError) throw new HttpError(409, "TRIMESTRE_PUBLIE", error.message);
          throw error;
        }
      },
    );
  };
