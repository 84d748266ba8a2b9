import type { GeoJsonProperties } from "geojson";
import type { DataDrivenPropertyValueSpecification } from "maplibre-gl";
import { formatDensity } from "../../app/format.ts";
import type { LegendItem } from "../../ui/MapLegend.tsx";

// Fixed population density classes (hab/km²) with a sequential yellow-green-blue palette (ColorBrewer YlGnBu),
// readable by most colour-blind people and distinguishable in greyscale.
export const DENSITY_CLASSES = [
  { min: 0, color: "#ffffcc", label: "moins de 50 hab/km²" },
  { min: 50, color: "#a1dab4", label: "de 50 à 100 hab/km²" },
  { min: 100, color: "#41b6c4", label: "de 100 à 250 hab/km²" },
  { min: 250, color: "#2c7fb8", label: "de 250 à 1 000 hab/km²" },
  { min: 1000, color: "#253494", label: "1 000 hab/km² ou plus" },
] as const;

const NO_DATA_COLOR = "#bdbdbd";

export const DENSITY_LEGEND_TITLE = "Densité de population";

export const DENSITY_LEGEND: LegendItem[] = DENSITY_CLASSES.map(({ color, label }) => ({ color, label }));

export const DENSITY_NO_DATA_LEGEND: LegendItem = { color: NO_DATA_COLOR, label: "densité non disponible" };

/** MapLibre expression colouring a feature by its `densitePopulation` property. */
export const DENSITY_FILL_COLOR = [
  "step",
  ["coalesce", ["get", "densitePopulation"], -1],
  NO_DATA_COLOR,
  ...DENSITY_CLASSES.flatMap(({ min, color }) => [min, color]),
] as unknown as DataDrivenPropertyValueSpecification<string>;

/** Hover text: « Caen : 4 286,8 hab/km² ». */
export function describeDensity(properties: GeoJsonProperties): string {
  const nom = typeof properties?.nom === "string" ? properties.nom : "";
  const density = typeof properties?.densitePopulation === "number" ? properties.densitePopulation : null;
  return `${nom} : ${formatDensity(density)}`;
}
