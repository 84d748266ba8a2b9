import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { type AuditRecorder, noAudit } from "../audit-port.ts";
import type { CatalogueService } from "./catalogue-service.ts";
import { compareCataloguesRoute } from "./compare-catalogues/compare-catalogues.routes.ts";
import { getCatalogueVersionRoute } from "./get-catalogue-version/get-catalogue-version.routes.ts";
import { importCatalogueVersionRoute } from "./import-catalogue-version/import-catalogue-version.routes.ts";
import { listCataloguesRoutes } from "./list-catalogues/list-catalogues.routes.ts";
import { writeCatalogueVersionRoutes } from "./write-catalogue-version/write-catalogue-version.routes.ts";

/** Every /api/catalogues route, over one service (the module's); writes are journalled with `record`. */
export const catalogueRoutes = (
  service: CatalogueService,
  record: AuditRecorder = noAudit,
): FastifyPluginAsyncTypebox[] => [
  listCataloguesRoutes(service),
  compareCataloguesRoute(service),
  getCatalogueVersionRoute(service),
  writeCatalogueVersionRoutes(service, record),
  importCatalogueVersionRoute(service, record),
];
