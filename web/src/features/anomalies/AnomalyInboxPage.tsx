import { type FormEvent, useState } from "react";
import { Dialog, Heading, Modal, ModalOverlay } from "react-aria-components";
import { useSearchParams } from "react-router";
import { formatDateTime, formatInteger } from "../../app/format.ts";
import { useDocumentTitle } from "../../app/use-document-title.ts";
import { DataTable, type DataTableColumn } from "../../ui/DataTable.tsx";
import { ErrorMessage } from "../../ui/ErrorMessage.tsx";
import { ErrorSummary, type FormError } from "../../ui/ErrorSummary.tsx";
import { FormField, SelectField, TextAreaField } from "../../ui/FormField.tsx";
import { LoadingStatus } from "../../ui/LoadingStatus.tsx";
import { Pagination } from "../../ui/Pagination.tsx";
import { hasRole } from "../accounts/roles.ts";
import { useSession } from "../accounts/session-context.tsx";
import { errorMessage, useAccountData } from "../accounts/use-account-data.ts";
import { type AnomalySummary, type AnswerBody, anomaliesApi, type InboxFilters } from "./anomalies-api.ts";
import { ANOMALY_STATUSES, ANOMALY_TYPES, STATUS_LABELS, STATUS_TONES, TYPE_LABELS } from "./anomaly-labels.ts";
import "./anomalies.css";

const PAGE_SIZE = 50;
const FILTERS = ["statut", "reseau", "type", "commune"] as const;

function placeOf(a: AnomalySummary): string {
  return [a.adresse, a.commune ? `commune ${a.commune}` : null, a.immeuble ? `immeuble ${a.immeuble}` : null]
    .filter(Boolean)
    .join(", ");
}

