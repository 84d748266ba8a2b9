import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";

/** The OpenAPI document is generated from the route schemas; the UI is served at /api/docs. */
export async function registerOpenApi(app: FastifyInstance, info: { title: string; version: string }): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        ...info,
        description: "API de la plateforme. Les noms de ressources et les messages sont en français.",
      },
      tags: [
        { name: "plateforme", description: "État du service et identité" },
        { name: "territoires", description: "Régions, départements, EPCI et communes (COG en vigueur)" },
        { name: "comptes", description: "Sessions, utilisateurs, clés d'API, journal d'audit" },
        { name: "adresses", description: "Géocodage compatible avec l'API Adresse nationale" },
      ],
    },
    hideUntagged: true,
  });
  await app.register(swaggerUi, {
    routePrefix: "/api/docs",
    uiConfig: { docExpansion: "list", deepLinking: true },
  });
}
