/**
 * Quarter codes: "AAAATn" (e.g. "2018T1"), the unit of publication of broadband figures.
 * Codes sort as text in chronological order (fixed width), which the queries rely on.
 */

export const QUARTER_CODE_PATTERN = /^(\d{4})T([1-4])$/;

export interface Quarter {
  code: string;
  annee: number;
  numero: 1 | 2 | 3 | 4;
}

export class InvalidQuarterError extends Error {
  override name = "InvalidQuarterError";
}

/** Parses "2018T1" (also "2018t1", "2018_T1", "2018 T1" and "T1 2018", as the sources write them). */
export function parseQuarter(text: string): Quarter {
  const trimmed = text.trim().toUpperCase();
  let annee: number;
  let numero: number;
  const yearFirst = /^(\d{4})[_ ]?T([1-4])$/.exec(trimmed);
  const quarterFirst = /^T([1-4])\s+(\d{4})$/.exec(trimmed);
  if (yearFirst) {
    annee = Number(yearFirst[1]);
    numero = Number(yearFirst[2]);
  } else if (quarterFirst) {
    annee = Number(quarterFirst[2]);
    numero = Number(quarterFirst[1]);
  } else {
    throw new InvalidQuarterError(`Trimestre « ${text} » invalide : attendu AAAATn, par exemple 2018T1`);
  }
  if (annee < 1990 || annee > 2100) throw new InvalidQuarterError(`Trimestre « ${text} » hors de la plage 1990–2100`);
  return { code: `${annee}T${numero}`, annee, numero: numero as Quarter["numero"] };
}

/** The normalised code, or an InvalidQuarterError. */
export function quarterCode(text: string): string {
  return parseQuarter(text).code;
}

export function isQuarterCode(text: string): boolean {
  return QUARTER_CODE_PATTERN.test(text);
}

/** Negative when a is before b. */
export function compareQuarters(a: string, b: string): number {
  const qa = parseQuarter(a);
  const qb = parseQuarter(b);
  return qa.annee - qb.annee || qa.numero - qb.numero;
}

/** First day of the quarter, ISO "AAAA-MM-JJ". */
export function quarterStart(code: string): string {
  const q = parseQuarter(code);
  return `${q.annee}-${String(3 * (q.numero - 1) + 1).padStart(2, "0")}-01`;
}

/** Last day of the quarter, ISO "AAAA-MM-JJ" (the date the figures describe). */
export function quarterEnd(code: string): string {
  const q = parseQuarter(code);
  return ["", `${q.annee}-03-31`, `${q.annee}-06-30`, `${q.annee}-09-30`, `${q.annee}-12-31`][q.numero] as string;
}

/** The quarter containing an ISO date ("2018-02-14" → "2018T1"). */
export function quarterOfDate(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})/.exec(isoDate);
  if (!m) throw new InvalidQuarterError(`Date « ${isoDate} » invalide : attendu AAAA-MM-JJ`);
  const month = Number(m[2]);
  if (month < 1 || month > 12) throw new InvalidQuarterError(`Date « ${isoDate} » invalide`);
  return `${m[1]}T${Math.ceil(month / 3)}`;
}

/** The quarter `n` quarters after `code` (n may be negative). */
export function addQuarters(code: string, n: number): string {
  const q = parseQuarter(code);
  const index = q.annee * 4 + (q.numero - 1) + n;
  return `${Math.floor(index / 4)}T${(index % 4) + 1}`;
}

/** Every quarter from `from` to `to`, both included. */
export function quarterRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let code = quarterCode(from); compareQuarters(code, to) <= 0; code = addQuarters(code, 1)) out.push(code);
  return out;
}