/** /operateur/signalements: the anomalies of the operator's networks (all for agents): filter, export, answer. */
export function AnomalyInboxPage() {
  useDocumentTitle("Signalements d'adresses");
  const { user } = useSession();
  const seesAll = hasRole(user, ["agent"]);
  const [searchParams, setSearchParams] = useSearchParams();
  const filters: InboxFilters = {};
  for (const name of FILTERS) {
    const value = searchParams.get(name);
    if (value) filters[name] = value;
  }
  const pageNumber = Math.max(1, Number.parseInt(searchParams.get("page") ?? "1", 10) || 1);
  const offset = (pageNumber - 1) * PAGE_SIZE;
  const [version, setVersion] = useState(0);
  const key = `${anomaliesApi.inboxUrl(filters, { limit: PAGE_SIZE, offset })}#${version}`;
  const page = useAccountData(key, () => anomaliesApi.inbox(filters, { limit: PAGE_SIZE, offset }));
  const [draft, setDraft] = useState<Required<InboxFilters>>({
    statut: filters.statut ?? "",
    reseau: filters.reseau ?? "",
    type: filters.type ?? "",
    commune: filters.commune ?? "",
  });
  const [filterErrors, setFilterErrors] = useState<FormError[]>([]);
  const [filterAttempt, setFilterAttempt] = useState(0);
  const [answering, setAnswering] = useState<AnomalySummary | null>(null);
  const [notice, setNotice] = useState("");
  const update = (name: keyof InboxFilters) => (value: string) => setDraft((d) => ({ ...d, [name]: value }));

  const apply = (event: FormEvent) => {
    event.preventDefault();
    if (draft.commune.trim() && !/^(\d{5}|2[AB]\d{3})$/.test(draft.commune.trim())) {
      setFilterErrors([{ fieldId: "boite-commune", message: "Le code commune a 5 caractères (code INSEE)." }]);
      setFilterAttempt((n) => n + 1);
      return;
    }
    setFilterErrors([]);
    const next = new URLSearchParams();
    for (const name of FILTERS) {
      const value = draft[name].trim();
      if (value) next.set(name, value);
    }
    setSearchParams(next);
  };
  const reset = () => {
    setDraft({ statut: "", reseau: "", type: "", commune: "" });
    setFilterErrors([]);
    setSearchParams(new URLSearchParams());
  };
  const filtered = Object.keys(filters).length > 0;

  const columns: DataTableColumn<AnomalySummary>[] = [
    {
      header: "Reçu le",
      rowHeader: true,
      cell: (a) => (
        <time dateTime={a.creeLe} className="horodatage">
          {formatDateTime(a.creeLe)}
        </time>
      ),
    },
    { header: "Problème", cell: (a) => TYPE_LABELS[a.type] },
    { header: "Lieu", cell: (a) => placeOf(a) || <span className="texte-discret">—</span> },
    {
      header: "Réseau",
      cell: (a) => (a.reseau ? (a.reseau.nom ?? a.reseau.code) : <span className="texte-discret">à attribuer</span>),
    },
    { header: "Description", cell: (a) => <span className="anomalies__description">{a.description}</span> },
    { header: "Contact", cell: (a) => a.contact ?? <span className="texte-discret">—</span> },
    {
      header: "Statut",
      cell: (a) => <span className={`etiquette etiquette--${STATUS_TONES[a.statut]}`}>{STATUS_LABELS[a.statut]}</span>,
    },
    {
      header: "Action",
      cell: (a) => (
        <button type="button" className="bouton bouton--petit" onClick={() => setAnswering(a)}>
          Répondre<span className="visuellement-masque"> au signalement reçu le {formatDateTime(a.creeLe)}</span>
        </button>
      ),
    },
  ];

  const networkOptions = [
    { value: "", label: "Tous" },
    ...(page.status === "success" ? page.data.reseaux : []).map((r) => ({ value: r.code, label: r.nom ?? r.code })),
    ...(seesAll ? [{ value: "aucun", label: "Sans réseau responsable" }] : []),
  ];
  // Keep the chosen network listed while the list loads.
  if (draft.reseau && !networkOptions.some((o) => o.value === draft.reseau)) {
    networkOptions.push({ value: draft.reseau, label: draft.reseau });
  }

  return (
    <div className="page-admin anomalies">
      <h1>Signalements d'adresses</h1>
      <p className="chapo">
        {seesAll
          ? "Tous les signalements reçus, y compris ceux qu'aucun réseau n'a pu recevoir : à transmettre."
          : "Les signalements qui concernent vos réseaux : répondez, puis clôturez-les. La personne lit vos réponses publiques sur sa page de suivi."}
      </p>

      <section aria-labelledby="titre-filtres" className="filtres">
        <h2 id="titre-filtres">Filtrer les signalements</h2>
        <ErrorSummary errors={filterErrors} attempt={filterAttempt} />
        <form className="filtres__formulaire" onSubmit={apply} noValidate aria-label="Filtres des signalements">
          <SelectField
            id="boite-statut"
            label="Statut"
            value={draft.statut}
            onChange={update("statut")}
            options={[
              { value: "", label: "Tous" },
              ...ANOMALY_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] })),
            ]}
          />
          <SelectField
            id="boite-reseau"
            label="Réseau"
            value={draft.reseau}
            onChange={update("reseau")}
            options={networkOptions}
          />
          <SelectField
            id="boite-type"
            label="Problème"
            value={draft.type}
            onChange={update("type")}
            options={[{ value: "", label: "Tous" }, ...ANOMALY_TYPES.map((t) => ({ value: t, label: TYPE_LABELS[t] }))]}
          />
          <FormField
            id="boite-commune"
            label="Commune (code INSEE)"
            value={draft.commune}
            onChange={update("commune")}
            error={filterErrors.find((e) => e.fieldId === "boite-commune")?.message}
            inputMode="text"
            maxLength={5}
            spellCheck={false}
          />
          <div className="filtres__actions">
            <button type="submit" className="bouton">
              Filtrer
            </button>
            <button type="button" className="bouton bouton--secondaire" onClick={reset} disabled={!filtered}>
              Effacer les filtres
            </button>
          </div>
        </form>
      </section>

      <section aria-labelledby="titre-signalements">
        <h2 id="titre-signalements">Signalements</h2>
        <div role="status">{notice && <p className="avis avis--succes">{notice}</p>}</div>
        {page.status === "loading" && <LoadingStatus />}
        {page.status === "error" && (
          <ErrorMessage title="Les signalements n'ont pas pu être chargés." error={page.error} onRetry={page.retry} />
        )}
        {page.status === "success" && (
          <>
            <p role="status" className="compte-resultats">
              {page.data.total === 0
                ? filtered
                  ? "Aucun signalement ne correspond à ces filtres."
                  : "Aucun signalement pour le moment."
                : `Signalements ${formatInteger(offset + 1)} à ${formatInteger(offset + page.data.results.length)} sur ${formatInteger(page.data.total)}${filtered ? " (filtrés)" : ""}`}
            </p>
            {page.data.results.length > 0 && (
              <DataTable
                caption={`Signalements${filtered ? " filtrés" : ""}, page ${pageNumber}`}
                columns={columns}
                rows={page.data.results}
                rowKey={(a) => a.id}
                csvUrl={anomaliesApi.inboxUrl(filters, { format: "csv" })}
                footer={
                  <>
                    <a
                      className="lien-telechargement"
                      href={anomaliesApi.inboxUrl(filters, { format: "xlsx" })}
                      download
                    >
                      Télécharger (XLSX)<span className="visuellement-masque"> : signalements</span>
                    </a>
                    <Pagination
                      label="Pages des signalements"
                      pageNumber={pageNumber}
                      pageSize={PAGE_SIZE}
                      total={page.data.total}
                    />
                  </>
                }
              />
            )}
            <p className="texte-discret">
              La colonne « Contact » est une donnée personnelle : ne l'utilisez que pour répondre au déclarant. Elle est
              effacée 90 jours après la clôture.
            </p>
          </>
        )}
      </section>

      <ModalOverlay
        className="modale__fond"
        isOpen={answering !== null}
        onOpenChange={(open) => !open && setAnswering(null)}
        isDismissable
      >
        <Modal className="modale">
          <Dialog className="modale__dialogue">
            {answering && (
              <AnswerForm
                anomaly={answering}
                onClose={() => setAnswering(null)}
                onAnswered={(message) => {
                  setAnswering(null);
                  setNotice(message);
                  setVersion((v) => v + 1);
                }}
              />
            )}
          </Dialog>
        </Modal>
      </ModalOverlay>
    </div>
  );
}

