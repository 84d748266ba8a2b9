import { Link, useParams, useSearchParams } from "react-router";
import { ApiError, api } from "../../app/api-client.ts";
import type { Niveau, TerritoireDetail } from "../../app/api-types.ts";
import { useConfiguration } from "../../app/configuration-context.tsx";
import { useAsync } from "../../app/use-async.ts";
import { useDocumentTitle } from "../../app/use-document-title.ts";
import { ErrorMessage } from "../../ui/ErrorMessage.tsx";
import { LoadingStatus } from "../../ui/LoadingStatus.tsx";
import { TerritoryNotFound } from "../territory/TerritoryNotFound.tsx";
import { LEVELS, territoryPath } from "../territory/territory-levels.ts";
import { ChildrenMapSection } from "./ChildrenMapSection.tsx";
import { CopperSection } from "./CopperSection.tsx";
import { EquitySection } from "./EquitySection.tsx";
import { OverviewSections } from "./OverviewSections.tsx";
import { observatoryApi } from "./observatory-api.ts";
import { isVariant, quarterLongLabel, type Variant } from "./observatory-format.ts";
import { observatoryPath } from "./observatory-paths.ts";
import { QuarterSlider } from "./QuarterSlider.tsx";
import { SeriesSection } from "./SeriesSection.tsx";
import { StrategicSitesSection } from "./StrategicSitesSection.tsx";
import { VariantSwitch } from "./VariantSwitch.tsx";
import { ZoneFibreeSection } from "./ZoneFibreeSection.tsx";
import "./observatory.css";

const NIVEAUX: Niveau[] = ["regions", "departements", "epci", "communes"];

/** /observatoire (the Région) and /observatoire/:niveau/:code. */
export function ObservatoryPage() {
  const { region } = useConfiguration();
  const params = useParams();
  const niveau = (params.niveau ?? "regions") as Niveau;
  const code = params.code ?? region.code;
  if (!NIVEAUX.includes(niveau)) return <TerritoryNotFound message={`Niveau de territoire inconnu : ${niveau}.`} />;
  return <ObservatoryTerritory key={`${niveau}/${code}`} niveau={niveau} code={code} />;
}

function ObservatoryTerritory({ niveau, code }: { niveau: Niveau; code: string }) {
  const territory = useAsync(api.detailUrl(niveau, code), () => api.detail(niveau, code));
  const latest = useAsync(observatoryApi.url("", niveau, code), () => observatoryApi.latest(niveau, code));
  const notFound =
    territory.status === "error" && territory.error instanceof ApiError && territory.error.status === 404;
  useDocumentTitle(
    territory.status === "success"
      ? `Observatoire du très haut débit — ${territory.data.nom}`
      : notFound
        ? "Territoire introuvable"
        : territory.status === "error"
          ? "Erreur"
          : "Chargement…",
  );

  if (territory.status === "loading" || latest.status === "loading") return <LoadingStatus />;
  if (territory.status === "error") {
    if (notFound) return <TerritoryNotFound message={territory.error.message} />;
    return (
      <>
        <h1>Observatoire du très haut débit</h1>
        <ErrorMessage title="Ce territoire n'a pas pu être chargé." error={territory.error} onRetry={territory.retry} />
      </>
    );
  }
  if (latest.status === "error") {
    // 404 here means the territory exists but no quarter is published yet: the API says so.
    const noQuarter = latest.error instanceof ApiError && latest.error.status === 404;
    return (
      <>
        <ObservatoryHeader territory={territory.data} />
        {noQuarter ? (
          <p className="avis">{latest.error.message}</p>
        ) : (
          <ErrorMessage title="L'observatoire n'a pas pu être chargé." error={latest.error} onRetry={latest.retry} />
        )}
      </>
    );
  }
  const published = latest.data.trimestres;
  return <ObservatoryContent territory={territory.data} quarters={published} />;
}

