import { createHash } from "node:crypto";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { WeightedLru } from "../../../shared/cache/weighted-lru.ts";

/** The content codings this cache stores; any other (deflate…) is left to @fastify/compress. */
export type StoredCoding = "br" | "gzip";

/** Below this size nothing is compressed: the same threshold as the app's @fastify/compress. */
export const COMPRESSION_MIN_BYTES = 2048;
/**
 * From this size a first request is compressed at a fast level, then recompressed at the full level
 * off the event loop once the answer is asked for again. For the 896 kB région « zone fibrée »
 * (bench data, 2-core machine under load): brotli 1 ~1 ms and 56 kB, gzip 1 ~2–6 ms and 63 kB,
 * instead of brotli 5 ~11 ms and 47 kB, gzip 6 ~11–21 ms and 52 kB: ~20 % more bytes, first
 * clients only.
 */
export const FAST_FIRST_MIN_BYTES = 64 * 1024;

const { BROTLI_PARAM_QUALITY, BROTLI_PARAM_SIZE_HINT } = zlib.constants;
const brotliOptions = (quality: number, size: number) => ({
  params: { [BROTLI_PARAM_QUALITY]: quality, [BROTLI_PARAM_SIZE_HINT]: size },
});
const FULL = { br: 5, gzip: 6 } as const;
const FAST = { br: 1, gzip: 1 } as const;

function compressSync(coding: StoredCoding, body: Buffer, level: number): Buffer {
  return coding === "br"
    ? zlib.brotliCompressSync(body, brotliOptions(level, body.length))
    : zlib.gzipSync(body, { level });
}
const brotliCompress = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);
function compressAsync(coding: StoredCoding, body: Buffer, level: number): Promise<Buffer> {
  return coding === "br" ? brotliCompress(body, brotliOptions(level, body.length)) : gzip(body, { level });
}

/**
 * The coding to send for an Accept-Encoding header: brotli, else gzip, when the client accepts it
 * (q > 0); null when it accepts neither (the body then goes out as is, or @fastify/compress picks
 * another coding).
 */
export function negotiateCoding(acceptEncoding: string | string[] | undefined): StoredCoding | null {
  if (acceptEncoding === undefined) return null;
  const header = Array.isArray(acceptEncoding) ? acceptEncoding.join(",") : acceptEncoding;
  const quality = new Map<string, number>();
  for (const part of header.toLowerCase().split(",")) {
    const [name, ...parameters] = part.split(";").map((s) => s.trim());
    if (!name) continue;
    const q = parameters.find((p) => p.startsWith("q="));
    const value = q === undefined ? 1 : Number(q.slice(2));
    quality.set(name === "x-gzip" ? "gzip" : name, Number.isNaN(value) ? 0 : value);
  }
  const qOf = (coding: StoredCoding) => quality.get(coding) ?? quality.get("*") ?? 0;
  const br = qOf("br");
  const gz = qOf("gzip");
  if (br <= 0 && gz <= 0) return null;
  return br >= gz ? "br" : "gzip";
}

/** True when an If-None-Match header names this entity tag (weak comparison, RFC 9110 §13.1.2). */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  const wanted = opaque(etag);
  return ifNoneMatch.split(",").some((tag) => tag.trim() === "*" || opaque(tag) === wanted);
}

/** One answer's bytes: the JSON as sent, and the compressed forms asked for so far. */
class StoredAnswer {
  readonly etag: string;
  private readonly bodies = new Map<StoredCoding, Buffer>();
  /** Codings still at the fast level, and whether their recompression has started. */
  private readonly fast = new Map<StoredCoding, boolean>();

  constructor(readonly identity: Buffer) {
    // Weak: the compressed forms of the same JSON share it, and may be recompressed.
    this.etag = `W/"${createHash("sha1").update(identity).digest("base64url")}"`;
  }

  get weight(): number {
    let total = this.identity.length;
    for (const body of this.bodies.values()) total += body.length;
    return total;
  }

