import { useEffect, useRef, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { ApiError } from "../../app/api-client.ts";
import { useDocumentTitle } from "../../app/use-document-title.ts";
import { DataTable } from "../../ui/DataTable.tsx";
import { ErrorMessage } from "../../ui/ErrorMessage.tsx";
import { LoadingStatus } from "../../ui/LoadingStatus.tsx";
import { batchApi, type LotStatut } from "./batch-api.ts";
import "./eligibility-batch.css";

const POLL_MS = 1000;
const fmt = (n: number) => n.toLocaleString("fr-FR");
const dateFr = new Intl.DateTimeFormat("fr-FR", { dateStyle: "long", timeZone: "UTC" });
const formatDate = (iso: string) => dateFr.format(new Date(`${iso.slice(0, 10)}T00:00:00Z`));

const STATUS_WORDS: Record<LotStatut["statut"], string> = {
  en_attente: "En attente de traitement",
  en_cours: "En cours",
  termine: "Terminé",
  echoue: "En échec",
  interrompu: "Interrompu",
};

function remaining(seconds: number | null): string {
  if (seconds === null) return "";
  if (seconds < 60) return `environ ${Math.max(1, seconds)} s restantes`;
  return `environ ${Math.round(seconds / 60)} min restantes`;
}

/** What the live region says: the status, and the progress by tenths (not every second). */
function announcement(job: LotStatut): string {
  if (job.statut === "termine") {
    return `Lot terminé : ${fmt(job.resolues)} sites résolus, ${fmt(job.echecs)} non résolus. Les résultats sont prêts.`;
  }
  if (job.statut === "echoue" || job.statut === "interrompu")
    return `${STATUS_WORDS[job.statut]} : ${job.message ?? ""}`;
  if (job.statut === "en_attente") return "Lot en attente de traitement.";
  return `Traitement en cours : ${Math.floor(job.pourcentage / 10) * 10} %.`;
}

/** A job's page: progress while it runs (polled every second), then the summary, failures and downloads. */
export function BatchJobPage() {
  const { id = "" } = useParams();
  const navigate = useNavigate();
  useDocumentTitle("Éligibilité de plusieurs sites : suivi du lot");
  const [job, setJob] = useState<LotStatut | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [retry, setRetry] = useState(0);
  const [cancelling, setCancelling] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const running = job === null || job.statut === "en_attente" || job.statut === "en_cours";

  // biome-ignore lint/correctness/useExhaustiveDependencies: `retry` restarts the polling after an error.
  useEffect(() => {
    if (!running) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const next = await batchApi.status(id, controller.signal);
        setJob(next);
        setError(null);
        if (next.statut === "en_attente" || next.statut === "en_cours") timer = setTimeout(poll, POLL_MS);
      } catch (failure) {
        if (controller.signal.aborted) return;
        setError(failure instanceof Error ? failure : new Error(String(failure)));
      }
    };
    void poll();
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [id, running, retry]);

  // The results replace the progress bar: move the focus to their heading once.
  const finished = job?.statut === "termine";
  useEffect(() => {
    if (finished) headingRef.current?.focus();
  }, [finished]);

  const cancel = async () => {
    setCancelling(true);
    try {
      await batchApi.cancel(id);
      navigate("/eligibilite/lots");
    } catch (failure) {
      setError(failure instanceof Error ? failure : new Error(String(failure)));
      setCancelling(false);
    }
  };

  if (error && !job) {
    const missing = error instanceof ApiError && (error.status === 404 || error.status === 400);
    return (
      <>
        <h1>Éligibilité de plusieurs sites</h1>
        <ErrorMessage
          title={
            missing
              ? "Ce lot n'existe pas ou plus (annulé, ou effacé 7 jours après sa fin)."
              : "Le lot n'a pas pu être lu."
          }
          error={missing ? undefined : error}
          onRetry={missing ? undefined : () => setRetry((n) => n + 1)}
        />
        <p>
          <Link to="/eligibilite/lots">Déposer un fichier</Link>
        </p>
      </>
    );
  }
  if (!job) {
    return (
      <>
        <h1>Éligibilité de plusieurs sites</h1>
        <LoadingStatus label="Lecture du lot…" />
      </>
    );
  }

  const resultsCsv = job.resultats?.csv;
  return (
    <>
      <h1>Éligibilité de plusieurs sites</h1>
      <p>
        Lot du fichier <strong>{job.fichier}</strong> : {fmt(job.total)} sites. Gardez l'adresse de cette page pour
        revenir aux résultats (conservés 7 jours).
      </p>
      <p className="visuellement-masque" role="status" aria-live="polite">
        {announcement(job)}
      </p>
      {error && (
        <ErrorMessage
          title="La progression n'a pas pu être relue."
          error={error}
          onRetry={() => setRetry((n) => n + 1)}
        />
      )}

      <section className="lot-progression" aria-labelledby="lot-progression-titre">
        <h2 id="lot-progression-titre">Progression : {STATUS_WORDS[job.statut]}</h2>
        <div
          className="barre-progression"
          role="progressbar"
          aria-labelledby="lot-progression-titre"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.floor(job.pourcentage)}
          aria-valuetext={`${Math.floor(job.pourcentage)} % (${fmt(job.traitees)} sites sur ${fmt(job.total)})`}
        >
          <div className="barre-progression__remplissage" style={{ width: `${job.pourcentage}%` }} />
        </div>
        <p>
          {fmt(job.traitees)} sites traités sur {fmt(job.total)} ({Math.floor(job.pourcentage)} %)
          {job.statut === "en_cours" && job.resteSecondes !== null ? `, ${remaining(job.resteSecondes)}` : ""}.
        </p>
        {running && (
          <button
            type="button"
            className="bouton bouton--secondaire"
            onClick={() => void cancel()}
            disabled={cancelling}
          >
            {cancelling ? "Annulation…" : "Annuler ce lot"}
          </button>
        )}
        {(job.statut === "echoue" || job.statut === "interrompu") && (
          <ErrorMessage title={`Lot ${STATUS_WORDS[job.statut].toLowerCase()}.`} error={new Error(job.message ?? "")} />
        )}
      </section>

      {job.statut === "termine" && resultsCsv && job.resultats && (
        <section aria-labelledby="lot-resultats-titre">
          <h2 id="lot-resultats-titre" ref={headingRef} tabIndex={-1}>
            Résultats
          </h2>
          <dl className="fiche">
            <div className="fiche__ligne">
              <dt>Sites résolus</dt>
              <dd>{fmt(job.resolues)}</dd>
            </div>
            <div className="fiche__ligne">
              <dt>Sites non résolus</dt>
              <dd>{fmt(job.echecs)} (la raison de chacun est dans les résultats, colonne « raison »)</dd>
            </div>
            <div className="fiche__ligne">
              <dt>Données</dt>
              <dd>
                trimestre {job.trimestre ?? "?"} ; ouvertures et offres au {formatDate(job.dateReference)}
              </dd>
            </div>
          </dl>
          <p className="lot-telechargements">
            <a className="bouton" href={job.resultats.xlsx} download>
              Télécharger les résultats (XLSX, tableur)
            </a>
            <a className="bouton bouton--secondaire" href={resultsCsv} download>
              Télécharger les résultats (CSV)
            </a>
          </p>
          {job.raisons.length > 0 && (
            <DataTable
              caption="Sites non résolus, par raison"
              columns={[
                { header: "Raison", cell: (r: LotStatut["raisons"][number]) => r.raison, rowHeader: true },
                { header: "Sites", cell: (r: LotStatut["raisons"][number]) => fmt(r.nombre), numeric: true },
              ]}
              rows={job.raisons}
              rowKey={(r) => r.raison}
              csvUrl={resultsCsv}
            />
          )}
          {job.premiersEchecs.length > 0 && (
            <DataTable
              caption={`Les ${job.premiersEchecs.length} premiers sites non résolus`}
              columns={[
                {
                  header: "Ligne",
                  cell: (r: LotStatut["premiersEchecs"][number]) => r.ligne,
                  numeric: true,
                  rowHeader: true,
                },
                { header: "Valeur lue", cell: (r: LotStatut["premiersEchecs"][number]) => r.entree || "(vide)" },
                { header: "Raison", cell: (r: LotStatut["premiersEchecs"][number]) => r.raison },
              ]}
              rows={job.premiersEchecs}
              rowKey={(r) => String(r.ligne)}
              csvUrl={resultsCsv}
            />
          )}
        </section>
      )}
      <p>
        <Link to="/eligibilite/lots">Déposer un autre fichier</Link>
      </p>
    </>
  );
}
