import { WeightedLru } from "../../../shared/cache/weighted-lru.ts";

/**
 * Aggregates of published quarters, kept in memory. A published quarter never changes (the quarters
 * service refuses any write to it), so its figures for a territory can be computed once per process
 * and served again without reading `thd_stat_commune`; a draft is always read afresh. Bounded by a
 * total weight (roughly the number of rows held), least recently used first out.
 *
 * Caveat: re-importing the territories (a new COG) while the server runs changes which communes
 * make a territory; restart the server afterwards (the CLI import runs in another process anyway).
 */
export class PublishedFiguresCache {
  private readonly entries: WeightedLru<unknown>;

  constructor(maxWeight = 200_000) {
    this.entries = new WeightedLru(maxWeight);
  }

  async getOrCompute<T>(
    key: string | null,
    compute: () => Promise<T>,
    weigh: (value: T) => number = () => 1,
  ): Promise<T> {
    if (key === null) return compute();
    if (this.entries.has(key)) return this.entries.get(key) as T;
    const value = await compute();
    this.set(key, value, Math.max(1, weigh(value)));
    return value;
  }

  get<T>(key: string): T | undefined {
    return this.entries.get(key) as T | undefined;
  }

  set(key: string, value: unknown, weight = 1): void {
    this.entries.set(key, value, weight);
  }

  get size(): number {
    return this.entries.size;
  }
}
