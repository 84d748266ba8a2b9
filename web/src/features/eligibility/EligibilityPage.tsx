import { type FormEvent, type RefObject, useEffect, useRef, useState } from "react";
import { Link, useSearchParams } from "react-router";
import type { EligibilityResponse } from "../../../../src/modules/eligibility/lookup-eligibility/lookup-eligibility.schema.ts";
import { ApiError, getJson, query } from "../../app/api-client.ts";
import type { AddressFeature } from "../../app/api-types.ts";
import { useAsync } from "../../app/use-async.ts";
import { useDocumentTitle } from "../../app/use-document-title.ts";
import { ErrorMessage } from "../../ui/ErrorMessage.tsx";
import { LoadingStatus } from "../../ui/LoadingStatus.tsx";
import { AddressMap } from "../addresses/AddressPage.tsx";
import { AddressSearch } from "../addresses/AddressSearch.tsx";
import { BusinessOffers } from "./BusinessOffers.tsx";

type Building = EligibilityResponse["immeubles"][number];
type Technology = Building["technologies"][number];
type SpeedClass = NonNullable<Technology["descendant"]>;

/** ARCEP speed classes in words (each class is a threshold up to the next one). */
const SPEED_WORDS: Record<SpeedClass, string> = {
  THD1G: "1 Gbit/s ou plus",
  THD100: "100 Mbit/s à 1 Gbit/s",
  THD30: "30 à 100 Mbit/s",
  BHD8: "8 à 30 Mbit/s",
  HD3: "3 à 8 Mbit/s",
  HD05: "0,5 à 3 Mbit/s",
  INEL: "moins de 0,5 Mbit/s",
};

/** The fibre headline's speed: « jusqu'à 1 Gbit/s » reads better than a range for the top class. */
const FIBRE_SPEED: Record<SpeedClass, string> = { ...SPEED_WORDS, THD1G: "jusqu'à 1 Gbit/s" };

const longDate = new Intl.DateTimeFormat("fr-FR", { dateStyle: "long", timeZone: "UTC" });
function formatLongDate(iso: string): string {
  const date = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? iso : longDate.format(date);
}

/** What is asked: a chosen address (by id, shareable) or a free text (geocoded by the API). */
type Question = { id: string } | { adresse: string };

function questionFromUrl(params: URLSearchParams): Question | null {
  const id = params.get("id");
  if (id) return { id };
  const adresse = params.get("adresse")?.trim();
  return adresse ? { adresse } : null;
}

/**
 * Plain French summary of the fibre at one building. A planned date already past (the data are
 * those of the last published quarter) is said as such rather than announced as still to come.
 */
export function fibreHeadline(building: Building, today: string, trimestre: string): string {
  const { fibre } = building;
  if (fibre.disponible) {
    const speed = building.technologies.find((t) => t.code === "FO")?.descendant;
    return `Ici, vous pouvez avoir la fibre optique${speed ? ` (${FIBRE_SPEED[speed]})` : ""}`;
  }
  if (fibre.etat === "raccordable_sur_demande") {
    return "Ici, la fibre optique peut être installée sur demande auprès d'un opérateur";
  }
  const planned = fibre.ouvertureCommerciale ?? fibre.datePrevue;
  if (planned && planned < today) {
    return `La fibre était prévue pour le ${formatLongDate(planned)} selon les données du trimestre ${trimestre}, qui ne la signalent pas encore ouverte`;
  }
  if (planned) return `La fibre est prévue pour le ${formatLongDate(planned)}`;
  if (fibre.etat === "prevu") return "La fibre est prévue (date non communiquée)";
  return "La fibre n'est pas encore prévue";
}

function operatorNames(operators: { code: string; nom: string | null }[]): string {
  return operators.map((o) => o.nom ?? o.code).join(", ");
}

function errorTitle(error: Error): string {
  if (error instanceof ApiError && error.status === 404) return "Aucun immeuble n'est connu pour cette adresse.";
  if (error instanceof ApiError && error.status === 400) return "La recherche n'est pas valable.";
  return "L'éligibilité n'a pas pu être chargée.";
}

