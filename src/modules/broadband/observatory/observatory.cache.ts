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
  private readonly entries = new Map<string, { value: unknown; weight: number }>();
  private total = 0;

  constructor(private readonly maxWeight = 200_000) {}

  async getOrCompute<T>(
    key: string | null,
    compute: () => Promise<T>,
    weigh: (value: T) => number = () => 1,
  ): Promise<T> {
    if (key === null) return compute();
    // Re-inserted on each read: the Map keeps insertion order, so the first key is the least recently used.
    if (this.entries.has(key)) return this.get<T>(key) as T;
    const value = await compute();
    this.set(key, value, Math.max(1, weigh(value)));
    return value;
  }

  get<T>(key: string): T | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit.value as T;
  }

  set(key: string, value: unknown, weight = 1): void {
    if (weight > this.maxWeight) return;
    const previous = this.entries.get(key);
    if (previous) {
      this.entries.delete(key);
      this.total -= previous.weight;
    }
    this.entries.set(key, { value, weight });
    this.total += weight;
    for (const [oldest, entry] of this.entries) {
      if (this.total <= this.maxWeight) break;
      this.entries.delete(oldest);
      this.total -= entry.weight;
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
