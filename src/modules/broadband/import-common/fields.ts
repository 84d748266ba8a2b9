/**
 * Field parsers shared by the importers. Each returns the value or `undefined` when the text is not
 * acceptable, so that the caller reports the rejection with its own line and field name.
 */

/** A non-negative integer: digits only, after removing spaces, U+00A0/U+202F thousands separators. */
export function parseCount(text: string): number | undefined {
  const cleaned = text.replace(/[\s\u00a0\u202f]/g, "");
  if (!/^\d{1,12}$/.test(cleaned)) return undefined;
  return Number(cleaned);
}

/** Commune code (5 characters, 2A/2B kept); a leading zero lost by a spreadsheet is restored ("1001" → "01001"). */
export function parseCommuneCode(text: string): string | undefined {
  const cleaned = text.trim().toUpperCase();
  if (/^\d{4}$/.test(cleaned)) return `0${cleaned}`;
  if (/^(\d{5}|2[AB]\d{3})$/.test(cleaned)) return cleaned;
  return undefined;
}

/** ISO date "AAAA-MM-JJ" from "AAAA-MM-JJ", "AAAA-MM-JJThh:mm…" or "JJ/MM/AAAA"; checks the day exists. */
export function parseDate(text: string): string | undefined {
  const cleaned = text.trim();
  let y: string;
  let m: string;
  let d: string;
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(cleaned);
  const french = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(cleaned);
  if (iso) [, y, m, d] = iso as unknown as [string, string, string, string];
  else if (french) [, d, m, y] = french as unknown as [string, string, string, string];
  else return undefined;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(m) - 1 || date.getUTCDate() !== Number(d))
    return undefined;
  return `${y}-${m}-${d}`;
}
