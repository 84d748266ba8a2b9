import { type FormEvent, useEffect, useRef, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { ApiError } from "../../app/api-client.ts";
import { useDocumentTitle } from "../../app/use-document-title.ts";
import { ErrorSummary, type FormError } from "../../ui/ErrorSummary.tsx";
import { FormField, TextAreaField } from "../../ui/FormField.tsx";
import { type AnomalyType, anomaliesApi, type ReportBody, type ReportCreated } from "./anomalies-api.ts";
import { ANOMALY_TYPES, TYPE_HINTS, TYPE_LABELS } from "./anomaly-labels.ts";
import "./anomalies.css";

const MAX_DESCRIPTION = 2000;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** API parameters → the form field that carries them, to link the server's errors to the right field. */
const FIELD_OF: Record<string, string> = {
  type: `signalement-type-${ANOMALY_TYPES[0]}`,
  description: "signalement-description",
  adresse: "signalement-adresse",
  contact: "signalement-contact",
};

interface Place {
  adresse: string;
  id?: string;
  immeuble?: string;
  lat?: number;
  lon?: number;
  commune?: string;
}

/** What the eligibility card (or a link) says about the place: adresse, id, immeuble, lat, lon, commune. */
function placeFromUrl(params: URLSearchParams): Place {
  const text = (name: string) => params.get(name)?.trim() || undefined;
  const number = (name: string) => {
    const value = Number.parseFloat(params.get(name) ?? "");
    return Number.isFinite(value) ? value : undefined;
  };
  const lat = number("lat");
  const lon = number("lon");
  const commune = text("commune");
  return {
    adresse: text("adresse") ?? "",
    ...(text("id") ? { id: text("id") } : {}),
    ...(text("immeuble") ? { immeuble: text("immeuble") } : {}),
    ...(lat !== undefined && lon !== undefined ? { lat, lon } : {}),
    ...(commune && /^(\d{5}|2[AB]\d{3})$/.test(commune) ? { commune } : {}),
  };
}

/** /eligibilite/signalement: anyone reports a problem with an address; the follow link is shown once. */
export function ReportAnomalyPage() {
  useDocumentTitle("Signaler un problème d'adresse");
  const [searchParams] = useSearchParams();
  const [place] = useState(() => placeFromUrl(searchParams));
  const known = place.id !== undefined || place.immeuble !== undefined || place.lat !== undefined;
  const [type, setType] = useState<AnomalyType | "">("");
  const [adresse, setAdresse] = useState(place.adresse);
  const [description, setDescription] = useState("");
  const [contact, setContact] = useState("");
  const [errors, setErrors] = useState<FormError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [pending, setPending] = useState(false);
  const [created, setCreated] = useState<ReportCreated | null>(null);

  const fail = (problems: FormError[]) => {
    setErrors(problems);
    setAttempt((n) => n + 1);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problems: FormError[] = [];
    if (!type) problems.push({ fieldId: FIELD_OF.type, message: "Choisissez le type de problème." });
    if (!known && !adresse.trim()) {
      problems.push({ fieldId: FIELD_OF.adresse, message: "Indiquez l'adresse concernée." });
    }
    if (!description.trim()) problems.push({ fieldId: FIELD_OF.description, message: "Décrivez le problème." });
    else if (description.length > MAX_DESCRIPTION) {
      problems.push({
        fieldId: FIELD_OF.description,
        message: `La description dépasse ${MAX_DESCRIPTION} caractères.`,
      });
    }
    if (contact.trim() && !EMAIL.test(contact.trim())) {
      problems.push({ fieldId: FIELD_OF.contact, message: "L'adresse e-mail n'a pas un format valide." });
    }
    if (problems.length > 0 || !type) return fail(problems);
    const body: ReportBody = {
      type,
      description: description.trim(),
      ...(adresse.trim() ? { adresse: adresse.trim() } : {}),
      ...(place.id ? { id: place.id } : {}),
      ...(place.immeuble ? { immeuble: place.immeuble } : {}),
      ...(place.lat !== undefined && place.lon !== undefined ? { lat: place.lat, lon: place.lon } : {}),
      ...(place.commune ? { commune: place.commune } : {}),
      ...(contact.trim() ? { contact: contact.trim() } : {}),
    };
    setPending(true);
    try {
      setCreated(await anomaliesApi.report(body));
      setErrors([]);
    } catch (error) {
      fail([serverError(error)]);
    } finally {
      setPending(false);
    }
  };

  if (created) return <Confirmation created={created} />;

  const fieldError = (id: string) => errors.find((e) => e.fieldId === id)?.message;
  const typeError = errors.find((e) => e.fieldId?.startsWith("signalement-type-"))?.message;

  return (
    <div className="anomalies">
      <h1>Signaler un problème d'adresse</h1>
      <p className="chapo">
        Votre adresse est absente, mal placée, ou l'état de la fibre affiché est faux ? Décrivez-le : le signalement est
        transmis à l'opérateur du réseau concerné, qui vous répondra sur une page de suivi.
      </p>
      <ErrorSummary errors={errors} attempt={attempt} />
      <form className="formulaire" onSubmit={submit} noValidate aria-label="Signalement">
        {known && (
          <section aria-labelledby="signalement-lieu" className="anomalies__lieu">
            <h2 id="signalement-lieu">Lieu concerné</h2>
            <dl className="fiche">
              {place.adresse && <Line label="Adresse" value={place.adresse} />}
              {place.id && <Line label="Identifiant d'adresse (BAN)" value={place.id} />}
              {place.immeuble && <Line label="Immeuble" value={place.immeuble} />}
              {place.lat !== undefined && place.lon !== undefined && (
                <Line label="Position" value={`${place.lat.toFixed(5)}, ${place.lon.toFixed(5)}`} />
              )}
            </dl>
          </section>
        )}
        <fieldset
          className={`groupe-choix${typeError ? " groupe-choix--erreur" : ""}`}
          aria-describedby={typeError ? "signalement-type-erreur" : undefined}
        >
          <legend>Type de problème</legend>
          {typeError && (
            <p id="signalement-type-erreur" className="champ__erreur">
              <span className="visuellement-masque">Erreur : </span>
              {typeError}
            </p>
          )}
          {ANOMALY_TYPES.map((value) => (
            <div className="choix" key={value}>
              <input
                type="radio"
                name="signalement-type"
                id={`signalement-type-${value}`}
                value={value}
                checked={type === value}
                onChange={() => setType(value)}
                aria-describedby={`signalement-type-${value}-aide`}
              />
              <div>
                <label htmlFor={`signalement-type-${value}`}>{TYPE_LABELS[value]}</label>
                <p id={`signalement-type-${value}-aide`} className="champ__aide anomalies__aide-choix">
                  {TYPE_HINTS[value]}
                </p>
              </div>
            </div>
          ))}
        </fieldset>
        <FormField
          id={FIELD_OF.adresse as string}
          label={known ? "Adresse telle que vous l'écrivez (facultatif)" : "Adresse concernée"}
          hint="Numéro, voie, commune ; pour un lieu-dit sans numéro, son nom et la commune."
          value={adresse}
          onChange={setAdresse}
          error={fieldError(FIELD_OF.adresse as string)}
          maxLength={300}
          autoComplete="street-address"
          required={!known}
        />
        <TextAreaField
          id={FIELD_OF.description as string}
          label="Description du problème"
          hint={`Ce qui est faux et ce qui serait juste (${MAX_DESCRIPTION} caractères au plus). N'y mettez pas de données personnelles : elle est visible sur la page de suivi.`}
          value={description}
          onChange={setDescription}
          error={fieldError(FIELD_OF.description as string)}
          maxLength={MAX_DESCRIPTION}
          rows={6}
          required
        />
        <FormField
          id={FIELD_OF.contact as string}
          label="Votre adresse e-mail (facultatif)"
          hint="Elle sert seulement à ce que l'opérateur du réseau ou la Région puisse vous demander une précision. Elle n'est jamais publiée ni affichée sur la page de suivi, et elle est effacée 90 jours après la clôture du signalement."
          type="email"
          autoComplete="email"
          value={contact}
          onChange={setContact}
          error={fieldError(FIELD_OF.contact as string)}
          maxLength={254}
        />
        <button type="submit" className="bouton" disabled={pending}>
          {pending ? "Envoi…" : "Envoyer le signalement"}
        </button>
        <p role="status" className="visuellement-masque">
          {pending ? "Envoi du signalement en cours…" : ""}
        </p>
      </form>
    </div>
  );
}

function Line({ label, value }: { label: string; value: string }) {
  return (
    <div className="fiche__ligne">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function serverError(error: unknown): FormError {
  if (error instanceof ApiError && error.status === 429) {
    return {
      message: "Trop de signalements ont été envoyés depuis votre connexion : réessayez dans une heure.",
    };
  }
  if (error instanceof ApiError && error.status === 400) {
    const fieldId = Object.entries(FIELD_OF).find(([parametre]) => error.message.includes(`« ${parametre} »`))?.[1];
    return { ...(fieldId ? { fieldId } : {}), message: error.message };
  }
  return {
    message: error instanceof Error && error.message ? error.message : "Le signalement n'a pas pu être envoyé.",
  };
}

/** After sending: the follow link, shown once (only its hash is kept), and who will answer. */
function Confirmation({ created }: { created: ReportCreated }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  const link = `${window.location.origin}${created.lien}`;
  return (
    <div className="anomalies">
      <h1 ref={headingRef} tabIndex={-1}>
        Votre signalement est enregistré
      </h1>
      <div className="avis avis--succes">
        <p>
          {created.reseau
            ? `Il est transmis à l'opérateur du réseau ${created.reseau.nom ?? created.reseau.code}.`
            : "Aucun réseau n'a été reconnu à cet endroit : la Région le transmettra au bon opérateur."}
        </p>
      </div>
      <h2>Votre lien de suivi</h2>
      <p>
        Conservez ce lien : c'est le seul moyen de suivre votre signalement et de lire la réponse. Il ne sera plus
        affiché.
      </p>
      <p className="anomalies__lien-suivi">
        <code>{link}</code>
      </p>
      <p>
        <Link to={created.lien}>Suivre mon signalement</Link>
      </p>
      <p>
        <Link to="/eligibilite">Revenir à l'éligibilité</Link>
      </p>
    </div>
  );
}