  /** The bytes for a coding (null: the JSON as is), compressing on first use. */
  body(coding: StoredCoding | null): { bytes: Buffer; coding: StoredCoding | null; added: boolean } {
    if (coding === null || this.identity.length < COMPRESSION_MIN_BYTES) {
      return { bytes: this.identity, coding: null, added: false };
    }
    const stored = this.bodies.get(coding);
    if (stored !== undefined) return { bytes: stored, coding, added: false };
    const firstFast = this.identity.length >= FAST_FIRST_MIN_BYTES;
    const bytes = compressSync(coding, this.identity, firstFast ? FAST[coding] : FULL[coding]);
    this.bodies.set(coding, bytes);
    if (firstFast) this.fast.set(coding, false);
    return { bytes, coding, added: true };
  }

  /** Recompresses a fast-level body at the full level, once; resolves true when it replaced it. */
  async upgrade(coding: StoredCoding): Promise<boolean> {
    if (this.fast.get(coding) !== false) return false;
    this.fast.set(coding, true);
    const bytes = await compressAsync(coding, this.identity, FULL[coding]);
    this.bodies.set(coding, bytes);
    this.fast.delete(coding);
    return true;
  }

  isFast(coding: StoredCoding): boolean {
    return this.fast.has(coding);
  }
}

export interface AnswerBytes {
  bytes: Buffer;
  /** The Content-Encoding of `bytes`; null for the JSON as is. */
  coding: StoredCoding | null;
  etag: string;
  hit: boolean;
}

/**
 * Serialised (and compressed) answers of published quarters, keyed by everything the answer
 * depends on (see `answerKey` in observatory.http.ts): the JSON is built, hashed for its ETag and
 * compressed once per coding, then every request sends stored bytes. Bounded by the total bytes
 * held, least recently used out first.
 */
export class AnswerBytesCache {
  private readonly entries: WeightedLru<StoredAnswer>;
  /** Answers being built, so that concurrent first requests build them once. */
  private readonly pending = new Map<string, Promise<StoredAnswer>>();
  private readonly upgrading = new Set<Promise<void>>();

  constructor(maxBytes = 48 * 1024 * 1024) {
    this.entries = new WeightedLru(maxBytes);
  }

  async get(key: string, coding: StoredCoding | null, build: () => Promise<string>): Promise<AnswerBytes> {
    let answer = this.entries.get(key);
    const hit = answer !== undefined;
    if (answer === undefined) {
      let building = this.pending.get(key);
      if (building === undefined) {
        building = build().then((json) => new StoredAnswer(Buffer.from(json)));
        this.pending.set(key, building);
        building.then(
          () => this.pending.delete(key),
          () => this.pending.delete(key),
        );
      }
      answer = await building;
    }
    const body = answer.body(coding);
    if (!hit || body.added) this.entries.set(key, answer, answer.weight);
    else if (body.coding !== null && answer.isFast(body.coding)) this.upgradeLater(key, answer, body.coding);
    return { bytes: body.bytes, coding: body.coding, etag: answer.etag, hit };
  }

  /** Asked for again: worth the smaller bytes. Runs on libuv's threads; re-weighs the entry if still held. */
  private upgradeLater(key: string, answer: StoredAnswer, coding: StoredCoding): void {
    const upgrading = answer.upgrade(coding).then(
      (replaced) => {
        if (replaced && this.entries.get(key) === answer) this.entries.set(key, answer, answer.weight);
      },
      () => {}, // the fast-level bytes stay: correct, only larger
    );
    this.upgrading.add(upgrading);
    upgrading.then(() => this.upgrading.delete(upgrading));
  }

  /** Resolves when every recompression started so far is done (tests, benches). */
  async settled(): Promise<void> {
    await Promise.all(this.upgrading);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Total bytes held. */
  get weight(): number {
    return this.entries.weight;
  }
}
