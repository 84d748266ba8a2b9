import { describe, expect, it } from "vitest";
import { WeightedLru } from "./weighted-lru.ts";

describe("WeightedLru", () => {
  it("évince le moins récemment lu jusqu'à tenir dans le poids maximal", () => {
    const cache = new WeightedLru<string>(10);
    cache.set("a", "A", 4);
    cache.set("b", "B", 4);
    expect(cache.get("a")).toBe("A"); // read: b is now the least recently used
    cache.set("c", "C", 4); // 12 > 10: b goes
    expect(cache.has("b")).toBe(false);
    expect(cache.get("b")).toBeUndefined();
    expect([cache.get("a"), cache.get("c")]).toEqual(["A", "C"]);
    expect(cache.weight).toBe(8);
    // Rewriting a key replaces its weight instead of adding to it.
    cache.set("a", "A2", 6);
    expect(cache.weight).toBe(10);
    expect(cache.size).toBe(2);
    expect(cache.get("a")).toBe("A2");
  });

  it("ne garde pas une entrée plus lourde que le tout, sans rien évincer", () => {
    const cache = new WeightedLru<number>(5);
    cache.set("petit", 1, 5);
    cache.set("lourd", 2, 6);
    expect(cache.has("lourd")).toBe(false);
    expect(cache.get("petit")).toBe(1);
    expect(cache.size).toBe(1);
  });

  it("suit un modèle simple sur des milliers d'opérations (lectures, réécritures, évictions)", () => {
    // Reference: an array in recency order (oldest first), evicted from the front.
    const model: { key: string; value: number; weight: number }[] = [];
    const cache = new WeightedLru<number>(50);
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let i = 0; i < 5000; i++) {
      const key = `k${random(40)}`;
      const at = model.findIndex((e) => e.key === key);
      if (random(3) === 0) {
        const expected = at === -1 ? undefined : model[at]?.value;
        expect(cache.get(key), `lecture ${i}`).toBe(expected);
        if (at !== -1) model.push(...model.splice(at, 1));
        continue;
      }
      const weight = 1 + random(12);
      cache.set(key, i, weight);
      if (at !== -1) model.splice(at, 1);
      model.push({ key, value: i, weight });
      let total = model.reduce((sum, e) => sum + e.weight, 0);
      while (total > 50) total -= model.shift()?.weight ?? 0;
      expect(cache.size, `écriture ${i}`).toBe(model.length);
      expect(cache.weight, `écriture ${i}`).toBe(total);
    }
    for (const { key, value } of model) expect(cache.has(key) && cache.get(key)).toBe(value);
  });
});
