import { existsSync } from "node:fs";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import { routeNotFound } from "./errors.ts";

/**
 * Serves the built web front end. Paths outside /api that match no file get index.html, so that
 * the client-side router can handle deep links such as /communes/14118.
 */
export async function registerWebFrontEnd(app: FastifyInstance, distDir: string): Promise<void> {
  const indexFile = path.join(distDir, "index.html");
  const built = existsSync(indexFile);
  if (built) {
    await app.register(fastifyStatic, {
      root: distDir,
      wildcard: false,
      index: false,
      // Vite fingerprints asset names: they can be cached for good; index.html must not be.
      setHeaders(res, file) {
        res.setHeader(
          "cache-control",
          file.includes(`${path.sep}assets${path.sep}`) ? "public, max-age=31536000, immutable" : "no-cache",
        );
      },
    });
  }
  app.get("/*", { schema: { hide: true } }, async (request, reply) => {
    if (request.url.startsWith("/api/") || request.url === "/api") {
      return reply.status(404).send(routeNotFound(request));
    }
    if (!built) {
      return reply
        .status(503)
        .type("text/html; charset=utf-8")
        .send(
          '<!doctype html><html lang="fr"><meta charset="utf-8"><title>Interface non construite</title><p>L\'interface web n\'est pas construite : lancez <code>npm run build:web</code> (ou <code>npm start</code>, qui la construit).</p><p><a href="/api/docs">Documentation de l\'API</a></p></html>',
        );
    }
    return reply.type("text/html; charset=utf-8").header("cache-control", "no-cache").sendFile("index.html");
  });
}
