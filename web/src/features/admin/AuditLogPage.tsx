import { type FormEvent, useState } from "react";
import { useSearchParams } from "react-router";
import { accountsApi } from "../../app/api-client.ts";
import type { EntreeJournal, JournalFiltres } from "../../app/api-types.ts";
import { formatDateTime, formatInteger } from "../../app/format.ts";
import { useDocumentTitle } from "../../app/use-document-title.ts";
import { DataTable, type DataTableColumn } from "../../ui/DataTable.tsx";
import { ErrorMessage } from "../../ui/ErrorMessage.tsx";
import { ErrorSummary, type FormError } from "../../ui/ErrorSummary.tsx";
import { FormField } from "../../ui/FormField.tsx";
import { LoadingStatus } from "../../ui/LoadingStatus.tsx";
import { Pagination } from "../../ui/Pagination.tsx";
import { useAccountData } from "../accounts/use-account-data.ts";

const PAGE_SIZE = 50;
const FILTERS = ["action", "acteur", "depuis", "jusqua"] as const;

const columns: DataTableColumn<EntreeJournal>[] = [
  {
    header: "Date",
    rowHeader: true,
    cell: (row) => (
      <time dateTime={row.quand} className="horodatage">
        {formatDateTime(row.quand)}
      </time>
    ),
  },
  { header: "Acteur", cell: (row) => <span className="coupable">{row.acteur}</span> },
  { header: "Action", cell: (row) => <code>{row.action}</code> },
  { header: "Cible", cell: (row) => row.cible || <span className="texte-discret">—</span> },
  {
    header: "Résultat",
    cell: (row) =>
      row.resultat === "succes" ? (
        <span className="etiquette etiquette--succes">Succès</span>
      ) : (
        <span className="etiquette etiquette--echec">Échec</span>
      ),
  },
  { header: "Adresse IP", cell: (row) => row.ip || <span className="texte-discret">—</span> },
  { header: "Détails", cell: (row) => formatDetails(row.details) },
];

function formatDetails(details: Record<string, unknown>) {
  const entries = Object.entries(details ?? {});
  if (entries.length === 0) return <span className="texte-discret">—</span>;
  return entries
    .map(([key, value]) => `${key} : ${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(", ");
}

/** /admin/journal: the audit log (admins, agents), filtered by action, actor and dates, paged, as CSV too. */
export function AuditLogPage() {
  useDocumentTitle("Journal d'audit");
  const [searchParams, setSearchParams] = useSearchParams();
  const filters: JournalFiltres = {};
  for (const name of FILTERS) {
    const value = searchParams.get(name);
    if (value) filters[name] = value;
  }
  const pageNumber = Math.max(1, Number.parseInt(searchParams.get("page") ?? "1", 10) || 1);
  const offset = (pageNumber - 1) * PAGE_SIZE;
  const key = accountsApi.journalUrl(filters, { limit: PAGE_SIZE, offset });
  const page = useAccountData(key, () => accountsApi.journal(filters, { limit: PAGE_SIZE, offset }));

  const [draft, setDraft] = useState<Required<JournalFiltres>>({
    action: filters.action ?? "",
    acteur: filters.acteur ?? "",
    depuis: filters.depuis ?? "",
    jusqua: filters.jusqua ?? "",
  });
  const [errors, setErrors] = useState<FormError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const update = (name: keyof JournalFiltres) => (value: string) => setDraft((d) => ({ ...d, [name]: value }));

  const apply = (event: FormEvent) => {
    event.preventDefault();
    if (draft.depuis && draft.jusqua && draft.depuis > draft.jusqua) {
      setErrors([{ fieldId: "journal-jusqua", message: "La date de fin doit être postérieure à la date de début." }]);
      setAttempt((n) => n + 1);
      return;
    }
    setErrors([]);
    const next = new URLSearchParams();
    for (const name of FILTERS) {
      const value = draft[name].trim();
      if (value) next.set(name, value);
    }
    setSearchParams(next);
  };

  const reset = () => {
    setDraft({ action: "", acteur: "", depuis: "", jusqua: "" });
    setErrors([]);
    setSearchParams(new URLSearchParams());
  };

  const filtered = Object.keys(filters).length > 0;

  return (
    <div className="page-admin">
      <h1>Journal d'audit</h1>
      <p className="chapo">
        Qui a fait quoi, quand et d'où : connexions, gestion des comptes et des clés d'API, imports de données.
      </p>

      <section aria-labelledby="titre-filtres" className="filtres">
        <h2 id="titre-filtres">Filtrer le journal</h2>
        <ErrorSummary errors={errors} attempt={attempt} />
        <form className="filtres__formulaire" onSubmit={apply} noValidate aria-label="Filtres du journal">
          <FormField
            id="journal-action"
            label="Action"
            hint="Action exacte (connexion, deconnexion…) ou début suivi de * (cle.*)"
            value={draft.action}
            onChange={update("action")}
            spellCheck={false}
          />
          <FormField
            id="journal-acteur"
            label="Acteur"
            hint="Tout ou partie de l'adresse e-mail ou du préfixe de clé"
            value={draft.acteur}
            onChange={update("acteur")}
            spellCheck={false}
          />
          <FormField
            id="journal-depuis"
            label="Depuis le"
            type="date"
            value={draft.depuis}
            onChange={update("depuis")}
          />
          <FormField
            id="journal-jusqua"
            label="Jusqu'au"
            type="date"
            value={draft.jusqua}
            onChange={update("jusqua")}
            error={errors.find((e) => e.fieldId === "journal-jusqua")?.message}
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

      <section aria-labelledby="titre-entrees">
        <h2 id="titre-entrees">Entrées du journal</h2>
        {page.status === "loading" && <LoadingStatus />}
        {page.status === "error" && (
          <ErrorMessage title="Le journal n'a pas pu être chargé." error={page.error} onRetry={page.retry} />
        )}
        {page.status === "success" && (
          <>
            <p role="status" className="compte-resultats">
              {page.data.total === 0
                ? filtered
                  ? "Aucune entrée ne correspond à ces filtres."
                  : "Le journal est vide."
                : `Entrées ${formatInteger(offset + 1)} à ${formatInteger(offset + page.data.results.length)} sur ${formatInteger(page.data.total)}${filtered ? " (filtrées)" : ""}`}
            </p>
            {page.data.results.length > 0 && (
              <DataTable
                caption={`Journal d'audit${filtered ? " filtré" : ""}, page ${pageNumber}`}
                columns={columns}
                rows={page.data.results}
                rowKey={(row) => row.id}
                csvUrl={accountsApi.journalCsvUrl(filters)}
                footer={
                  <Pagination
                    label="Pages du journal"
                    pageNumber={pageNumber}
                    pageSize={PAGE_SIZE}
                    total={page.data.total}
                  />
                }
              />
            )}
          </>
        )}
      </section>
    </div>
  );
}
