import type { Feature, FeatureCollection, GeoJsonProperties, Geometry, Position } from "geojson";
import {
  type DataDrivenPropertyValueSpecification,
  type LngLatBoundsLike,
  type MapGeoJSONFeature,
  Map as MapLibreMap,
  Marker,
  setWorkerUrl,
} from "maplibre-gl";
import maplibreWorkerUrl from "maplibre-gl/dist/maplibre-gl-worker.mjs?url";
import { useEffect, useMemo, useRef, useState } from "react";
import "maplibre-gl/dist/maplibre-gl.css";

// The bundled module cannot find its worker next to itself: point MapLibre at the copy Vite emits.
setWorkerUrl(maplibreWorkerUrl);

export interface ChoroplethMapProps {
  /** Accessible name of the map image (the map is described to assistive technologies as one image). */
  label: string;
  /** Areas coloured by `fillColor` (polygons; points are drawn as circles). */
  areas?: FeatureCollection | null;
  fillColor?: DataDrivenPropertyValueSpecification<string>;
  /** Contour of the territory itself, drawn as a thick line (filled when there are no areas). */
  outline?: Feature | null;
  /** Position shown with a marker (used when only the centre of a territory is known). */
  marker?: { lon: number; lat: number } | null;
  /** Text shown next to the pointer when hovering an area. */
  describeArea?: (properties: GeoJsonProperties) => string;
  /** Called when an area is clicked. */
  onAreaClick?: (properties: GeoJsonProperties) => void;
  attribution?: string;
  /** CSS colour of the outline and of a lone filled contour. */
  accentColor?: string;
}

type MapState = "loading" | "ready" | "error";

interface HoverInfo {
  x: number;
  y: number;
  text: string;
}

const EMPTY_COLLECTION: FeatureCollection = { type: "FeatureCollection", features: [] };

const FRENCH_UI_STRINGS = {
  "Map.Title": "Carte",
  "Marker.Title": "Repère",
  "AttributionControl.ToggleAttribution": "Afficher ou masquer les sources",
  "NavigationControl.ZoomIn": "Zoomer",
  "NavigationControl.ZoomOut": "Dézoomer",
};

/**
 * MapLibre map without any tile server: a plain background and GeoJSON layers.
 * For accessibility the map is one labelled image (role="img"); its data must also be offered as a table
 * next to it, and its controls (zoom, reset) are ordinary buttons outside the image.
 */
