import type { FeatureCollection, GeoJsonProperties } from "geojson";
import type { DataDrivenPropertyValueSpecification } from "maplibre-gl";
import { lazy, Suspense, useMemo } from "react";
import type { Niveau, ObservatoireSites } from "../../app/api-types.ts";
import { formatDate, formatInteger } from "../../app/format.ts";
import { DataTable } from "../../ui/DataTable.tsx";
import { LoadingStatus } from "../../ui/LoadingStatus.tsx";
import { MapLegend } from "../../ui/MapLegend.tsx";
import { BarChart } from "./charts/BarChart.tsx";
import { ExportLinks } from "./ExportLinks.tsx";
import { observatoryApi } from "./observatory-api.ts";
import { formatPercent, quarterLabel } from "./observatory-format.ts";
import { PagedTable } from "./PagedTable.tsx";
import { TableDisclosure } from "./TableDisclosure.tsx";
import { Loaded, useObservatory } from "./use-observatory.tsx";

const ChoroplethMap = lazy(() => import("../../ui/ChoroplethMap.tsx"));

type TypeSite = ObservatoireSites["sites"][number]["type"];
type SiteState = ObservatoireSites["sites"][number]["etat"];

const SITE_TYPE_LABELS: Record<TypeSite, string> = {
  college: "Collèges",
  sante: "Établissements de santé",
  enseignement_superieur: "Enseignement supérieur",
};
const SITE_TYPES = Object.keys(SITE_TYPE_LABELS) as TypeSite[];

// Connected sites dark, others light with a dark outline: told apart in greyscale too.
const CONNECTED_COLOR = "#1e6b31";
const NOT_CONNECTED_COLOR = "#f2c14e";
const SITE_FILL = [
  "case",
  ["==", ["get", "etat"], "raccorde"],
  CONNECTED_COLOR,
  NOT_CONNECTED_COLOR,
] as unknown as DataDrivenPropertyValueSpecification<string>;

const STATE_LABELS: Record<SiteState, string> = {
  raccorde: "raccordé à la fibre",
  prevu: "raccordement prévu",
  non_raccorde: "pas encore raccordé",
};

function describeSite(properties: GeoJsonProperties): string {
  const nom = typeof properties?.nom === "string" ? properties.nom : "";
  const etat = properties?.etat as SiteState | undefined;
  return `${nom} : ${etat ? STATE_LABELS[etat] : "état inconnu"}`;
}

/** Strategic public sites (collèges, hospitals, higher education): connection state, map, share per type. */
export function StrategicSitesSection({
  niveau,
  code,
  trimestre,
}: {
  niveau: Niveau;
  code: string;
  trimestre: string;
}) {
  const state = useObservatory<ObservatoireSites>("sites-strategiques", niveau, code, { trimestre });
  const exportUrl = (format: "csv" | "geojson" | "xlsx", tableau: "sites" | "synthese" = "sites") =>
    observatoryApi.url("sites-strategiques", niveau, code, { trimestre, tableau, format });
  return (
    <section aria-labelledby="titre-sites">
      <h2 id="titre-sites">Sites stratégiques</h2>
      <p>
        Le plan donne la priorité au raccordement à la fibre des sites publics : collèges, santé, enseignement
        supérieur.
      </p>
      <Loaded state={state} what="Les sites stratégiques">
        {(data) => <SitesContent data={data} trimestre={trimestre} exportUrl={exportUrl} />}
      </Loaded>
    </section>
  );
}

