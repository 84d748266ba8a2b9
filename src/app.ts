import compress from "@fastify/compress";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyInstance, type FastifyRequest } from "fastify";
import { accountsModule, principalResolver } from "./modules/accounts/accounts.module.ts";
import { recordAudit } from "./modules/accounts/audit-log/record-audit.ts";
import {
  addressesModule,
  createAddressIndexService,
  findActiveAddressesById,
  searchAddresses,
} from "./modules/addresses/addresses.module.ts";
import { broadbandModule } from "./modules/broadband/broadband.module.ts";
import { eligibilityModule } from "./modules/eligibility/eligibility.module.ts";
import { platformModule } from "./modules/platform/platform.module.ts";
import { PLATFORM_VERSION } from "./modules/platform/platform.version.ts";
import { territoryModule } from "./modules/territory/territory.module.ts";
import type { AppConfig } from "./shared/config/config.ts";
import type { OpenedDatabase } from "./shared/db/database.ts";
import { type RegisteredRoute, registerAccessControl } from "./shared/http/access-control.ts";
import { ErrorResponse } from "./shared/http/error-response.schema.ts";
import { registerErrorHandling } from "./shared/http/errors.ts";
import { registerOpenApi } from "./shared/http/openapi.ts";
import { registerRateLimits } from "./shared/http/rate-limit.ts";
import { registerSecurityHeaders } from "./shared/http/security-headers.ts";
import { registerWebFrontEnd } from "./shared/http/web-static.ts";

/** Log levels at which Fastify writes a line per request. */
const REQUEST_LINE_LEVELS = new Set(["trace", "debug", "info"]);

export interface BuildAppOptions {
  config: AppConfig;
  database: OpenedDatabase;
  logger?: boolean | { level: string; stream?: { write(line: string): void } };
}

/** The application, with the table of its API routes and their access policies. */
export type AppInstance = FastifyInstance & { accessRoutes: RegisteredRoute[] };

// The web front end needs MapLibre's worker (same origin, or a blob: URL) and inline style
// attributes (map tooltip positions); nothing is loaded from another origin.
const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", "data:", "blob:"],
  workerSrc: ["'self'", "blob:"],
  childSrc: ["'self'", "blob:"],
  connectSrc: ["'self'"],
  fontSrc: ["'self'", "data:"],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
};

/**
 * Composition root: external plugins, shared HTTP behaviour (security headers, errors, access control, rate limits,
 * OpenAPI), then the modules, then the web front end (last, so that its catch-all never shadows an
 * API route).
 */
export async function buildApp({ config, database, logger = false }: BuildAppOptions): Promise<AppInstance> {
  const app = Fastify({
    logger: logger === false ? false : { ...(logger === true ? {} : logger), serializers: { req: serializeRequest } },
    // Below "info" a request writes no line of its own (no "incoming request"), so its id would tie
    // nothing together: its rare warnings and errors use the process logger, without a child per request.
    childLoggerFactory: (parent, bindings, options) =>
      REQUEST_LINE_LEVELS.has(parent.level) ? parent.child(bindings, options) : parent,
    bodyLimit: 1024 * 1024,
    // The addresses module builds its search index (or reads its snapshot) while registering: over a
    // million addresses take seconds, more on a loaded machine, past Fastify's default 10 s.
    pluginTimeout: 300_000,
    // Behind a proxy, the client's address (rate limits, audit) and HTTPS (Secure cookies) come from its headers.
    trustProxy: config.behindProxy,
    // Long queries are refused before reaching a handler (414 is answered by Node itself).
    routerOptions: { maxParamLength: 200 },
    ajv: { customOptions: { coerceTypes: "array", removeAdditional: true, useDefaults: true, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Answers only: no route accepts a compressed request body, so no decompression hook on every request.
  await app.register(compress, { threshold: 2048, globalDecompression: false });
  registerSecurityHeaders(app, { contentSecurityPolicy: { directives: CONTENT_SECURITY_POLICY } });
  app.addSchema(ErrorResponse);
  registerErrorHandling(app);
  // Before any route: the access check must see every route as it is added.
  const accessRoutes = registerAccessControl(app, principalResolver(database.db));
  // After authentication (a preHandler), so that an API key is counted as itself rather than as its address.
  registerRateLimits(app, {
    timeWindow: 60_000,
    max: (request) => (request.principal?.kind === "cle" ? config.rateLimit.perKey : config.rateLimit.perIp),
  });
  allowCrossOriginReadsOfPublicRoutes(app);
  await registerOpenApi(app, { title: `${config.identity.platformName} — API`, version: PLATFORM_VERSION });

  await app.register(platformModule(database.db, database.dialect, config));
  await app.register(accountsModule(database.db, config));
  await app.register(territoryModule(database.db));
  // One address index, served by the addresses module and lent to the eligibility module as a lookup.
  const addressIndexes = createAddressIndexService(database.db);
  await app.register(addressesModule(database.db, addressIndexes));
  await app.register(broadbandModule(database.db, config));
  await app.register(
    eligibilityModule(
      database.db,
      (q, limit) =>
        searchAddresses(addressIndexes, q, limit).map(({ id, label, score, lon, lat }) => ({
          id,
          label,
          score,
          lon,
          lat,
        })),
      {
        // The batch geocodes whole addresses (no autocompletion), with the file's postcode/citycode filters.
        lookup: (q, options) =>
          (addressIndexes.loaded?.index.search(q, { ...options, autocomplete: false }) ?? []).map(
            ({ id, label, score, lon, lat }) => ({ id, label, score, lon, lat }),
          ),
        jobsPerHour: config.batchJobsPerHour,
      },
      // Its sensitive writes go to the accounts module's audit log, inside their own transactions.
      recordAudit,
      (ids) => findActiveAddressesById(database.db, ids),
    ),
  );

  await registerWebFrontEnd(app, config.webDistDir);
  return Object.assign(app, { accessRoutes });
}

// Single-use tokens and OpenID Connect codes travel in URLs (e-mailed links, redirects): they
// never reach the logs.
const SECRET_PARAMETERS = /([?&](?:jeton|code|state|token)=)[^&#]*/gi;
// Capability URLs: whoever holds the path segment may read the anomaly or the batch job.
const SECRET_PATH_SEGMENTS = /(\/(?:suivi|signalements|lots)\/)[^/?#]+/gi;

function serializeRequest(request: FastifyRequest) {
  const url = request.url.replace(SECRET_PARAMETERS, "$1***").replace(SECRET_PATH_SEGMENTS, "$1***");
  return { method: request.method, url, remoteAddress: request.ip };
}

/**
 * Public GET routes may be read from any web origin (open data, public API); nothing else answers
 * cross-origin requests, and credentials are never allowed cross-origin.
 */
function allowCrossOriginReadsOfPublicRoutes(app: FastifyInstance): void {
  // Callback style, not async: it runs on every response.
  app.addHook("onSend", (request, reply, payload, done) => {
    if (request.method === "GET" && request.routeOptions.config?.access?.allows === "public") {
      reply.header("access-control-allow-origin", "*");
    }
    done(null, payload);
  });
}
