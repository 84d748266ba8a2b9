import type { AddressResult } from "../search-engine/address-index.ts";
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

function featureJson(r: AddressResult): string {
  const { x, y } = toLambert93(r.lon, r.lat);
  let p = `{"label":${str(r.label)},"score":${fixed(r.score, 10_000, 4)},"id":${str(r.id)},"type":"${r.type}","name":${str(r.name)}`;
  if (r.housenumber !== undefined) p += `,"housenumber":${str(r.housenumber)}`;
  if (r.street !== undefined) p += `,"street":${str(r.street)}`;
  p += `,"postcode":${str(r.postcode)},${cityPart(r)},"importance":${fixed(r.importance, 100_000, 5)},"x":${fixed(x, 100, 2)},"y":${fixed(y, 100, 2)}`;
  if (r.distance !== undefined) p += `,"distance":${num(r.distance)}`;
  return `{"type":"Feature","geometry":{"type":"Point","coordinates":[${fixed(r.lon, 1_000_000, 6)},${fixed(r.lat, 1_000_000, 6)}]},"properties":${p}}}`;
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
  let json = `{"type":"FeatureCollection","version":"draft","features":[${features}],"attribution":"BAN","licence":"ETALAB-2.0"`;
  if (extras.query !== undefined) json += `,"query":${str(extras.query)}`;
  if (extras.filters !== undefined) json += `,"filters":${JSON.stringify(extras.filters)}`;
  if (extras.center !== undefined) json += `,"center":[${num(extras.center[0])},${num(extras.center[1])}]`;
  return `${json},"limit":${num(extras.limit)}}`;
}
