import { Link, useParams } from "react-router";
import { ApiError } from "../../app/api-client.ts";
import { formatDateTime } from "../../app/format.ts";
import { useAsync } from "../../app/use-async.ts";
import { useDocumentTitle } from "../../app/use-document-title.ts";
import { ErrorMessage } from "../../ui/ErrorMessage.tsx";
import { LoadingStatus } from "../../ui/LoadingStatus.tsx";
import { anomaliesApi, type FollowResponse } from "./anomalies-api.ts";
import { STATUS_LABELS, STATUS_TONES, TYPE_LABELS } from "./anomaly-labels.ts";
import "./anomalies.css";

/** /signalements/:jeton: the reporter follows the status and reads the public answers. */
export function FollowAnomalyPage() {
  useDocumentTitle("Suivi de votre signalement");
  const { jeton = "" } = useParams();
  const followed = useAsync(`suivi-${jeton}`, () => anomaliesApi.follow(jeton));
  return (
    <div className="anomalies">
      <h1>Suivi de votre signalement</h1>
      <div aria-live="polite">
        {followed.status === "loading" && <LoadingStatus label="Chargement du signalement…" />}
        {followed.status === "error" && (
          <ErrorMessage
            title={
              followed.error instanceof ApiError && followed.error.status < 500
                ? "Ce lien de suivi ne correspond à aucun signalement."
                : "Le signalement n'a pas pu être chargé."
            }
            error={followed.error}
            onRetry={
              followed.error instanceof ApiError && followed.error.status < 500 && followed.error.status > 0
                ? undefined
                : followed.retry
            }
          />
        )}
        {followed.status === "success" && <FollowedAnomaly anomaly={followed.data} />}
      </div>
      <p>
        <Link to="/eligibilite">Vérifier l'éligibilité d'une adresse</Link>
      </p>
    </div>
  );
}

function FollowedAnomaly({ anomaly }: { anomaly: FollowResponse }) {
  const place = [anomaly.adresse, anomaly.commune ? `commune ${anomaly.commune}` : null].filter(Boolean).join(", ");
  return (
    <>
      <p className="anomalies__statut">
        Statut :{" "}
        <span className={`etiquette etiquette--${STATUS_TONES[anomaly.statut]}`}>{STATUS_LABELS[anomaly.statut]}</span>
      </p>
      <dl className="fiche">
        <div className="fiche__ligne">
          <dt>Problème</dt>
          <dd>{TYPE_LABELS[anomaly.type]}</dd>
        </div>
        {place && (
          <div className="fiche__ligne">
            <dt>Lieu</dt>
            <dd>{place}</dd>
          </div>
        )}
        <div className="fiche__ligne">
          <dt>Transmis à</dt>
          <dd>
            {anomaly.reseau
              ? `l'opérateur du réseau ${anomaly.reseau.nom ?? anomaly.reseau.code}`
              : "la Région, qui le transmettra au bon opérateur"}
          </dd>
        </div>
        <div className="fiche__ligne">
          <dt>Envoyé le</dt>
          <dd>{formatDateTime(anomaly.creeLe)}</dd>
        </div>
        {anomaly.closLe && (
          <div className="fiche__ligne">
            <dt>Clos le</dt>
            <dd>{formatDateTime(anomaly.closLe)}</dd>
          </div>
        )}
      </dl>
      <h2>Votre description</h2>
      <p className="anomalies__description">{anomaly.description}</p>
      <h2>Historique</h2>
      <ol className="anomalies__historique">
        {anomaly.evenements.map((event, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the history only grows at its end.
          <li key={index}>
            <p>
              <time dateTime={event.quand}>{formatDateTime(event.quand)}</time> — {event.auteur} :{" "}
              {index === 0 ? "signalement envoyé" : `statut « ${STATUS_LABELS[event.statut]} »`}
            </p>
            {event.message && <blockquote className="anomalies__message">{event.message}</blockquote>}
          </li>
        ))}
      </ol>
    </>
  );
}
