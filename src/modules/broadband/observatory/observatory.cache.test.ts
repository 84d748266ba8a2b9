import { describe, expect, it } from "vitest";
import { PublishedFiguresCache } from "./observatory.cache.ts";

describe("Cache des chiffres des trimestres publiés", () => {
  it("calcule une fois par clé, jamais sans clé, et oublie d'abord le moins récemment lu", async () => {
    const cache = new PublishedFiguresCache(3);
    let computed = 0;
    const compute = (value: string) => async () => {
      computed++;
      return value;
    };
    expect(await cache.getOrCompute("a", compute("A"))).toBe("A");
    expect(await cache.getOrCompute("a", compute("autre"))).toBe("A");
    expect(await cache.getOrCompute(null, compute("brouillon"))).toBe("brouillon");
    expect(await cache.getOrCompute(null, compute("brouillon"))).toBe("brouillon");
    expect(computed).toBe(3);
    await cache.getOrCompute("b", compute("B"));
    await cache.getOrCompute("c", compute("C"));
    await cache.getOrCompute("a", compute("A2")); // read: now the most recent
    await cache.getOrCompute("d", compute("D")); // evicts b
    expect(cache.size).toBe(3);
    expect(await cache.getOrCompute("a", compute("A3"))).toBe("A");
    expect(await cache.getOrCompute("b", compute("B2"))).toBe("B2");
    // Heavier than the whole cache: served, not kept.
    expect(await cache.getOrCompute("lourd", compute("L"), () => 10)).toBe("L");
    expect(await cache.getOrCompute("lourd", compute("L2"), () => 10)).toBe("L2");
  });
});
