import { Link, useParams } from "react-router";
import { ApiError, api } from "../../app/api-client.ts";
import type { Niveau, ParentRef, TerritoireDetail, TerritoireFilters } from "../../app/api-types.ts";
import { useAsync } from "../../app/use-async.ts";
import { useDocumentTitle } from "../../app/use-document-title.ts";
import { ErrorMessage } from "../../ui/ErrorMessage.tsx";
import { LoadingStatus } from "../../ui/LoadingStatus.tsx";
import { observatoryPath } from "../observatory/observatory-paths.ts";
import { Breadcrumb } from "./Breadcrumb.tsx";
import { KeyFigures } from "./KeyFigures.tsx";
import { TerritoryListTable } from "./TerritoryListTable.tsx";
import { TerritoryMap } from "./TerritoryMap.tsx";
import { TerritoryNotFound } from "./TerritoryNotFound.tsx";
import { LEVELS, territoryPath } from "./territory-levels.ts";

/** Page of one territory (région, département, EPCI or commune), identified by the `:code` URL parameter. */
export function TerritoryPage({ niveau }: { niveau: Niveau }) {
  const { code = "" } = useParams();
  const state = useAsync(api.detailUrl(niveau, code), () => api.detail(niveau, code));
  const notFound = state.status === "error" && state.error instanceof ApiError && state.error.status === 404;
  useDocumentTitle(
    state.status === "success"
      ? state.data.nom
      : notFound
        ? "Territoire introuvable"
        : state.status === "error"
          ? "Erreur"
          : "Chargement…",
  );

  if (state.status === "loading") return <LoadingStatus />;
  if (state.status === "error") {
    if (notFound) return <TerritoryNotFound message={state.error.message} />;
    return (
      <>
        <h1>{LEVELS[niveau].singular}</h1>
        <ErrorMessage title="Ce territoire n'a pas pu être chargé." error={state.error} onRetry={state.retry} />
      </>
    );
  }
  // Keyed by code so that navigating between two territories resets every child state.
  return <TerritoryContent key={`${niveau}/${code}`} territory={state.data} />;
}

const IN_LEVEL: Record<Niveau, string> = {
  regions: "de la région",
  departements: "du département",
  epci: "de l'EPCI",
  communes: "de la commune",
};

function TerritoryContent({ territory }: { territory: TerritoireDetail }) {
  const { niveau, code, nom } = territory;
  const inTerritory = `${IN_LEVEL[niveau]} ${nom}`;
  const childFilter: TerritoireFilters | undefined =
    niveau === "regions"
      ? { region: code }
      : niveau === "departements"
        ? { departement: code }
        : niveau === "epci"
          ? { epci: code }
          : undefined;
  const onlyCentreKnown = territory.sourceContour === "centre";

  return (
    <article className="territoire">
      <Breadcrumb territory={territory} />
      <header className="territoire__entete">
        <p className="territoire__niveau">{LEVELS[niveau].singular}</p>
        <h1>{nom}</h1>
        <ParentLinks parents={territory.parents} />
        <p className="territoire__observatoire">
          <Link to={observatoryPath(niveau, code)}>Voir l'observatoire du très haut débit</Link>
        </p>
      </header>

      <section aria-labelledby="titre-chiffres">
        <h2 id="titre-chiffres">Chiffres clés</h2>
        <KeyFigures territory={territory} />
      </section>

      <section aria-labelledby="titre-carte">
        <h2 id="titre-carte">Carte</h2>
        {onlyCentreKnown && (
          <p className="avis">
            Contour non disponible pour ce territoire : seule la position de son centre est connue.
          </p>
        )}
        <TerritoryMap
          label={
            childFilter
              ? `Carte : ${nom}, communes colorées par densité de population`
              : `Carte : ${nom}, ${onlyCentreKnown ? "position du centre" : "contour"} de la commune`
          }
          caption={
            childFilter
              ? `Communes ${inTerritory}, colorées par densité de population (habitants par km²). Survolez une commune pour lire sa densité, cliquez pour ouvrir sa page. Les mêmes données figurent dans le tableau des communes.`
              : `${onlyCentreKnown ? "Position du centre" : "Contour"} ${inTerritory}.`
          }
          communes={childFilter}
          territory={{ niveau, code }}
          marker={onlyCentreKnown ? territory.centre : null}
        />
      </section>

      {niveau === "regions" && childFilter && (
        <>
          <ChildrenSection niveau="departements" filters={childFilter} caption={`Départements ${inTerritory}`} />
          <ChildrenSection niveau="epci" filters={childFilter} caption={`EPCI ${inTerritory}`} />
          <ChildrenSection niveau="communes" filters={childFilter} caption={`Communes ${inTerritory}`} />
        </>
      )}
      {niveau === "departements" && childFilter && (
        <>
          <ChildrenSection niveau="epci" filters={childFilter} caption={`EPCI ${inTerritory}`} />
          <ChildrenSection niveau="communes" filters={childFilter} caption={`Communes ${inTerritory}`} />
        </>
      )}
      {niveau === "epci" && childFilter && (
        <ChildrenSection niveau="communes" filters={childFilter} caption={`Communes ${inTerritory}`} />
      )}
    </article>
  );
}

/** « Département : Calvados » lines; the link's accessible name is the territory name alone. */
function ParentLinks({ parents }: { parents: TerritoireDetail["parents"] }) {
  const lines: { label: string; niveau: Niveau; parent: ParentRef }[] = [];
  if (parents.departement) lines.push({ label: "Département", niveau: "departements", parent: parents.departement });
  if (parents.epci) lines.push({ label: "EPCI", niveau: "epci", parent: parents.epci });
  if (parents.region) lines.push({ label: "Région", niveau: "regions", parent: parents.region });
  if (lines.length === 0) return null;
  return (
    <ul className="territoire__parents">
      {lines.map(({ label, niveau, parent }) => (
        <li key={niveau}>
          {label} : <Link to={territoryPath(niveau, parent.code)}>{parent.nom}</Link>
        </li>
      ))}
    </ul>
  );
}

function ChildrenSection({
  niveau,
  filters,
  caption,
}: {
  niveau: Niveau;
  filters: TerritoireFilters;
  caption: string;
}) {
  const headingId = `titre-${niveau}`;
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{LEVELS[niveau].plural}</h2>
      <TerritoryListTable niveau={niveau} filters={filters} caption={caption} />
    </section>
  );
}
