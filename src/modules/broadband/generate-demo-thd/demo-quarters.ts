import { addQuarters, quarterEnd } from "../quarters/quarter-code.ts";

/** The simulated quarters: 2016T4 (the plan's table) to 2025T4, 37 in all. */
export const DEMO_FIRST_QUARTER = "2016T4";
export const DEMO_LAST_QUARTER = "2025T4";
export const DEMO_QUARTERS: readonly string[] = Array.from({ length: 37 }, (_, i) =>
  addQuarters(DEMO_FIRST_QUARTER, i),
);

/** Index of the quarters whose FttH connectable counts are ARCEP's real ones (T3 2017, T4 2017, T1 2018). */
export const REAL_QUARTER_INDEXES = [3, 4, 5] as const;
export const Q_2018T1 = 5;
export const LAST = DEMO_QUARTERS.length - 1;

const DAY_MS = 86_400_000;
/** ISO date → days since 1970-01-01. */
export const dayOf = (iso: string): number => Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
// Formatting a date is costly and a million buildings share a few thousand days: cache by day.
const isoCache = new Map<number, string>();
const ipeCache = new Map<number, string>();
/** Days since 1970-01-01 → ISO date. */
export const isoOf = (day: number): string => {
  let text = isoCache.get(day);
  if (text === undefined) {
    text = new Date(day * DAY_MS).toISOString().slice(0, 10);
    isoCache.set(day, text);
  }
  return text;
};
/** Days since 1970-01-01 → AAAAMMJJ (IPE dates). */
export const ipeDateOf = (day: number): string => {
  let text = ipeCache.get(day);
  if (text === undefined) {
    text = isoOf(day).replaceAll("-", "");
    ipeCache.set(day, text);
  }
  return text;
};

/** Last day of each demo quarter, in days. */
export const QUARTER_END_DAYS: readonly number[] = DEMO_QUARTERS.map((q) => dayOf(quarterEnd(q)));

/** "2016T4" → "2016_T4", the MCI directory name. */
export const mciQuarterDir = (code: string): string => code.replace("T", "_T");
