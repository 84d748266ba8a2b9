import type { AddressIndex, AddressResult, SearchHit } from "../search-engine/address-index.ts";
import { toLambert93 } from "./lambert93.ts";

// The search and reverse answers written as JSON text directly, in the order of the response schema
// (AddressFeatureCollection). Fastify's schema serializer, fed objects rebuilt per feature, was
// about a third of a search request's cost under load; this writes the same bytes in a few µs.

// Quotes, backslashes, control characters and surrogates (lone ones are escaped by JSON.stringify).
// biome-ignore lint/suspicious/noControlCharactersInRegex: JSON must escape control characters
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A JSON string literal; the plain text of addresses needs no escaping, tested once. */
function str(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

function num(n: number): string {
  return Number.isFinite(n) ? String(n) : "null";
}

/**
 * `n` rounded to `digits` decimals (≤ 6), written with integer arithmetic: about twice as fast as
 * the shortest-representation conversion of a double, and the same number once parsed.
 */
function fixed(n: number, scale: 100 | 10_000 | 100_000 | 1_000_000, digits: number): string {
  if (!Number.isFinite(n)) return "null";
  let scaled = Math.round(n * scale);
  let sign = "";
  if (scaled < 0) {
    sign = "-";
    scaled = -scaled;
  }
  if (scaled > 9e15) return String(n);
  const whole = Math.floor(scaled / scale);
  let fraction = scaled - whole * scale;
  if (fraction === 0) return `${sign}${whole}`;
  let width = digits;
  while (fraction % 10 === 0) {
    fraction /= 10;
    width--;
  }
  const text = String(fraction);
  return `${sign}${whole}.${text.length < width ? "0".repeat(width - text.length) + text : text}`;
}

const CITY_CACHE_MAX = 10_000;
const cityJson = new Map<string, string>();

/** `"citycode":…,"city":…,"context":…`, the same for every address of a commune: written once. */
function cityPart(r: AddressResult): string {
  const key = r.citycode + r.city;
  let part = cityJson.get(key);
  if (part === undefined) {
    part = `"citycode":${str(r.citycode)},"city":${str(r.city)},"context":${str(r.context)}`;
    if (cityJson.size >= CITY_CACHE_MAX) cityJson.clear();
    cityJson.set(key, part);
  }
  return part;
}

/** A feature's JSON before its score (`head`) and after it up to its distance (`tail`). */
interface FeatureParts {
  head: string;
  tail: string;
}

function featureParts(r: AddressResult): FeatureParts {
  const { x, y } = toLambert93(r.lon, r.lat);
  const head = `{"type":"Feature","geometry":{"type":"Point","coordinates":[${fixed(r.lon, 1_000_000, 6)},${fixed(r.lat, 1_000_000, 6)}]},"properties":{"label":${str(r.label)},"score":`;
  let tail = `,"id":${str(r.id)},"type":"${r.type}","name":${str(r.name)}`;
  if (r.housenumber !== undefined) tail += `,"housenumber":${str(r.housenumber)}`;
  if (r.street !== undefined) tail += `,"street":${str(r.street)}`;
  tail += `,"postcode":${str(r.postcode)},${cityPart(r)},"importance":${fixed(r.importance, 100_000, 5)},"x":${fixed(x, 100, 2)},"y":${fixed(y, 100, 2)}`;
  return { head, tail };
}

/**
 * `s` as one flat string. A string built by concatenation is a tree of its pieces, all kept when it
 * is kept (1,300 bytes per kept feature of 420 characters, measured); a copy through UTF-8 is one
 * flat string (exact: the JSON text has no lone surrogate, `str` escapes them).
 */
function flat(s: string): string {
  return Buffer.from(s, "utf8").toString("utf8");
}

function assemble(parts: FeatureParts, score: number, distance: number | undefined): string {
  const text = `${parts.head}${fixed(score, 10_000, 4)}${parts.tail}`;
  return distance === undefined ? `${text}}}` : `${text},"distance":${num(distance)}}}`;
}

function featureJson(r: AddressResult): string {
  return assemble(featureParts(r), r.score, r.distance);
}

/** Bytes of one kept feature: its text and about 100 for the strings, the entry and the map. */
const ENTRY_OVERHEAD = 100;

/**
 * The search route's features, written from hits: everything but the score and distance is kept per
 * hit key (an address or a street never changes within an index), so a feature seen recently costs
 * a lookup and two concatenations instead of a result object, a projection and a dozen conversions.
 * Bounded by bytes like the eligibility answers (32 MB by default, some 65,000 features): two
 * generations of half the bound each, the older dropped when the newer fills up.
 */
export class FeatureJsonCache {
  private recent = new Map<number, FeatureParts>();
  private older = new Map<number, FeatureParts>();
  private recentBytes = 0;
  private olderBytes = 0;

  constructor(
    private readonly index: Pick<AddressIndex, "resultOf">,
    private readonly maxBytes = 32 * 1024 * 1024,
  ) {}

  feature(hit: SearchHit): string {
    if (this.maxBytes === 0) return assemble(featureParts(this.index.resultOf(hit)), hit.score, hit.distance);
    let parts = this.recent.get(hit.key);
    if (parts === undefined) {
      parts = this.older.get(hit.key);
      if (parts === undefined) {
        const built = featureParts(this.index.resultOf(hit));
        parts = { head: flat(built.head), tail: flat(built.tail) };
      }
      const bytes = parts.head.length + parts.tail.length + ENTRY_OVERHEAD;
      if (this.recentBytes + bytes > this.maxBytes / 2) {
        this.older = this.recent;
        this.olderBytes = this.recentBytes;
        this.recent = new Map();
        this.recentBytes = 0;
      }
      this.recent.set(hit.key, parts);
      this.recentBytes += bytes;
    }
    return assemble(parts, hit.score, hit.distance);
  }

  /** Features kept. */
  get size(): number {
    return this.recent.size + this.older.size;
  }

  /** Their estimated bytes (at most the bound). */
  get bytes(): number {
    return this.recentBytes + this.olderBytes;
  }
}

export interface FeatureCollectionExtras {
  query?: string;
  filters?: Record<string, string>;
  center?: [number, number];
  limit: number;
}

/** The national API's FeatureCollection for `results`, as JSON text. */
export function featureCollectionJson(results: readonly AddressResult[], extras: FeatureCollectionExtras): string {
  let features = "";
  for (let i = 0; i < results.length; i++) {
    if (i > 0) features += ",";
    features += featureJson(results[i] as AddressResult);
  }
  return collectionJson(features, extras);
}

/** The same FeatureCollection for search hits, their features through `cache`. */
export function hitsCollectionJson(
  hits: readonly SearchHit[],
  cache: FeatureJsonCache,
  extras: FeatureCollectionExtras,
): string {
  let features = "";
  for (let i = 0; i < hits.length; i++) {
    if (i > 0) features += ",";
    features += cache.feature(hits[i] as SearchHit);
  }
  return collectionJson(features, extras);
}

function collectionJson(features: string, extras: FeatureCollectionExtras): string {
  let json = `{"type":"FeatureCollection","version":"draft","features":[${features}],"attribution":"BAN","licence":"ETALAB-2.0"`;
  if (extras.query !== undefined) json += `,"query":${str(extras.query)}`;
  if (extras.filters !== undefined) json += `,"filters":${JSON.stringify(extras.filters)}`;
  if (extras.center !== undefined) json += `,"center":[${num(extras.center[0])},${num(extras.center[1])}]`;
  return `${json},"limit":${num(extras.limit)}}`;
}
