interface Entry<T> {
  key: string;
  value: T;
  weight: number;
  /** Toward the most recently used. */
  newer: Entry<T> | null;
  /** Toward the least recently used. */
  older: Entry<T> | null;
}

/**
 * A map bounded by the total weight of its entries (bytes, rows: the caller's unit), least recently
 * used out first. An entry heavier than the whole bound is not kept.
 * Recency is a linked list beside the Map, so a read or an eviction costs the same whatever the
 * size. (Using the Map's own insertion order, deleting and re-inserting on each read and evicting
 * through a fresh iterator, cost 24–83 µs per insertion at 40,000 entries: V8 iterators skip the
 * holes left by deletions, and the oldest entries are all holes.)
 */
export class WeightedLru<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private newest: Entry<T> | null = null;
  private oldest: Entry<T> | null = null;
  private total = 0;

  constructor(private readonly maxWeight: number) {}

  has(key: string): boolean {
    return this.entries.has(key);
  }

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry !== this.newest) {
      this.unlink(entry);
      this.pushNewest(entry);
    }
    return entry.value;
  }

  set(key: string, value: T, weight: number): void {
    if (weight > this.maxWeight) return;
    const previous = this.entries.get(key);
    if (previous !== undefined) {
      this.unlink(previous);
      this.total -= previous.weight;
    }
    const entry: Entry<T> = { key, value, weight, newer: null, older: null };
    this.entries.set(key, entry);
    this.pushNewest(entry);
    this.total += weight;
    while (this.total > this.maxWeight && this.oldest !== null) {
      const evicted = this.oldest;
      this.unlink(evicted);
      this.entries.delete(evicted.key);
      this.total -= evicted.weight;
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /** The sum of the entries' weights. */
  get weight(): number {
    return this.total;
  }

  private unlink(entry: Entry<T>): void {
    if (entry.newer) entry.newer.older = entry.older;
    else this.newest = entry.older;
    if (entry.older) entry.older.newer = entry.newer;
    else this.oldest = entry.newer;
    entry.newer = null;
    entry.older = null;
  }

  private pushNewest(entry: Entry<T>): void {
    entry.older = this.newest;
    entry.newer = null;
    if (this.newest) this.newest.newer = entry;
    this.newest = entry;
    if (this.oldest === null) this.oldest = entry;
  }
}
