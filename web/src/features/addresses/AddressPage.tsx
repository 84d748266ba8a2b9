import type { Feature } from "geojson";
import { lazy, type RefObject, Suspense, useEffect, useRef, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { addressApi, api, getJson } from "../../app/api-client.ts";
import type { AddressFeature } from "../../app/api-types.ts";
import { formatInteger } from "../../app/format.ts";
import { useAsync } from "../../app/use-async.ts";
import { useDocumentTitle } from "../../app/use-document-title.ts";
import { ErrorMessage } from "../../ui/ErrorMessage.tsx";
import { LoadingStatus } from "../../ui/LoadingStatus.tsx";
import { territoryPath } from "../territory/territory-levels.ts";
import { AddressSearch } from "./AddressSearch.tsx";

// MapLibre weighs about 1 MB: load it only once an address is shown.
const ChoroplethMap = lazy(() => import("../../ui/ChoroplethMap.tsx"));

const coordinate = new Intl.NumberFormat("fr-FR", { minimumFractionDigits: 5, maximumFractionDigits: 5 });
const score = new Intl.NumberFormat("fr-FR", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** The address named in the URL (`?id=…&lon=…&lat=…&label=…`), so that a chosen address can be shared. */
interface AddressInUrl {
  id: string;
  label: string;
  lon: number;
  lat: number;
}

function addressFromUrl(params: URLSearchParams): AddressInUrl | null {
  const id = params.get("id");
  const label = params.get("label");
  const lon = Number(params.get("lon"));
  const lat = Number(params.get("lat"));
  if (!id || !label || !Number.isFinite(lon) || !Number.isFinite(lat)) return null;
  return { id, label, lon, lat };
}

/** Address search page: choose an address, then see its details and its position on a map. */
export function AddressPage() {
  const [searchParams, setSearchParams] = useSearchParams();
  const inUrl = addressFromUrl(searchParams);
  // The address chosen on this page; after a reload or from a shared link, it is searched again by its label.
  const [chosen, setChosen] = useState<AddressFeature | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [focusCard, setFocusCard] = useState(false);
  useDocumentTitle(inUrl ? `Adresse ${inUrl.label}` : "Rechercher une adresse");

  const select = (feature: AddressFeature) => {
    const [lon, lat] = feature.geometry.coordinates;
    setChosen(feature);
    setFocusCard(true);
    setSearchParams({
      id: feature.properties.id,
      lon: String(lon ?? ""),
      lat: String(lat ?? ""),
      label: feature.properties.label,
    });
  };

  const known = chosen && inUrl && chosen.properties.id === inUrl.id ? chosen : null;

  return (
    <>
      <h1>Rechercher une adresse</h1>
      <p>
        Trouvez une adresse de la région pour connaître sa commune, son code postal et sa position (coordonnées GPS et
        Lambert-93).
      </p>
      <p className="avis">
        Les adresses de démonstration sont simulées : les noms de voies sont inventés et les positions sont tirées au
        hasard dans chaque commune.
      </p>
      <AddressSearch onSelect={select} defaultInputValue={inUrl?.label ?? ""} />
      {inUrl &&
        (known ? (
          <AddressCard
            feature={known}
            headingRef={headingRef}
            focusHeading={focusCard}
            onFocused={() => setFocusCard(false)}
          />
        ) : (
          <AddressFromUrl address={inUrl} headingRef={headingRef} />
        ))}
    </>
  );
}

/** Finds again the address named in the URL, by searching its label and keeping the result with the same id. */
function AddressFromUrl({
  address,
  headingRef,
}: {
  address: AddressInUrl;
  headingRef: RefObject<HTMLHeadingElement | null>;
}) {
  const found = useAsync(`${address.id} ${address.label}`, async () => {
    const collection = await addressApi.search(address.label.slice(0, 200), undefined, 10);
    return collection.features.find((f) => f.properties.id === address.id) ?? null;
  });
  if (found.status === "loading") return <LoadingStatus label="Chargement de l'adresse…" />;
  if (found.status === "error") {
    return <ErrorMessage title="L'adresse n'a pas pu être chargée." error={found.error} onRetry={found.retry} />;
  }
  if (found.data) return <AddressCard feature={found.data} headingRef={headingRef} />;
  // Not found any more (new address lot): show what the link itself says.
  return (
    <section className="adresse" aria-labelledby="adresse-titre">
      <h2 id="adresse-titre" ref={headingRef} tabIndex={-1}>
        {address.label}
      </h2>
      <p className="avis">Cette adresse ne figure plus dans la base d'adresses : seule sa position est connue.</p>
      <dl className="fiche">
        <div className="fiche__ligne">
          <dt>Coordonnées</dt>
          <dd>{formatPosition(address.lon, address.lat)}</dd>
        </div>
      </dl>
      <AddressMap label={address.label} lon={address.lon} lat={address.lat} />
    </section>
  );
}

function formatPosition(lon: number, lat: number): string {
  return `latitude ${coordinate.format(lat)}, longitude ${coordinate.format(lon)}`;
}

const TYPE_LABELS: Record<AddressFeature["properties"]["type"], string> = {
  housenumber: "Adresse (numéro)",
  street: "Voie",
  locality: "Lieu-dit",
  municipality: "Commune",
};

function AddressCard({
  feature,
  headingRef,
  focusHeading = false,
  onFocused,
}: {
  feature: AddressFeature;
  headingRef: RefObject<HTMLHeadingElement | null>;
  focusHeading?: boolean;
  onFocused?: () => void;
}) {
  const { properties } = feature;
  const [lon = 0, lat = 0] = feature.geometry.coordinates;

  // After a choice in the list, bring keyboard and screen reader users to the result.
  useEffect(() => {
    if (!focusHeading) return;
    headingRef.current?.focus();
    onFocused?.();
  }, [focusHeading, headingRef, onFocused]);

  return (
    <section className="adresse" aria-labelledby="adresse-titre">
      <h2 id="adresse-titre" ref={headingRef} tabIndex={-1}>
        {properties.label}
      </h2>
      <dl className="fiche">
        <div className="fiche__ligne">
          <dt>Type</dt>
          <dd>{TYPE_LABELS[properties.type]}</dd>
        </div>
        <div className="fiche__ligne">
          <dt>Code postal</dt>
          <dd>{properties.postcode}</dd>
        </div>
        <div className="fiche__ligne">
          <dt>Commune</dt>
          <dd>
            <Link to={territoryPath("communes", properties.citycode)}>{properties.city}</Link> (code INSEE{" "}
            {properties.citycode})
          </dd>
        </div>
        <div className="fiche__ligne">
          <dt>Contexte</dt>
          <dd>{properties.context}</dd>
        </div>
        <div className="fiche__ligne">
          <dt>Coordonnées (WGS 84)</dt>
          <dd>{formatPosition(lon, lat)}</dd>
        </div>
        <div className="fiche__ligne">
          <dt>Lambert-93</dt>
          <dd>
            {properties.x !== undefined && properties.y !== undefined
              ? `x = ${formatInteger(properties.x)} m, y = ${formatInteger(properties.y)} m`
              : "non disponible"}
          </dd>
        </div>
        <div className="fiche__ligne">
          <dt>Score de la recherche</dt>
          <dd>{score.format(properties.score)} (sur 1)</dd>
        </div>
      </dl>
      <AddressMap label={properties.label} lon={lon} lat={lat} citycode={properties.citycode} />
    </section>
  );
}

/** Map of the address: a marker on the contour of its commune (when the contour is known). */
export function AddressMap({
  label,
  lon,
  lat,
  citycode,
}: {
  label: string;
  lon: number;
  lat: number;
  citycode?: string;
}) {
  const outline = useAsync(`contour ${citycode ?? ""}`, async () => {
    if (!citycode) return null;
    try {
      const contour = await getJson<Feature>(api.contourUrl("communes", citycode));
      // A commune known only by its centre has no contour to draw.
      return contour.geometry?.type === "Point" ? null : contour;
    } catch {
      return null;
    }
  });
  return (
    <figure className="figure-carte">
      {outline.status !== "success" ? (
        <LoadingStatus label="Chargement de la carte…" />
      ) : (
        <Suspense fallback={<LoadingStatus label="Chargement de la carte…" />}>
          <ChoroplethMap
            label={`Carte de l'adresse ${label}`}
            outline={outline.data}
            marker={{ lon, lat }}
            attribution="BAN (adresses simulées), IGN ADMIN EXPRESS, INSEE COG 2026"
          />
        </Suspense>
      )}
      <figcaption className="figure-carte__legende">
        Position de l'adresse (repère) dans le contour de sa commune. Sources : Base adresse (démonstration), IGN ADMIN
        EXPRESS, INSEE COG 2026.
      </figcaption>
    </figure>
  );
}