function SitesContent({
  data,
  trimestre,
  exportUrl,
}: {
  data: ObservatoireSites;
  trimestre: string;
  exportUrl: (format: "csv" | "geojson" | "xlsx", tableau?: "sites" | "synthese") => string;
}) {
  const areas = useMemo<FeatureCollection>(
    () => ({
      type: "FeatureCollection",
      features: data.sites
        .filter((site) => site.lon !== null && site.lat !== null)
        .map((site) => ({
          type: "Feature",
          geometry: { type: "Point", coordinates: [site.lon ?? 0, site.lat ?? 0] },
          properties: { code: site.id, nom: site.nom, etat: site.etat },
        })),
    }),
    [data],
  );
  const connected = data.sites.filter((s) => s.etat === "raccorde").length;
  const departements = [
    ...new Map(data.synthese.map((p) => [p.departement ?? "", p.departementNom ?? "Département inconnu"])).entries(),
  ];
  const types = SITE_TYPES.filter((type) => data.synthese.some((p) => p.type === type));
  const shareOf = (type: TypeSite) =>
    Object.fromEntries(
      departements.map(([dep]) => [
        dep,
        data.synthese.find((p) => (p.departement ?? "") === dep && p.type === type)?.part ?? null,
      ]),
    );
  const context = quarterLabel(trimestre);

  return (
    <>
      <p data-testid="sites-raccordes">
        <strong>
          {formatInteger(connected)} site{connected > 1 ? "s" : ""} raccordé{connected > 1 ? "s" : ""} sur{" "}
          {formatInteger(data.sites.length)}
        </strong>{" "}
        au {context}.
      </p>

      <h3>Part des sites raccordés par département et par type</h3>
      {departements.length > 0 && (
        <figure className="figure-graphique">
          <BarChart
            label={`Graphique : part des sites stratégiques raccordés à la fibre par département et par type, ${context}`}
            categories={departements.map(([dep, nom]) => ({ key: dep, label: nom }))}
            series={types.map((type) => ({ key: type, label: SITE_TYPE_LABELS[type], values: shareOf(type) }))}
            labelWidth={160}
          />
          <figcaption className="figure-carte__legende">
            Part des sites raccordés pour chaque département et chaque type ; le tableau suivant donne les mêmes
            chiffres.
          </figcaption>
        </figure>
      )}
      <DataTable
        caption={`Sites stratégiques raccordés par département et par type — ${context}`}
        columns={[
          {
            header: "Département",
            rowHeader: true,
            cell: (row) =>
              row.departement === null ? "Ensemble du territoire" : (row.departementNom ?? row.departement),
          },
          { header: "Type", cell: (row) => row.typeLibelle },
          { header: "Sites", numeric: true, cell: (row) => formatInteger(row.sites) },
          { header: "Raccordés", numeric: true, cell: (row) => formatInteger(row.raccordes) },
          { header: "Part raccordée", numeric: true, cell: (row) => formatPercent(row.part) },
        ]}
        rows={[...data.synthese, ...data.totaux]}
        rowKey={(row) => `${row.departement ?? "total"}-${row.type}`}
        footer={
          <ExportLinks
            url={(format) => exportUrl(format, "synthese")}
            context={`sites raccordés par département et type, ${context}`}
          />
        }
      />

      <h3>Carte des sites</h3>
      <figure className="figure-carte">
        <Suspense fallback={<LoadingStatus label="Chargement de la carte…" />}>
          <ChoroplethMap
            label={`Carte : ${formatInteger(areas.features.length)} sites stratégiques, colorés selon leur raccordement à la fibre, ${context}`}
            areas={areas}
            fillColor={SITE_FILL}
            describeArea={describeSite}
            attribution="Éducation nationale, FINESS, ESR"
          />
        </Suspense>
        <MapLegend
          title="Raccordement à la fibre"
          items={[
            { color: CONNECTED_COLOR, label: "raccordé" },
            { color: NOT_CONNECTED_COLOR, label: "pas encore raccordé (ou raccordement prévu)" },
          ]}
        />
        <figcaption className="figure-carte__legende">
          Position des sites stratégiques ; la liste des sites ci-dessous donne les mêmes informations.
        </figcaption>
      </figure>

      <TableDisclosure title="Liste des sites">
        <PagedTable
          caption={`Sites stratégiques et leur raccordement — ${context}`}
          columns={[
            { header: "Site", rowHeader: true, cell: (row) => row.nom },
            { header: "Type", cell: (row) => row.typeLibelle },
            { header: "Commune", cell: (row) => row.commune.nom },
            { header: "État", cell: (row) => STATE_LABELS[row.etat] },
            { header: "Date de raccordement", cell: (row) => formatDate(row.raccordeLe, "non connue") },
          ]}
          rows={data.sites}
          rowKey={(row) => row.id}
          exports={<ExportLinks url={exportUrl} context={`liste des sites stratégiques, ${context}`} />}
        />
      </TableDisclosure>
    </>
  );
}
