// Typo tolerance: a trigram index over the vocabulary gives candidate tokens, then an optimal
// string alignment distance (Levenshtein plus adjacent transposition) keeps those within 1 or 2 edits.

const ALPHABET = 37; // "$" pad, a-z, 0-9

function code(c: number): number {
  if (c >= 97 && c <= 122) return c - 96;
  if (c >= 48 && c <= 57) return c - 21;
  return 0;
}

/** Trigram keys of "$token$" (with duplicates, which is fine for counting). */
export function trigramKeys(token: string, out: number[]): number[] {
  out.length = 0;
  let a = 0;
  let b = code(token.charCodeAt(0));
  for (let i = 1; i <= token.length; i++) {
    const c = i < token.length ? code(token.charCodeAt(i)) : 0;
    out.push((a * ALPHABET + b) * ALPHABET + c);
    a = b;
    b = c;
  }
  return out;
}

export interface TrigramIndex {
  offsets: Uint32Array;
  tokens: Uint32Array;
}

/** Builds trigram → token ids (CSR) for the alphabetic tokens of a sorted vocabulary. */
export function buildTrigramIndex(vocabulary: readonly string[]): TrigramIndex {
  const size = ALPHABET * ALPHABET * ALPHABET;
  const counts = new Uint32Array(size + 1);
  const keys: number[] = [];
  const indexed = (t: string) => t.length >= 3 && !/^\d/.test(t);
  for (const token of vocabulary) {
    if (!indexed(token)) continue;
    for (const k of new Set(trigramKeys(token, keys))) counts[k + 1] = (counts[k + 1] as number) + 1;
  }
  for (let i = 1; i <= size; i++) counts[i] = (counts[i] as number) + (counts[i - 1] as number);
  const tokens = new Uint32Array(counts[size] as number);
  const fill = counts.slice(0, size);
  vocabulary.forEach((token, id) => {
    if (!indexed(token)) return;
    for (const k of new Set(trigramKeys(token, keys))) {
      const at = fill[k] as number;
      tokens[at] = id;
      fill[k] = at + 1;
    }
  });
  return { offsets: counts, tokens };
}

const rowA = new Int32Array(64);
const rowB = new Int32Array(64);
const rowC = new Int32Array(64);

/** Optimal string alignment distance, or max + 1 as soon as it exceeds max. */
export function boundedDistance(a: string, b: string, max: number): number {
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  if (la >= 63 || lb >= 63) return a === b ? 0 : max + 1;
  let prev2 = rowA;
  let prev = rowB;
  let cur = rowC;
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1);
      let v = Math.min(
        (prev[j] as number) + 1,
        (cur[j - 1] as number) + 1,
        (prev[j - 1] as number) + (ca === cb ? 0 : 1),
      );
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) {
        v = Math.min(v, (prev2[j - 2] as number) + 1);
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[lb] as number;
}

/**
 * Allowed edits for a token: 0 below 3 characters, 1 up to 7, 2 from 8. Tokens are plural-folded
 * ("huts" → "hut"), so a 3-letter token was often typed with 4 letters.
 */
export function allowedEdits(token: string): number {
  if (token.length < 3 || /^\d/.test(token)) return 0;
  return token.length >= 8 ? 2 : 1;
}

function hash(text: string, skip: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    if (i === skip) continue;
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  }
  return h >>> 0;
}

const ID_BITS = 2 ** 21;

/**
 * Symmetric-delete neighbourhood for one edit: every token and each of its one-letter deletions,
 * hashed (32 bits) and packed with the token id in a sorted Float64Array. Two tokens within one
 * edit (insertion, deletion, substitution, adjacent transposition) share a variant.
 */
export function buildDeletionIndex(vocabulary: readonly string[]): Float64Array {
  const entries: number[] = [];
  vocabulary.forEach((token, id) => {
    if (token.length < 3 || /^\d/.test(token)) return;
    entries.push(hash(token, -1) * ID_BITS + id);
    for (let i = 0; i < token.length; i++) entries.push(hash(token, i) * ID_BITS + id);
  });
  if (vocabulary.length >= ID_BITS) throw new Error("vocabulary too large for the deletion index");
  return Float64Array.from(entries).sort();
}

export class FuzzyMatcher {
  private readonly counts: Uint8Array;
  private readonly touched: Uint32Array;
  private readonly keys: number[] = [];
  private readonly lengths: Uint8Array;

  constructor(
    private readonly index: TrigramIndex,
    private readonly vocabulary: readonly string[],
    private readonly deletions: Float64Array,
  ) {
    this.counts = new Uint8Array(vocabulary.length);
    this.touched = new Uint32Array(vocabulary.length);
    this.lengths = Uint8Array.from(vocabulary, (t) => Math.min(255, t.length));
  }

  /** Tokens within one edit, through the deletion neighbourhood. */
  private oneEdit(token: string): { id: number; distance: number }[] {
    const found = new Map<number, number>();
    const deletions = this.deletions;
    for (let skip = -1; skip < token.length; skip++) {
      const base = hash(token, skip) * ID_BITS;
      let lo = 0;
      let hi = deletions.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((deletions[mid] as number) < base) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < deletions.length && (deletions[i] as number) < base + ID_BITS; i++) {
        const id = (deletions[i] as number) - base;
        if (found.has(id)) continue;
        const distance = boundedDistance(token, this.vocabulary[id] as string, 1);
        found.set(id, distance);
      }
    }
    const out: { id: number; distance: number }[] = [];
    for (const [id, distance] of found) if (distance === 1) out.push({ id, distance });
    return out;
  }

  /** Tokens of the vocabulary within the allowed edits of `token`, with their distance. */
  candidates(token: string, maxEdits: number): { id: number; distance: number }[] {
    if (maxEdits <= 0) return [];
    const near = this.oneEdit(token);
    if (near.length > 0 || maxEdits === 1) return near.length > 20 ? near.slice(0, 20) : near;
    const keys = trigramKeys(token, this.keys);
    const unique = [...new Set(keys)];
    const needed = Math.max(1, unique.length - 4 * maxEdits);
    const { offsets, tokens } = this.index;
    let touchedCount = 0;
    const counts = this.counts;
    for (const k of unique) {
      const end = offsets[k + 1] as number;
      for (let p = offsets[k] as number; p < end; p++) {
        const id = tokens[p] as number;
        const c = counts[id] as number;
        if (c === 0) this.touched[touchedCount++] = id;
        if (c < 255) counts[id] = c + 1;
      }
    }
    const found: { id: number; distance: number }[] = [];
    for (let i = 0; i < touchedCount; i++) {
      const id = this.touched[i] as number;
      const c = counts[id] as number;
      counts[id] = 0;
      if (c < needed || Math.abs((this.lengths[id] as number) - token.length) > maxEdits) continue;
      const candidate = this.vocabulary[id] as string;
      const distance = boundedDistance(token, candidate, maxEdits);
      if (distance <= maxEdits && distance > 0) found.push({ id, distance });
    }
    found.sort((x, y) => x.distance - y.distance);
    return found.length > 20 ? found.slice(0, 20) : found;
  }
}
