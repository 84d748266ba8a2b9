import { WeightedLru } from "../../../shared/cache/weighted-lru.ts";
import { AnswerBytesCache } from "./observatory.answer-cache.ts";

/**
 * Aggregates of published quarters, kept in memory. A published quarter never changes (the quarters
 * service refuses any write to it), so its figures for a territory can be computed once per process
 * and served again without reading `thd_stat_commune`; a draft is always read afresh. Bounded by a
 * total weight (roughly the number of rows held), least recently used first out. Keys carry the
 * territories' import date (`publishedKey`), so a new import of the territories is seen at once.
 * `answers` holds the JSON answers built from these figures, as bytes ready to send.
 */
export class PublishedFiguresCache {
  private readonly entries: WeightedLru<unknown>;
  readonly answers: AnswerBytesCache;

  constructor(maxWeight = 200_000, answers = new AnswerBytesCache()) {
    this.entries = new WeightedLru(maxWeight);
    this.answers = answers;
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
