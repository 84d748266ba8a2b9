// Number formatting for French readers (narrow no-break spaces as thousands separators, decimal comma).
const integer = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 });

export function formatInteger(value: number): string {
  return integer.format(value);
}

export function formatPopulation(value: number): string {
  return `${integer.format(value)} hab.`;
}

export function formatArea(km2: number | null): string {
  return km2 === null ? "non disponible" : `${oneDecimal.format(km2)} km²`;
}

export function formatDensity(density: number | null): string {
  return density === null ? "non disponible" : `${oneDecimal.format(density)} hab/km²`;
}

/** Plural helper for French labels: `plural(3, "commune", "communes")`. */
export function plural(count: number, singular: string, pluralForm: string): string {
  return `${formatInteger(count)} ${count > 1 ? pluralForm : singular}`;
}

const dateTime = new Intl.DateTimeFormat("fr-FR", { dateStyle: "medium", timeStyle: "short" });
const dateOnly = new Intl.DateTimeFormat("fr-FR", { dateStyle: "medium" });

/** « 28 nov. 2026, 14:05 » from an ISO timestamp; `empty` when there is none. */
export function formatDateTime(iso: string | null, empty = "jamais"): string {
  if (!iso) return empty;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

/** « 28 nov. 2026 » from an ISO date or timestamp; `empty` when there is none. */
export function formatDate(iso: string | null, empty = "aucune"): string {
  if (!iso) return empty;
  const date = new Date(iso.length === 10 ? `${iso}T00:00:00` : iso);
  return Number.isNaN(date.getTime()) ? iso : dateOnly.format(date);
}
