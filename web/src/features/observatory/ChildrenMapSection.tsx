import type { FeatureCollection, GeoJsonProperties } from "geojson";
import type { DataDrivenPropertyValueSpecification } from "maplibre-gl";
import { lazy, Suspense, useCallback, useState } from "react";
import { Label, Radio, RadioGroup } from "react-aria-components";
import { Link, useNavigate } from "react-router";
import { api, getJson } from "../../app/api-client.ts";
import type { Niveau, ObservatoireCarte, TerritoireDetail, TerritoireFilters } from "../../app/api-types.ts";
import { formatInteger } from "../../app/format.ts";
import { useAsync } from "../../app/use-async.ts";
import { ErrorMessage } from "../../ui/ErrorMessage.tsx";
import { LoadingStatus } from "../../ui/LoadingStatus.tsx";
import { type LegendItem, MapLegend } from "../../ui/MapLegend.tsx";
import { LEVELS } from "../territory/territory-levels.ts";
import { ExportLinks } from "./ExportLinks.tsx";
import { observatoryApi } from "./observatory-api.ts";
import { formatPercent, quarterLabel, VARIANT_LABELS, type Variant } from "./observatory-format.ts";
import { observatoryPath } from "./observatory-paths.ts";
import { PagedTable } from "./PagedTable.tsx";
import { TableDisclosure } from "./TableDisclosure.tsx";

const ChoroplethMap = lazy(() => import("../../ui/ChoroplethMap.tsx"));

const CHILD_LEVELS: Partial<Record<Niveau, Niveau[]>> = {
  regions: ["departements", "epci", "communes"],
  departements: ["epci", "communes"],
  epci: ["communes"],
};

// THD share classes, sequential blue palette (ColorBrewer PuBu), readable in greyscale.
const THD_CLASSES = [
  { min: 0, color: "#f1eef6", label: "moins de 20 %" },
  { min: 20, color: "#bdc9e1", label: "de 20 à 40 %" },
  { min: 40, color: "#74a9cf", label: "de 40 à 60 %" },
  { min: 60, color: "#2b8cbe", label: "de 60 à 80 %" },
  { min: 80, color: "#045a8d", label: "80 % ou plus" },
];
const NO_DATA_COLOR = "#bdbdbd";
const THD_FILL_COLOR = [
  "step",
  ["coalesce", ["get", "partThd"], -1],
  NO_DATA_COLOR,
  ...THD_CLASSES.flatMap(({ min, color }) => [min, color]),
] as unknown as DataDrivenPropertyValueSpecification<string>;
const THD_LEGEND: LegendItem[] = THD_CLASSES.map(({ color, label }) => ({ color, label }));

function describe(properties: GeoJsonProperties): string {
  const nom = typeof properties?.nom === "string" ? properties.nom : "";
  const part = typeof properties?.partThd === "number" ? properties.partThd : null;
  return `${nom} : ${formatPercent(part)} en très haut débit`;
}

function filterOf(territory: TerritoireDetail): TerritoireFilters {
  if (territory.niveau === "regions") return { region: territory.code };
  if (territory.niveau === "departements") return { departement: territory.code };
  return { epci: territory.code };
}

