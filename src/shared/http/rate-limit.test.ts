import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { registerErrorHandling } from "./errors.ts";
import { FixedWindowCounter, registerRateLimits } from "./rate-limit.ts";

describe("FixedWindowCounter", () => {
  it("compte par clé dans une fenêtre, repart à zéro à sa fin, et oublie les clés expirées", () => {
    let now = 1_000;
    const counter = new FixedWindowCounter(60_000, () => now);
    expect(counter.hit("a").count).toBe(1);
    expect(counter.hit("a").count).toBe(2);
    expect(counter.hit("b").count).toBe(1);
    expect(counter.hit("a").resetAt).toBe(61_000);
    now = 61_000;
    expect(counter.hit("a")).toEqual({ count: 1, resetAt: 121_000 });
    // "b" expired at 61,000 and is swept once a window has passed: the map does not grow without bound.
    now = 121_001;
    counter.hit("c");
    expect(counter.size).toBe(1);
  });
});

describe("registerRateLimits", () => {
  let app: FastifyInstance | undefined;
  afterEach(() => app?.close());

  async function build(): Promise<FastifyInstance> {
    const instance = Fastify();
    instance.decorateRequest("principal", null as never);
    registerErrorHandling(instance);
    registerRateLimits(instance, { max: 3, timeWindow: 60_000 });
    instance.get("/general", () => ({ ok: true }));
    instance.post(
      "/signaler",
      { config: { rateLimit: { max: 1, timeWindow: 3_600_000, keyGenerator: (r) => `signalement:${r.ip}` } } },
      () => ({ ok: true }),
    );
    instance.get("/libre", { config: { rateLimit: false } }, () => ({ ok: true }));
    await instance.ready();
    return instance;
  }

  it("annonce la limite et ce qui reste, puis répond 429 en français avec Retry-After", async () => {
    app = await build();
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await app.inject({ method: "GET", url: "/general" }));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 429]);
    expect(answers.map((a) => a.headers["x-ratelimit-remaining"])).toEqual(["2", "1", "0", "0"]);
    expect(answers[0]?.headers["x-ratelimit-limit"]).toBe("3");
    const refused = answers[3];
    expect(Number(refused?.headers["retry-after"])).toBeGreaterThan(0);
    expect(Number(refused?.headers["retry-after"])).toBeLessThanOrEqual(60);
    expect(refused?.json()).toMatchObject({ statusCode: 429, code: "TROP_DE_REQUETES" });
    expect(refused?.json().message).toContain("3 par minute");
  });

  it("compte une route qui a sa propre limite à part, et HEAD avec GET une seule fois", async () => {
    app = await build();
    expect((await app.inject({ method: "POST", url: "/signaler" })).statusCode).toBe(200);
    const second = await app.inject({ method: "POST", url: "/signaler" });
    expect(second.statusCode).toBe(429);
    expect(second.json().message).toContain("1 par heure");
    // The general limit is untouched by the route's own.
    expect((await app.inject({ method: "HEAD", url: "/general" })).headers["x-ratelimit-remaining"]).toBe("2");
    expect((await app.inject({ method: "GET", url: "/general" })).headers["x-ratelimit-remaining"]).toBe("1");
  });

  it("laisse passer sans compter une route qui n'en veut pas", async () => {
    app = await build();
    for (let i = 0; i < 5; i++) {
      const answer = await app.inject({ method: "GET", url: "/libre" });
      expect(answer.statusCode).toBe(200);
      expect(answer.headers["x-ratelimit-limit"]).toBeUndefined();
    }
  });
});
