import compress from "@fastify/compress";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyInstance } from "fastify";
import { platformModule } from "./modules/platform/platform.module.ts";
import { PLATFORM_VERSION } from "./modules/platform/platform.version.ts";
import { territoryModule } from "./modules/territory/territory.module.ts";
import type { AppConfig } from "./shared/config/config.ts";
import type { OpenedDatabase } from "./shared/db/database.ts";
import { ErrorResponse } from "./shared/http/error-response.schema.ts";
import { registerErrorHandling } from "./shared/http/errors.ts";
import { registerOpenApi } from "./shared/http/openapi.ts";
import { registerWebFrontEnd } from "./shared/http/web-static.ts";

export interface BuildAppOptions {
  config: AppConfig;
  database: OpenedDatabase;
  logger?: boolean | { level: string };
}

/**
 * Composition root: external plugins, then shared HTTP behaviour, then the modules, then the web
 * front end (last, so that its catch-all never shadows an API route).
 */
export async function buildApp({ config, database, logger = false }: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger,
    bodyLimit: 1024 * 1024,
    // Long queries are refused before reaching a handler (414 is answered by Node itself).
    routerOptions: { maxParamLength: 200 },
    ajv: {
      customOptions: {
        coerceTypes: "array",
        removeAdditional: true,
        useDefaults: true,
        allErrors: false,
      },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(compress, { threshold: 2048 });
  app.addSchema(ErrorResponse);
  registerErrorHandling(app);
  await registerOpenApi(app, {
    title: `${config.identity.platformName} — API`,
    version: PLATFORM_VERSION,
  });

  await app.register(platformModule(database.db, database.dialect, config));
  await app.register(territoryModule(database.db));

  await registerWebFrontEnd(app, config.webDistDir);
  return app;
}
