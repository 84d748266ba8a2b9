import { readFileSync } from "node:fs";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { AppConfig } from "../../../shared/config/config.ts";
import type { AppDatabase } from "../../../shared/db/database.ts";
import { access } from "../../../shared/http/access-control.ts";
import { findImportStatus } from "../../territory/ensure-territories/ensure-territories.service.ts";
import { findTerritory } from "../../territory/get-territory/get-territory.repository.ts";
import { PLATFORM_VERSION } from "../platform.version.ts";
import { DEFAULT_LOGO_SVG } from "./default-logo.ts";
import { ConfigurationResponse } from "./get-configuration.schema.ts";

/** What the web front end needs to brand itself and to say what data it has. */
export const getConfigurationRoute =
  (db: AppDatabase, config: AppConfig): FastifyPluginAsyncTypebox =>
  async (app) => {
    const territories = db;
    const logo = config.identity.logoFile
      ? {
          body: readFileSync(config.identity.logoFile),
          type: config.identity.logoFile.endsWith(".png") ? "image/png" : "image/svg+xml",
        }
      : {
          body: Buffer.from(DEFAULT_LOGO_SVG(config.identity.primaryColor, config.identity.accentColor)),
          type: "image/svg+xml",
        };

    app.get(
      "/api/configuration",
      {
        config: { access: access.public() },
        schema: {
          summary: "Identité visuelle et région servie",
          tags: ["plateforme"],
          response: { 200: ConfigurationResponse },
        },
      },
      async () => {
        const [region, status] = await Promise.all([
          findTerritory(territories, "regions", config.region),
          findImportStatus(territories, config.region),
        ]);
        const communes = status?.communes ?? 0;
        const communesAvecPolygone = status?.communesAvecPolygone ?? 0;
        return {
          plateforme: {
            nom: config.identity.platformName,
            version: PLATFORM_VERSION,
          },
          region: {
            code: config.region,
            nom: region?.nom ?? `Région ${config.region}`,
          },
          identite: {
            couleurPrimaire: config.identity.primaryColor,
            couleurAccent: config.identity.accentColor,
            logo: "/api/configuration/logo",
          },
          territoires: {
            communes,
            communesAvecPolygone,
            contoursComplets: communes > 0 && communesAvecPolygone === communes,
          },
        };
      },
    );

    app.get(
      "/api/configuration/logo",
      {
        config: { access: access.public() },
        schema: {
          summary: "Logo de la plateforme (SVG ou PNG)",
          tags: ["plateforme"],
          produces: ["image/svg+xml", "image/png"],
        },
      },
      async (_request, reply) => reply.type(logo.type).header("cache-control", "public, max-age=3600").send(logo.body),
    );
  };
