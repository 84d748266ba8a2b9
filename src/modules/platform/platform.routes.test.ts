import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { sendDeclaredBody } from "../../shared/testing/http-client.ts";
import { describeEachDatabase } from "../../shared/testing/test-databases.ts";
import { getJson, startTestServer, type TestServer } from "../../shared/testing/test-server.ts";
import { importTerritories } from "../territory/import-territories/import-territories.service.ts";

describeEachDatabase("Plateforme : santé, configuration, documentation", (ctx) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(ctx.opened);
  });
  afterAll(() => server?.close());

  it("signale l'état, le dialecte et la version, puis les territoires une fois importés", async () => {
    const before = await getJson(`${server.baseUrl}/api/health`);
    expect(before).toMatchObject({ status: "ok", database: { dialect: ctx.dialect }, region: "28", territoires: null });
    expect(before.version).toMatch(/^\d+\.\d+\.\d+/);
    await importTerritories(ctx.db, "28");
    const after = await getJson(`${server.baseUrl}/api/health`);
    expect(after.territoires).toMatchObject({ communes: 2644, communesAvecPolygone: 2644 });
  });

  it("donne l'identité visuelle configurée et la région servie", async () => {
    const body = await getJson(`${server.baseUrl}/api/configuration`);
    expect(body).toMatchObject({
      plateforme: { nom: "Territoire Numérique" },
      region: { code: "28", nom: "Normandie" },
      identite: { couleurPrimaire: "#1d5a6c", logo: "/api/configuration/logo" },
      territoires: { contoursComplets: true },
    });
    const logo = await server.get("/api/configuration/logo");
    expect(logo.headers.get("content-type")).toContain("image/svg+xml");
    expect(await logo.text()).toContain("#1d5a6c");
  });

  it("prend le nom, les couleurs et le logo configurés par la Région", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tn-logo-"));
    const logoFile = path.join(dir, "logo.svg");
    writeFileSync(logoFile, '<svg xmlns="http://www.w3.org/2000/svg"><title>Logo régional</title></svg>');
    const themed = await startTestServer(
      ctx.opened,
      {},
      {
        TERRITOIRE_NOM: "Normandie Numérique",
        TERRITOIRE_COULEUR_PRIMAIRE: "#003366",
        TERRITOIRE_COULEUR_ACCENT: "#8B1E3F",
        TERRITOIRE_LOGO: logoFile,
      },
    );
    try {
      const body = await getJson(`${themed.baseUrl}/api/configuration`);
      expect(body).toMatchObject({
        plateforme: { nom: "Normandie Numérique" },
        identite: { couleurPrimaire: "#003366", couleurAccent: "#8b1e3f" },
      });
      expect(await (await themed.get("/api/configuration/logo")).text()).toContain("Logo régional");
    } finally {
      await themed.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("durcit les réponses : en-têtes de sécurité, CORS pour les lectures publiques seulement, corps limité", async () => {
    const health = await server.get("/api/health");
    // An API answer loads nothing and may not be framed; the documents (web pages, API docs) get helmet's set.
    expect(health.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(health.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(health.headers.get("strict-transport-security")).toContain("max-age=");
    expect(health.headers.get("x-content-type-options")).toBe("nosniff");
    expect(health.headers.get("access-control-allow-origin")).toBe("*");
    const docs = await server.get("/api/docs/");
    expect(docs.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(docs.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    const restricted = await server.get("/api/journal");
    expect(restricted.status).toBe(401);
    expect(restricted.headers.get("access-control-allow-origin")).toBeNull();
    const oversized = await sendDeclaredBody(server.baseUrl, "/api/session", { bytes: 2 * 1024 * 1024 });
    expect(oversized.status).toBe(413);
    const error = JSON.parse(oversized.text);
    expect(error).toMatchObject({ statusCode: 413, message: "Requête trop volumineuse" });
    expect(JSON.stringify(error)).not.toMatch(/at .+\.(ts|js):\d+/);
  });

  it("publie un document OpenAPI qui liste chaque route de l'API avec ses paramètres et son accès", async () => {
    const doc = await getJson(`${server.baseUrl}/api/docs/json`);
    expect(doc.openapi).toMatch(/^3\./);
    type Operation = { parameters?: { name: string; in: string }[]; description?: string };
    const paths = doc.paths as Record<string, Record<string, Operation>>;
    expect(server.app.accessRoutes.length).toBeGreaterThan(5);
    for (const route of server.app.accessRoutes) {
      const path = route.url.replace(/:(\w+)/g, "{$1}");
      const operation = paths[path]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${path}`).toBeDefined();
      const pathParameters = (operation?.parameters ?? []).filter((p) => p.in === "path").map((p) => p.name);
      expect(pathParameters.sort(), path).toEqual([...route.url.matchAll(/:(\w+)/g)].map((m) => m[1]).sort());
      expect(operation?.description, path).toContain("Accès :");
    }
    const list = paths["/api/territoires/{niveau}"]?.get?.parameters?.map((p) => p.name).sort();
    expect(list).toEqual(["departement", "epci", "format", "limit", "niveau", "offset", "q", "region", "tri"]);
    const ui = await server.get("/api/docs");
    expect(ui.status).toBeLessThan(400);
  });
});