export default function ChoroplethMap({
  label,
  areas,
  fillColor = "#4a7f8c",
  outline,
  marker,
  describeArea,
  onAreaClick,
  attribution = "IGN ADMIN EXPRESS, INSEE COG 2026",
  accentColor = "#1d5a6c",
}: ChoroplethMapProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const [state, setState] = useState<MapState>("loading");
  const [hover, setHover] = useState<HoverInfo | null>(null);
  // Callbacks read through refs so that a parent re-render does not rebuild the map.
  const describeRef = useRef(describeArea);
  const clickRef = useRef(onAreaClick);
  describeRef.current = describeArea;
  clickRef.current = onAreaClick;

  const markerLon = marker?.lon;
  const markerLat = marker?.lat;
  const bounds = useMemo(
    () =>
      computeBounds(
        areas,
        outline,
        markerLon !== undefined && markerLat !== undefined ? { lon: markerLon, lat: markerLat } : null,
      ),
    [areas, outline, markerLon, markerLat],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: the map is rebuilt only when its data changes.
  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    setState("loading");
    let map: MapLibreMap;
    try {
      map = new MapLibreMap({
        container,
        style: {
          version: 8,
          sources: {},
          layers: [{ id: "fond", type: "background", paint: { "background-color": "#eef2f3" } }],
        },
        bounds: bounds ?? undefined,
        fitBoundsOptions: { padding: 24 },
        attributionControl: { compact: false, customAttribution: attribution },
        locale: FRENCH_UI_STRINGS,
        keyboard: false,
        scrollZoom: false,
        dragRotate: false,
        pitchWithRotate: false,
        touchPitch: false,
      });
    } catch (error) {
      console.error(error);
      setState("error");
      return;
    }
    mapRef.current = map;
    makeCanvasPresentational(map);

    map.on("error", (event) => console.error(event.error));
    map.on("load", () => {
      // The container may have changed size since creation (lazy CSS, scrollbars): fit again on the real size.
      map.resize();
      if (bounds) map.fitBounds(bounds, { padding: 24, duration: 0 });
      addLayers(map, areas, outline, fillColor, accentColor);
      if (marker) {
        const markerElement = document.createElement("div");
        markerElement.className = "carte__repere";
        markerElement.setAttribute("aria-hidden", "true");
        new Marker({ element: markerElement }).setLngLat([marker.lon, marker.lat]).addTo(map);
      }
      // Wait for the first frame with the data so that "ready" really means "drawn".
      map.once("idle", () => setState("ready"));
    });

    let hoveredId: string | number | undefined;
    const clearHover = () => {
      if (hoveredId !== undefined) map.setFeatureState({ source: "zones", id: hoveredId }, { survol: false });
      hoveredId = undefined;
      map.getCanvas().style.cursor = "";
      setHover(null);
    };
    for (const layer of ["zones-remplissage", "zones-points"]) {
      map.on("mousemove", layer, (event) => {
        const feature: MapGeoJSONFeature | undefined = event.features?.[0];
        if (!feature) return;
        if (hoveredId !== feature.id) {
          if (hoveredId !== undefined) map.setFeatureState({ source: "zones", id: hoveredId }, { survol: false });
          hoveredId = feature.id;
          if (hoveredId !== undefined) map.setFeatureState({ source: "zones", id: hoveredId }, { survol: true });
        }
        map.getCanvas().style.cursor = clickRef.current ? "pointer" : "";
        const text = describeRef.current?.(feature.properties);
        setHover(text ? { x: event.point.x, y: event.point.y, text } : null);
      });
      map.on("mouseleave", layer, clearHover);
      map.on("click", layer, (event) => {
        const feature = event.features?.[0];
        if (feature) clickRef.current?.(feature.properties);
      });
    }

    return () => {
      mapRef.current = null;
      map.remove();
    };
  }, [areas, outline, markerLon, markerLat]);

  const zoomBy = (delta: number) => mapRef.current?.zoomTo((mapRef.current?.getZoom() ?? 0) + delta);
  const resetView = () => {
    if (bounds) mapRef.current?.fitBounds(bounds, { padding: 24 });
  };

  return (
    <div className="carte">
      <div ref={containerRef} className="carte__image" role="img" aria-label={label} data-state={state} />
      {hover && (
        <div className="carte__infobulle" aria-hidden="true" style={{ left: hover.x, top: hover.y }}>
          {hover.text}
        </div>
      )}
      <div className="carte__commandes">
        <button type="button" className="carte__bouton" onClick={() => zoomBy(1)} aria-label="Zoomer sur la carte">
          <span aria-hidden="true">+</span>
        </button>
        <button type="button" className="carte__bouton" onClick={() => zoomBy(-1)} aria-label="Dézoomer la carte">
          <span aria-hidden="true">−</span>
        </button>
        <button type="button" className="carte__bouton" onClick={resetView} aria-label="Recentrer la carte">
          <span aria-hidden="true">⟲</span>
        </button>
      </div>
      {state === "error" && (
        <p className="carte__erreur" role="alert">
          La carte n'a pas pu être affichée (WebGL indisponible dans ce navigateur). Les données restent disponibles
          dans le tableau.
        </p>
      )}
    </div>
  );
}

/** The canvas sits inside a role="img" element: it must not be focusable nor announce itself. */
function makeCanvasPresentational(map: MapLibreMap): void {
  const canvas = map.getCanvas();
  canvas.removeAttribute("tabindex");
  canvas.removeAttribute("role");
  canvas.removeAttribute("aria-label");
}

