import type { FastifyInstance } from "fastify";
import helmet, { type HelmetOptions } from "helmet";

/**
 * Security headers as helmet writes them, computed once at start-up. Our policy is the same for
 * every response, and running helmet's middleware per request (as @fastify/helmet does) cost about
 * 45 % of the throughput of a light route on this machine (measured: 13,000 → 7,200 requests/s).
 */
export function registerSecurityHeaders(app: FastifyInstance, options: HelmetOptions): void {
  const headers: Record<string, string> = {};
  const collector = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as never, collector as never, () => {});
  // Callback style, not async: it runs on every request.
  app.addHook("onRequest", (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
}
