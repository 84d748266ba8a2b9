// Labels and number formats of the observatory (French readers).

const percent = new Intl.NumberFormat("fr-FR", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const points = new Intl.NumberFormat("fr-FR", {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
  signDisplay: "exceptZero",
});

/** « 60,4 % » from a share given in percent (0–100); « non disponible » when unknown. */
export function formatPercent(value: number | null | undefined): string {
  return value === null || value === undefined || Number.isNaN(value) ? "non disponible" : `${percent.format(value)} %`;
}

/** « +12,3 points » (a gap between two percentages). */
export function formatPoints(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "non disponible";
  return `${points.format(value)} point${Math.abs(value) >= 2 ? "s" : ""}`;
}

/** « T1 2018 » from the quarter code « 2018T1 ». */
export function quarterLabel(code: string): string {
  const match = /^(\d{4})T([1-4])$/.exec(code);
  return match ? `T${match[2]} ${match[1]}` : code;
}

const ORDINALS = ["1er", "2e", "3e", "4e"];

/** « 1er trimestre 2018 » from « 2018T1 »: the words a screen reader reads. */
export function quarterLongLabel(code: string): string {
  const match = /^(\d{4})T([1-4])$/.exec(code);
  return match ? `${ORDINALS[Number(match[2]) - 1]} trimestre ${match[1]}` : code;
}

/** Speed-class keys of the API, in order (bins of download speed). */
export const SPEED_CLASSES = ["inel", "0-3", "3-8", "8-30", "30-100", "100+"] as const;
export type SpeedClass = (typeof SPEED_CLASSES)[number];

export const SPEED_CLASS_LABELS: Record<SpeedClass, string> = {
  inel: "Inéligible (moins de 0,5 Mbit/s)",
  "0-3": "De 0,5 à 3 Mbit/s",
  "3-8": "De 3 à 8 Mbit/s",
  "8-30": "De 8 à 30 Mbit/s",
  "30-100": "De 30 à 100 Mbit/s",
  "100+": "100 Mbit/s ou plus",
};

export const VARIANTS = ["filaire", "terrestre", "toutes"] as const;
export type Variant = (typeof VARIANTS)[number];

export const VARIANT_LABELS: Record<Variant, string> = {
  filaire: "Filaire",
  terrestre: "Terrestre",
  toutes: "Toutes technologies",
};

export const VARIANT_DESCRIPTIONS: Record<Variant, string> = {
  filaire: "cuivre, câble et fibre optique seulement",
  terrestre: "toutes les technologies sauf le satellite",
  toutes: "y compris la 4G fixe, la radio et le satellite",
};

export function isVariant(value: string | null): value is Variant {
  return value !== null && (VARIANTS as readonly string[]).includes(value);
}