function addLayers(
  map: MapLibreMap,
  areas: FeatureCollection | null | undefined,
  outline: Feature | null | undefined,
  fillColor: DataDrivenPropertyValueSpecification<string>,
  accentColor: string,
): void {
  if (areas) {
    map.addSource("zones", { type: "geojson", data: areas, promoteId: "code" });
    const isArea = ["match", ["geometry-type"], ["Polygon", "MultiPolygon"], true, false] as const;
    const isPoint = ["==", ["geometry-type"], "Point"] as const;
    map.addLayer({
      id: "zones-remplissage",
      type: "fill",
      source: "zones",
      filter: isArea as never,
      paint: { "fill-color": fillColor, "fill-opacity": 0.9 },
    });
    map.addLayer({
      id: "zones-contours",
      type: "line",
      source: "zones",
      filter: isArea as never,
      paint: {
        "line-color": ["case", ["boolean", ["feature-state", "survol"], false], "#111111", "#ffffff"],
        "line-width": ["case", ["boolean", ["feature-state", "survol"], false], 2.5, 0.4],
      },
    });
    map.addLayer({
      id: "zones-points",
      type: "circle",
      source: "zones",
      filter: isPoint as never,
      paint: {
        "circle-color": fillColor,
        "circle-radius": ["case", ["boolean", ["feature-state", "survol"], false], 7, 5],
        "circle-stroke-color": "#333333",
        "circle-stroke-width": 0.6,
      },
    });
  }
  if (outline && outline.geometry.type !== "Point") {
    map.addSource("contour", { type: "geojson", data: outline });
    if (!areas) {
      map.addLayer({
        id: "contour-remplissage",
        type: "fill",
        source: "contour",
        paint: { "fill-color": accentColor, "fill-opacity": 0.25 },
      });
    }
    map.addLayer({
      id: "contour-ligne",
      type: "line",
      source: "contour",
      paint: { "line-color": accentColor, "line-width": 2.5 },
    });
  }
}

function computeBounds(
  areas: FeatureCollection | null | undefined,
  outline: Feature | null | undefined,
  marker: { lon: number; lat: number } | null | undefined,
): LngLatBoundsLike | null {
  let minLon = Number.POSITIVE_INFINITY;
  let minLat = Number.POSITIVE_INFINITY;
  let maxLon = Number.NEGATIVE_INFINITY;
  let maxLat = Number.NEGATIVE_INFINITY;
  const visit = (position: Position) => {
    const [lon, lat] = position;
    if (lon === undefined || lat === undefined) return;
    minLon = Math.min(minLon, lon);
    maxLon = Math.max(maxLon, lon);
    minLat = Math.min(minLat, lat);
    maxLat = Math.max(maxLat, lat);
  };
  const features = [...(areas ?? EMPTY_COLLECTION).features, ...(outline ? [outline] : [])];
  for (const feature of features) forEachPosition(feature.geometry, visit);
  if (marker) visit([marker.lon, marker.lat]);
  if (!Number.isFinite(minLon)) return null;
  // A single point has no extent: give it a few kilometres around.
  const margin = maxLon - minLon < 0.01 && maxLat - minLat < 0.01 ? 0.05 : 0;
  return [
    [minLon - margin, minLat - margin],
    [maxLon + margin, maxLat + margin],
  ];
}

function forEachPosition(geometry: Geometry | null, visit: (position: Position) => void): void {
  if (!geometry) return;
  switch (geometry.type) {
    case "Point":
      visit(geometry.coordinates);
      break;
    case "MultiPoint":
    case "LineString":
      geometry.coordinates.forEach(visit);
      break;
    case "MultiLineString":
    case "Polygon":
      for (const ring of geometry.coordinates) ring.forEach(visit);
      break;
    case "MultiPolygon":
      for (const polygon of geometry.coordinates) for (const ring of polygon) ring.forEach(visit);
      break;
    case "GeometryCollection":
      for (const child of geometry.geometries) forEachPosition(child, visit);
      break;
  }
}