type NextStatus = NonNullable<AnswerBody["statut"]>;

function AnswerForm({
  anomaly,
  onClose,
  onAnswered,
}: {
  anomaly: AnomalySummary;
  onClose: () => void;
  onAnswered: (notice: string) => void;
}) {
  const detail = useAccountData(`signalement-${anomaly.id}`, () => anomaliesApi.detail(anomaly.id));
  const [message, setMessage] = useState("");
  const [statut, setStatut] = useState<NextStatus | "">(anomaly.statut === "nouvelle" ? "en_cours" : "");
  const [isPublic, setPublic] = useState(true);
  const [errors, setErrors] = useState<FormError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [pending, setPending] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!message.trim()) {
      setErrors([{ fieldId: "reponse-message", message: "Écrivez la réponse ou la note." }]);
      setAttempt((n) => n + 1);
      return;
    }
    setPending(true);
    try {
      const answered = await anomaliesApi.answer(anomaly.id, {
        message: message.trim(),
        public: isPublic,
        ...(statut ? { statut } : {}),
      });
      onAnswered(
        `Réponse enregistrée${isPublic ? " et visible du déclarant" : " (note interne)"} ; statut : ${STATUS_LABELS[answered.statut]}.`,
      );
    } catch (error) {
      setErrors([{ message: errorMessage(error, "La réponse n'a pas pu être enregistrée.") }]);
      setAttempt((n) => n + 1);
    } finally {
      setPending(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate className="anomalies__reponse">
      <Heading slot="title" className="modale__titre">
        Répondre au signalement
      </Heading>
      <div className="modale__contenu">
        <ErrorSummary errors={errors} attempt={attempt} />
        <dl className="fiche">
          <div className="fiche__ligne">
            <dt>Problème</dt>
            <dd>{TYPE_LABELS[anomaly.type]}</dd>
          </div>
          <div className="fiche__ligne">
            <dt>Lieu</dt>
            <dd>{placeOf(anomaly) || "—"}</dd>
          </div>
          <div className="fiche__ligne">
            <dt>Statut actuel</dt>
            <dd>{STATUS_LABELS[anomaly.statut]}</dd>
          </div>
        </dl>
        <p className="anomalies__description">{anomaly.description}</p>
        <h3>Historique</h3>
        {detail.status === "loading" && <LoadingStatus label="Chargement de l'historique…" />}
        {detail.status === "error" && (
          <ErrorMessage title="L'historique n'a pas pu être chargé." error={detail.error} onRetry={detail.retry} />
        )}
        {detail.status === "success" && (
          <ol className="anomalies__historique">
            {detail.data.evenements.map((event) => (
              <li key={event.id}>
                <time dateTime={event.quand}>{formatDateTime(event.quand)}</time> — {event.auteur} :{" "}
                {STATUS_LABELS[event.statutApres]}
                {event.public ? "" : " (note interne)"}
                {event.message && <blockquote className="anomalies__message">{event.message}</blockquote>}
              </li>
            ))}
          </ol>
        )}
        <TextAreaField
          id="reponse-message"
          label="Réponse"
          value={message}
          onChange={setMessage}
          error={errors.find((e) => e.fieldId === "reponse-message")?.message}
          maxLength={2000}
          rows={4}
          required
        />
        <SelectField
          id="reponse-statut"
          label="Nouveau statut"
          value={statut}
          onChange={(value) => setStatut(value as NextStatus | "")}
          options={[
            { value: "", label: `Inchangé (${STATUS_LABELS[anomaly.statut]})` },
            { value: "en_cours", label: STATUS_LABELS.en_cours },
            { value: "resolue", label: `${STATUS_LABELS.resolue} (clôture)` },
            { value: "rejetee", label: `${STATUS_LABELS.rejetee} (clôture)` },
          ]}
        />
        <div className="choix">
          <input
            type="checkbox"
            id="reponse-publique"
            checked={isPublic}
            onChange={(event) => setPublic(event.target.checked)}
          />
          <label htmlFor="reponse-publique">Visible par la personne qui a signalé (sinon : note interne)</label>
        </div>
      </div>
      <div className="modale__actions">
        <button type="button" className="bouton bouton--secondaire" onClick={onClose} disabled={pending}>
          Annuler
        </button>
        <button type="submit" className="bouton" disabled={pending}>
          {pending ? "Enregistrement…" : "Enregistrer la réponse"}
        </button>
      </div>
    </form>
  );
}
