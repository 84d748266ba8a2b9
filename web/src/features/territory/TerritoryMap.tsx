import type { Feature, FeatureCollection, GeoJsonProperties } from "geojson";
import { lazy, Suspense, useCallback } from "react";
import { useNavigate } from "react-router";
import { api, getJson } from "../../app/api-client.ts";
import type { Niveau, TerritoireFilters } from "../../app/api-types.ts";
import { useAsync } from "../../app/use-async.ts";
import { ErrorMessage } from "../../ui/ErrorMessage.tsx";
import { LoadingStatus } from "../../ui/LoadingStatus.tsx";
import { MapLegend } from "../../ui/MapLegend.tsx";
import {
  DENSITY_FILL_COLOR,
  DENSITY_LEGEND,
  DENSITY_LEGEND_TITLE,
  DENSITY_NO_DATA_LEGEND,
  describeDensity,
} from "./density-classes.ts";
import { territoryPath } from "./territory-levels.ts";

// MapLibre weighs about 1 MB: load it after the first paint, only on pages that show a map.
const ChoroplethMap = lazy(() => import("../../ui/ChoroplethMap.tsx"));

interface TerritoryMapProps {
  /** Accessible name of the map, starting with « Carte ». */
  label: string;
  /** Visible caption under the map. */
  caption: string;
  /** Children communes to colour by density (omit for a commune page). */
  communes?: TerritoireFilters;
  /** The territory whose contour is drawn. */
  territory?: { niveau: Niveau; code: string };
  /** Position to mark when only the centre of the territory is known. */
  marker?: { lon: number; lat: number } | null;
}

interface MapData {
  areas: FeatureCollection | null;
  outline: Feature | null;
}

/** Map of a territory: its contour and, when asked, its communes coloured by population density. */
export function TerritoryMap({ label, caption, communes, territory, marker }: TerritoryMapProps) {
  const navigate = useNavigate();
  const areasUrl = communes ? api.contoursUrl("communes", communes) : null;
  const outlineUrl = territory ? api.contourUrl(territory.niveau, territory.code) : null;
  const data = useAsync<MapData>(`${areasUrl} ${outlineUrl}`, async () => {
    const [areas, outline] = await Promise.all([
      areasUrl ? getJson<FeatureCollection>(areasUrl) : null,
      outlineUrl ? getJson<Feature>(outlineUrl) : null,
    ]);
    return { areas, outline };
  });

  const openCommune = useCallback(
    (properties: GeoJsonProperties) => {
      if (typeof properties?.code === "string") navigate(territoryPath("communes", properties.code));
    },
    [navigate],
  );

  const outlineGeometry = data.status === "success" ? data.data.outline?.geometry : undefined;
  const markerPosition =
    marker ??
    (outlineGeometry?.type === "Point"
      ? { lon: outlineGeometry.coordinates[0] ?? 0, lat: outlineGeometry.coordinates[1] ?? 0 }
      : null);
  const areas = data.status === "success" ? data.data.areas : null;
  const communesWithoutContour = areas?.features.filter((feature) => feature.geometry.type === "Point").length ?? 0;
  const communesWithoutDensity =
    areas?.features.filter((feature) => typeof feature.properties?.densitePopulation !== "number").length ?? 0;

  return (
    <figure className="figure-carte">
      {communesWithoutContour > 0 && (
        <p className="avis">
          Contour non disponible pour {communesWithoutContour === areas?.features.length ? "ces" : "certaines"} communes
          : chacune est représentée par un point à la position de son centre.
        </p>
      )}
      {data.status === "loading" && <LoadingStatus label="Chargement de la carte…" />}
      {data.status === "error" && (
        <ErrorMessage title="La carte n'a pas pu être chargée." error={data.error} onRetry={data.retry} />
      )}
      {data.status === "success" && (
        <Suspense fallback={<LoadingStatus label="Chargement de la carte…" />}>
          <ChoroplethMap
            label={label}
            areas={data.data.areas}
            outline={data.data.outline}
            marker={markerPosition}
            fillColor={DENSITY_FILL_COLOR}
            describeArea={communes ? describeDensity : undefined}
            onAreaClick={communes ? openCommune : undefined}
            accentColor={readCssColor("--couleur-accent", "#a3312c")}
          />
        </Suspense>
      )}
      {communes && (
        <MapLegend
          title={DENSITY_LEGEND_TITLE}
          items={communesWithoutDensity > 0 ? [...DENSITY_LEGEND, DENSITY_NO_DATA_LEGEND] : DENSITY_LEGEND}
        />
      )}
      <figcaption className="figure-carte__legende">{caption} Sources : IGN ADMIN EXPRESS, INSEE COG 2026.</figcaption>
    </figure>
  );
}

function readCssColor(property: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(property).trim();
  return value || fallback;
}
