import { type AppInstance, type BuildAppOptions, buildApp } from "../../app.ts";
import { type AppConfig, loadConfig } from "../config/config.ts";
import type { OpenedDatabase } from "../db/database.ts";

export interface TestServer {
  app: AppInstance;
  baseUrl: string;
  get(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** The real application on a real loopback port, over an already opened test database. */
export async function startTestServer(
  database: OpenedDatabase,
  overrides: Partial<AppConfig> = {},
  env: NodeJS.ProcessEnv = {},
  logger: BuildAppOptions["logger"] = false,
): Promise<TestServer> {
  const config: AppConfig = { ...loadConfig(env), ...overrides };
  const app = await buildApp({ config, database, logger });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  if (!address || typeof address === "string") throw new Error("adresse d'écoute inattendue");
  const baseUrl = `http://127.0.0.1:${address.port}`;
  return {
    app,
    baseUrl,
    get: (path, init) => fetch(`${baseUrl}${path}`, init),
    close: () => app.close(),
  };
}

/** Fetches and parses JSON; tests assert on the shape, so the value is loosely typed on purpose. */
// biome-ignore lint/suspicious/noExplicitAny: test assertions check the shape
export async function getJson(url: string): Promise<any> {
  return (await fetch(url)).json();
}