/** Citizen and business page: choose an address, see whether fibre and other technologies are available there. */
export function EligibilityPage() {
  const [searchParams, setSearchParams] = useSearchParams();
  const question = questionFromUrl(searchParams);
  const [label, setLabel] = useState<string | null>(null);
  const [focusResult, setFocusResult] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  // The text last typed: leaving the field may put back the previously chosen address, the typed text wins.
  const typed = useRef<string | null>(null);
  useDocumentTitle("Éligibilité à la fibre et au très haut débit");

  const select = (feature: AddressFeature) => {
    typed.current = null;
    setLabel(feature.properties.label);
    setFocusResult(true);
    setSearchParams({ id: feature.properties.id });
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const text = (typed.current ?? formRef.current?.querySelector("input")?.value ?? "").trim();
    if (!text) return;
    setLabel(null);
    setFocusResult(true);
    setSearchParams({ adresse: text });
  };

  return (
    <>
      <h1>Éligibilité à la fibre et au très haut débit</h1>
      <p>
        Saisissez votre adresse pour savoir si vous pouvez avoir la fibre optique, à quelle date elle est prévue, et
        quelles autres technologies (cuivre, 4G fixe, satellite…) sont proposées, avec leur débit.
      </p>
      <p>
        Plusieurs sites ? <Link to="/eligibilite/lots">Déposez un fichier de vos sites</Link> (jusqu'à 100 000).
      </p>
      <form
        ref={formRef}
        onSubmit={submit}
        onInput={(event) => {
          if (event.target instanceof HTMLInputElement) typed.current = event.target.value;
        }}
        className="formulaire-eligibilite"
      >
        <AddressSearch onSelect={select} label="Votre adresse" />
        <button type="submit" className="bouton">
          Vérifier l'éligibilité
        </button>
      </form>
      {question && (
        <EligibilityResult
          question={question}
          label={label}
          focusHeading={focusResult}
          onFocused={() => setFocusResult(false)}
        />
      )}
    </>
  );
}

function EligibilityResult({
  question,
  label,
  focusHeading,
  onFocused,
}: {
  question: Question;
  label: string | null;
  focusHeading: boolean;
  onFocused: () => void;
}) {
  const url = `/api/eligibilite${query(question)}`;
  const result = useAsync(url, () => getJson<EligibilityResponse>(url));
  const headingRef = useRef<HTMLHeadingElement>(null);

  // After a choice, bring keyboard and screen reader users to the result.
  useEffect(() => {
    if (!focusHeading || result.status !== "success") return;
    headingRef.current?.focus();
    onFocused();
  }, [focusHeading, result.status, onFocused]);

  return (
    <div aria-live="polite">
      {result.status === "loading" && <LoadingStatus label="Recherche de l'éligibilité…" />}
      {result.status === "error" && (
        <ErrorMessage
          title={errorTitle(result.error)}
          error={result.error}
          onRetry={result.error instanceof ApiError && result.error.status < 500 ? undefined : result.retry}
        />
      )}
      {result.status === "success" && (
        <EligibilityCard answer={result.data} label={label} question={question} headingRef={headingRef} />
      )}
    </div>
  );
}

function EligibilityCard({
  answer,
  label,
  question,
  headingRef,
}: {
  answer: EligibilityResponse;
  label: string | null;
  question: Question;
  headingRef: RefObject<HTMLHeadingElement | null>;
}) {
  const first = answer.immeubles[0];
  const addressId = "id" in question ? question.id : (answer.geocodage?.id ?? first?.immeuble.adresseId ?? null);
  const title = answer.geocodage?.label ?? label ?? (first ? buildingAddress(first) : "Adresse demandée");
  const several = answer.immeubles.length > 1;
  return (
    <section className="adresse eligibilite" aria-labelledby="eligibilite-titre">
      <h2 id="eligibilite-titre" ref={headingRef} tabIndex={-1}>
        {title}
      </h2>
      {answer.simule && (
        <p className="avis">
          <strong>Données simulées</strong> : ce résultat est une démonstration, il ne décrit pas la situation réelle de
          cette adresse.
        </p>
      )}
      {answer.distanceM !== null && (
        <p>Aucun immeuble n'est connu à cette adresse : voici le plus proche, à {answer.distanceM} m.</p>
      )}
      {answer.immeubles.map((building) => (
        <BuildingEligibility
          key={building.immeuble.id}
          building={building}
          several={several}
          today={answer.dateReference}
          trimestre={answer.trimestre.code}
          offersCsvUrl={`/api/eligibilite${query({ ...question, format: "csv" })}`}
        />
      ))}
      <p className="eligibilite__trimestre">Données du trimestre {answer.trimestre.code} (ARCEP).</p>
      {addressId && (
        <p>
          <Link
            to={`/eligibilite/signalement${query({
              adresse: title,
              id: addressId,
              // The building routes the report to its network; only when it is the address's own.
              immeuble: !several && answer.distanceM === null ? first?.immeuble.id : undefined,
              commune: first?.immeuble.codeInsee,
            })}`}
          >
            Signaler un problème sur cette adresse
          </Link>
        </p>
      )}
    </section>
  );
}

function buildingAddress({ immeuble }: Building): string {
  return [immeuble.numero, immeuble.rep, immeuble.nomVoie].filter(Boolean).join(" ") || immeuble.id;
}

function BuildingEligibility({
  building,
  several,
  today,
  trimestre,
  offersCsvUrl,
}: {
  building: Building;
  several: boolean;
  /** The answer's reference date (ISO) and quarter. */
  today: string;
  trimestre: string;
  offersCsvUrl: string;
}) {
  const { immeuble, reseau, operateurInfrastructure, fermetureCuivre } = building;
  const SubHeading = several ? "h4" : "h3";
  return (
    <div className="eligibilite__immeuble">
      {several && <h3>Immeuble {buildingAddress(building)}</h3>}
      <p className="eligibilite__verdict">
        <strong>{fibreHeadline(building, today, trimestre)}</strong>
      </p>
      <SubHeading>Technologies et débits</SubHeading>
      {building.technologies.length === 0 ? (
        <p>Aucune offre n'est connue pour cet immeuble.</p>
      ) : (
        <ul className="eligibilite__technologies">
          {building.technologies.map((technology) => (
            <TechnologyItem key={technology.code} technology={technology} />
          ))}
        </ul>
      )}
      <dl className="fiche">
        <div className="fiche__ligne">
          <dt>Réseau fibre</dt>
          <dd>{reseau ? (reseau.nom ?? reseau.code) : "aucun"}</dd>
        </div>
        <div className="fiche__ligne">
          <dt>Opérateur d'infrastructure</dt>
          <dd>{operateurInfrastructure ? (operateurInfrastructure.nom ?? operateurInfrastructure.code) : "aucun"}</dd>
        </div>
        {fermetureCuivre?.fermetureCommerciale && (
          <div className="fiche__ligne">
            <dt>Fin de la vente d'offres cuivre (ADSL)</dt>
            <dd>{formatLongDate(fermetureCuivre.fermetureCommerciale)}</dd>
          </div>
        )}
        {fermetureCuivre?.fermetureTechnique && (
          <div className="fiche__ligne">
            <dt>Arrêt du réseau cuivre</dt>
            <dd>{formatLongDate(fermetureCuivre.fermetureTechnique)}</dd>
          </div>
        )}
        {fermetureCuivre?.message && (
          <div className="fiche__ligne">
            <dt>Information sur le cuivre</dt>
            <dd>{fermetureCuivre.message}</dd>
          </div>
        )}
      </dl>
      <BusinessOffers building={building} csvUrl={offersCsvUrl} headingLevel={SubHeading} />
      {immeuble.lon !== null && immeuble.lat !== null && (
        <AddressMap
          label={buildingAddress(building)}
          lon={immeuble.lon}
          lat={immeuble.lat}
          citycode={immeuble.codeInsee}
        />
      )}
    </div>
  );
}

function TechnologyItem({ technology }: { technology: Technology }) {
  const { libelle, disponible, descendant, montant, operateurs, operateursSatures } = technology;
  return (
    <li>
      <strong>{libelle}</strong> :{" "}
      {disponible && descendant ? (
        <>
          réception {SPEED_WORDS[descendant]}
          {montant ? `, envoi ${SPEED_WORDS[montant]}` : ""}
        </>
      ) : (
        "pas commercialisée ici pour l'instant"
      )}
      {operateurs.length > 0 && <> — opérateurs : {operatorNames(operateurs)}</>}
      {operateursSatures.length > 0 && <> — réseau saturé chez : {operatorNames(operateursSatures)}</>}
    </li>
  );
}
