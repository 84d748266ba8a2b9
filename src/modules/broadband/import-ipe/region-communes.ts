import { loadRegionCog } from "../../../shared/cog/cog-source.ts";

/** The configured région (TERRITOIRE_REGION, default Normandy), when the caller does not say. */
export function defaultRegion(): string {
  return process.env.TERRITOIRE_REGION ?? "28";
}

const cache = new Map<string, (code: string) => string | undefined>();

/**
 * Commune code → current COG 2026 code of a commune of the région (delegated, associated and
 * former codes folded onto the current commune; a lost leading zero restored), or undefined.
 * The COG is loaded once per région; results are memoised (a file repeats the same codes).
 */
export function regionCommuneResolver(region: string): (code: string) => string | undefined {
  const known = cache.get(region);
  if (known) return known;
  const cog = loadRegionCog(region);
  const memo = new Map<string, string | undefined>();
  const resolve = (code: string) => {
    if (memo.has(code)) return memo.get(code);
    const text = code.trim().toUpperCase();
    const padded = /^\d{4}$/.test(text) ? `0${text}` : text;
    const current = cog.currentCommuneCode(padded);
    memo.set(code, current);
    return current;
  };
  cache.set(region, resolve);
  return resolve;
}

/** SQL expression (both engines) of the département of a commune code column. */
export function departementSql(column: string): string {
  return `case when substr(${column}, 1, 2) = '97' then substr(${column}, 1, 3) else substr(${column}, 1, 2) end`;
}

/** Département of a commune code. */
export function departementOf(codeInsee: string): string {
  return codeInsee.startsWith("97") ? codeInsee.slice(0, 3) : codeInsee.slice(0, 2);
}
