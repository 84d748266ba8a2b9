/**
 * Answers of GET /api/eligibilite by address id or building id (as serialised parts), least recently
 * used out first, bounded by their total weight (≈ bytes held). An answer depends only on the
 * published quarter (immutable), the catalogue snapshot, the reference date and the id: all are in
 * the key, so an entry is never stale; a new publication or catalogue write simply makes new keys
 * (the old ones age out).
 */
export class AnswerCache<T> {
  private readonly entries = new Map<string, { value: T; weight: number }>();
  private total = 0;

  constructor(private readonly maxWeight: number) {}

  get(key: string): T | undefined {
    const hit = this.entries.get(key);
    if (hit === undefined) return undefined;
    // Re-inserted on each read: the Map keeps insertion order, so the first key is the least recently used.
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit.value;
  }

  set(key: string, value: T, weight: number): void {
    if (weight > this.maxWeight) return;
    const previous = this.entries.get(key);
    if (previous !== undefined) {
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

const ids = new WeakMap<object, number>();
let nextId = 0;

/** A number naming an object for cache keys (a catalogue snapshot), stable while it lives. */
export function identityOf(value: object): number {
  let id = ids.get(value);
  if (id === undefined) {
    id = ++nextId;
    ids.set(value, id);
  }
  return id;
}
