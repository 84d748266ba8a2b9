import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { ObjectifThd } from "../../../shared/config/config.ts";
import { getCopperClosureRoute } from "./get-copper-closure/get-copper-closure.route.ts";
import { getEquityRoute } from "./get-equity/get-equity.route.ts";
import { getObservatoryRoute } from "./get-observatory/get-observatory.route.ts";
import { getSeriesRoute } from "./get-series/get-series.route.ts";
import { getStrategicSitesRoute } from "./get-strategic-sites/get-strategic-sites.route.ts";
import { getZoneFibreeRoute } from "./get-zone-fibree/get-zone-fibree.route.ts";
import { PublishedFiguresCache } from "./observatory.cache.ts";
import type { ObservatoryDb } from "./observatory.scope.ts";
import { observatoryMapRoute } from "./observatory-map/observatory-map.route.ts";

/** The THD observatory's routes (/api/observatoire/{niveau}/{code}…), read-only and public. */
export function observatoryRoutes(
  db: ObservatoryDb,
  options: { objectifsThd: ObjectifThd[] },
): FastifyPluginAsyncTypebox {
  // One cache per application instance: the figures of published quarters, computed once.
  const cache = new PublishedFiguresCache();
  return async (app) => {
    await app.register(getObservatoryRoute(db, cache));
    await app.register(getSeriesRoute(db, cache, options.objectifsThd));
    await app.register(getEquityRoute(db, cache));
    await app.register(getZoneFibreeRoute(db, cache));
    await app.register(getCopperClosureRoute(db, cache));
    await app.register(getStrategicSitesRoute(db, cache));
    await app.register(observatoryMapRoute(db, cache));
  };
}