function ObservatoryContent({
  territory,
  quarters,
}: {
  territory: TerritoireDetail;
  quarters: { code: string; simule: boolean }[];
}) {
  const [searchParams, setSearchParams] = useSearchParams();
  const codes = quarters.map((q) => q.code);
  const latest = codes[codes.length - 1] ?? "";
  const asked = searchParams.get("trimestre");
  const trimestre = asked && codes.includes(asked) ? asked : latest;
  const askedVariant = searchParams.get("variante");
  const variante: Variant = isVariant(askedVariant) ? askedVariant : "toutes";
  const simulated = new Set(quarters.filter((q) => q.simule).map((q) => q.code));

  // The choices live in the address, so that a view can be shared and the back button undoes a change.
  const choose = (changes: { trimestre?: string; variante?: Variant }) => {
    const next = new URLSearchParams(searchParams);
    if (changes.trimestre) next.set("trimestre", changes.trimestre);
    if (changes.variante) next.set("variante", changes.variante);
    setSearchParams(next, { replace: true, preventScrollReset: true });
  };

  const { niveau, code } = territory;
  return (
    <article className="observatoire">
      <ObservatoryHeader territory={territory} />

      <nav className="observatoire__sommaire" aria-labelledby="titre-sommaire">
        <h2 id="titre-sommaire" className="observatoire__sommaire-titre">
          Sommaire
        </h2>
        <ul>
          <li>
            <a href="#titre-chiffres">Chiffres clés</a>
          </li>
          <li>
            <a href="#titre-debits">Débits</a>
          </li>
          {niveau !== "communes" && (
            <li>
              <a href="#titre-carte">Carte</a>
            </li>
          )}
          <li>
            <a href="#titre-evolution">Évolution et objectifs</a>
          </li>
          {niveau !== "communes" && (
            <li>
              <a href="#titre-equite">Équité territoriale</a>
            </li>
          )}
          <li>
            <a href="#titre-zone-fibree">Zone fibrée</a>
          </li>
          <li>
            <a href="#titre-cuivre">Fermeture du cuivre</a>
          </li>
          <li>
            <a href="#titre-sites">Sites stratégiques</a>
          </li>
        </ul>
      </nav>

      <section className="observatoire__reglages" aria-labelledby="titre-reglages">
        <h2 id="titre-reglages" className="visuellement-masque">
          Trimestre et technologies affichés
        </h2>
        <QuarterSlider
          quarters={codes}
          value={trimestre}
          simulated={simulated}
          onChange={(next) => choose({ trimestre: next })}
        />
        <VariantSwitch value={variante} onChange={(next) => choose({ variante: next })} />
      </section>

      {simulated.has(trimestre) && (
        <p className="avis avis--simule" data-testid="avis-simule">
          Données simulées à partir d'agrégats réels.
          <span className="avis__detail">
            {" "}
            Les chiffres du {quarterLongLabel(trimestre)} sont calculés pour la démonstration à partir des données
            publiques de l'ARCEP et de l'INSEE ; ils ne décrivent pas des locaux réels.
          </span>
        </p>
      )}

      <OverviewSections niveau={niveau} code={code} trimestre={trimestre} variante={variante} />
      {niveau !== "communes" && <ChildrenMapSection territory={territory} trimestre={trimestre} variante={variante} />}
      <SeriesSection niveau={niveau} code={code} variante={variante} />
      {niveau !== "communes" && <EquitySection niveau={niveau} code={code} trimestre={trimestre} variante={variante} />}
      <ZoneFibreeSection niveau={niveau} code={code} trimestre={trimestre} />
      <CopperSection niveau={niveau} code={code} trimestre={trimestre} />
      <StrategicSitesSection niveau={niveau} code={code} trimestre={trimestre} />
    </article>
  );
}

function ObservatoryHeader({ territory }: { territory: TerritoireDetail }) {
  const { parents } = territory;
  const ancestors: { niveau: Niveau; code: string; nom: string }[] = [];
  if (parents.region) ancestors.push({ niveau: "regions", ...parents.region });
  if (parents.departement) ancestors.push({ niveau: "departements", ...parents.departement });
  if (parents.epci) ancestors.push({ niveau: "epci", ...parents.epci });
  return (
    <>
      <nav aria-label="Fil d'Ariane" className="fil-ariane">
        <ol>
          {ancestors.map((item) => (
            <li key={item.niveau}>
              <Link to={observatoryPath(item.niveau, item.code)}>{item.nom}</Link>
            </li>
          ))}
          <li>
            <span aria-current="page">{territory.nom}</span>
          </li>
        </ol>
      </nav>
      <header className="territoire__entete">
        <p className="territoire__niveau">Observatoire du très haut débit · {LEVELS[territory.niveau].singular}</p>
        <h1>{territory.nom}</h1>
        <p className="observatoire__liens">
          <Link to={territoryPath(territory.niveau, territory.code)}>Fiche du territoire {territory.nom}</Link>
        </p>
      </header>
    </>
  );
}