/** Choropleth of the children territories' THD share for the chosen quarter, with legend and table. */
export function ChildrenMapSection({
  territory,
  trimestre,
  variante,
}: {
  territory: TerritoireDetail;
  trimestre: string;
  variante: Variant;
}) {
  const levels = CHILD_LEVELS[territory.niveau] ?? [];
  const [maille, setMaille] = useState<Niveau>(levels[0] ?? "communes");
  const navigate = useNavigate();
  const { niveau, code, nom } = territory;
  const contoursUrl = api.contoursUrl(maille, filterOf(territory));
  const valuesUrl = observatoryApi.url("carte", niveau, code, { trimestre, maille });
  const state = useAsync(`${contoursUrl} ${valuesUrl}`, async () => {
    const [contours, values] = await Promise.all([
      getJson<FeatureCollection>(contoursUrl),
      getJson<ObservatoireCarte>(valuesUrl),
    ]);
    return { contours, values };
  });
  const openChild = useCallback(
    (properties: GeoJsonProperties) => {
      if (typeof properties?.code === "string") navigate(observatoryPath(maille, properties.code));
    },
    [navigate, maille],
  );

  const context = `${LEVELS[maille].plural} de ${nom}, ${quarterLabel(trimestre)}, ${VARIANT_LABELS[variante].toLowerCase()}`;
  let areas: FeatureCollection | null = null;
  if (state.status === "success") {
    const byCode = new Map(state.data.values.valeurs.map((row) => [row.code, row]));
    areas = {
      type: "FeatureCollection",
      features: state.data.contours.features.map((feature) => {
        const row = byCode.get(String(feature.properties?.code));
        return {
          ...feature,
          properties: { ...feature.properties, partThd: row?.thd[variante] ?? null, partFtth: row?.ftth.part ?? null },
        };
      }),
    };
  }

  return (
    <section aria-labelledby="titre-carte">
      <h2 id="titre-carte">Carte du très haut débit</h2>
      {levels.length > 1 && (
        <RadioGroup
          className="choix-variante choix-variante--compact"
          value={maille}
          onChange={(next) => setMaille(next as Niveau)}
          orientation="horizontal"
        >
          <Label className="choix-variante__libelle">Territoires représentés</Label>
          <div className="choix-variante__options">
            {levels.map((level) => (
              <Radio key={level} value={level} className="choix-variante__option">
                <span className="choix-variante__nom">{LEVELS[level].plural}</span>
              </Radio>
            ))}
          </div>
        </RadioGroup>
      )}
      <figure className="figure-carte">
        {state.status === "loading" && <LoadingStatus label="Chargement de la carte…" />}
        {state.status === "error" && (
          <ErrorMessage title="La carte n'a pas pu être chargée." error={state.error} onRetry={state.retry} />
        )}
        {areas && (
          <Suspense fallback={<LoadingStatus label="Chargement de la carte…" />}>
            <ChoroplethMap
              key={`${maille} ${trimestre} ${variante}`}
              label={`Carte : part des locaux en très haut débit, ${context}`}
              areas={areas}
              fillColor={THD_FILL_COLOR}
              describeArea={describe}
              onAreaClick={openChild}
            />
          </Suspense>
        )}
        <MapLegend
          title="Part des locaux en très haut débit (30 Mbit/s ou plus)"
          items={[...THD_LEGEND, { color: NO_DATA_COLOR, label: "non disponible" }]}
        />
        <figcaption className="figure-carte__legende">
          {LEVELS[maille].plural} de {nom} : chaque territoire est coloré selon la part de ses locaux en très haut débit
          au {quarterLabel(trimestre)}. Cliquez sur un territoire pour ouvrir son observatoire. Les mêmes données
          figurent dans le tableau de la carte. Sources : ARCEP, IGN ADMIN EXPRESS, INSEE COG 2026.
        </figcaption>
      </figure>
      {state.status === "success" && (
        <TableDisclosure title="Tableau de la carte">
          <PagedTable
            caption={`Très haut débit et fibre — ${context}`}
            columns={[
              {
                header: LEVELS[maille].singular,
                rowHeader: true,
                cell: (row) => <Link to={observatoryPath(maille, row.code)}>{row.nom}</Link>,
              },
              { header: "Code", cell: (row) => row.code },
              { header: "Locaux", numeric: true, cell: (row) => formatInteger(row.locaux) },
              { header: "Part en très haut débit", numeric: true, cell: (row) => formatPercent(row.thd[variante]) },
              { header: "Part raccordable à la fibre", numeric: true, cell: (row) => formatPercent(row.ftth.part) },
            ]}
            rows={state.data.values.valeurs}
            rowKey={(row) => row.code}
            exports={
              <ExportLinks
                url={(format) => observatoryApi.url("carte", niveau, code, { trimestre, maille, format })}
                context={context}
              />
            }
          />
        </TableDisclosure>
      )}
    </section>
  );
}
