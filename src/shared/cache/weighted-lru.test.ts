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
});
