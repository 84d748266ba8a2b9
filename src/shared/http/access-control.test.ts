import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { access, type Principal, registerAccessControl } from "./access-control.ts";
import { registerErrorHandling } from "./errors.ts";

const anonymous = async (): Promise<Principal> => ({ kind: "anonyme" });

describe("Contrôle d'accès", () => {
  it("refuse au démarrage une route de l'API sans politique d'accès", async () => {
    const app = Fastify();
    registerAccessControl(app, anonymous);
    app.get("/api/avec-politique", { config: { access: access.public() } }, async () => ({}));
    expect(() => app.get("/api/oubliee", async () => ({}))).toThrow(
      "La route GET /api/oubliee ne déclare pas de politique d'accès",
    );
  });

  it("laisse les routes hors API (site web) et la documentation sans politique", async () => {
    const app = Fastify();
    registerAccessControl(app, anonymous);
    app.get("/communes/:code", async () => ({}));
    app.get("/api/docs/json", async () => ({}));
    await expect(app.ready()).resolves.toBeDefined();
    await app.close();
  });

  it("lie un rôle d'opérateur à son réseau", async () => {
    const operator: Principal = {
      kind: "utilisateur",
      id: "u1",
      email: "o@x.test",
      nom: "O",
      roles: [{ role: "operateur", perimetre: "RIP50" }],
      sessionId: "s",
      csrfToken: "t",
    };
    const app = Fastify();
    registerErrorHandling(app);
    registerAccessControl(app, async () => operator);
    const policy = access.roles(["operateur"], { perimeter: (r) => (r.params as { reseau: string }).reseau });
    app.get("/api/reseaux/:reseau", { config: { access: policy } }, async () => ({ ok: true }));
    expect((await app.inject("/api/reseaux/RIP50")).statusCode).toBe(200);
    expect((await app.inject("/api/reseaux/RIP14")).statusCode).toBe(403);
    await app.close();
  });
});
