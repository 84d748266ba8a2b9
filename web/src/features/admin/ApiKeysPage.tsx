import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { accountsApi } from "../../app/api-client.ts";
import type { Cle, CleCreee } from "../../app/api-types.ts";
import { formatDate, formatDateTime } from "../../app/format.ts";
import { useDocumentTitle } from "../../app/use-document-title.ts";
import { ConfirmDialog } from "../../ui/ConfirmDialog.tsx";
import { DataTable, type DataTableColumn } from "../../ui/DataTable.tsx";
import { ErrorMessage } from "../../ui/ErrorMessage.tsx";
import { ErrorSummary, type FormError } from "../../ui/ErrorSummary.tsx";
import { FormField } from "../../ui/FormField.tsx";
import { LoadingStatus } from "../../ui/LoadingStatus.tsx";
import { hasRole, operatorNetworks } from "../accounts/roles.ts";
import { useSession } from "../accounts/session-context.tsx";
import { errorMessage, useAccountData } from "../accounts/use-account-data.ts";

const SCOPES = [
  { scope: "eligibilite:lire", label: "Lire l'éligibilité", hint: "eligibilite:lire" },
  { scope: "territoires:lire", label: "Lire les territoires", hint: "territoires:lire" },
  {
    scope: "catalogues:ecrire",
    label: "Publier les catalogues de services de mes réseaux",
    hint: "catalogues:ecrire",
  },
  {
    scope: "anomalies:traiter",
    label: "Lire et traiter les signalements d'adresse de mes réseaux",
    hint: "anomalies:traiter",
  },
];

const networkScope = (network: string) => `reseau:${network}:ecrire`;

function keyState(cle: Cle): { label: string; detail?: string; tone: "succes" | "echec" | "neutre" } {
  if (cle.revoqueeLe) return { label: "Révoquée", detail: `le ${formatDate(cle.revoqueeLe)}`, tone: "echec" };
  if (cle.expireLe && new Date(cle.expireLe.length === 10 ? `${cle.expireLe}T23:59:59` : cle.expireLe) < new Date()) {
    return { label: "Expirée", tone: "neutre" };
  }
  return { label: "Active", tone: "succes" };
}

function tomorrow(): string {
  const date = new Date(Date.now() + 24 * 3600 * 1000);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`;
}

/** /admin/cles: API keys (all for admins, their own for operators): create, show once, revoke. */
export function ApiKeysPage() {
  useDocumentTitle("Clés d'API");
  const { user } = useSession();
  const isAdmin = hasRole(user, []);
  const [version, setVersion] = useState(0);
  const keys = useAccountData(`cles-${version}`, accountsApi.keys);
  const [created, setCreated] = useState<CleCreee | null>(null);
  const [toRevoke, setToRevoke] = useState<Cle | null>(null);
  const [revoking, setRevoking] = useState(false);
  const [notice, setNotice] = useState<string>("");
  const [revokeError, setRevokeError] = useState<string | null>(null);

  const revoke = async () => {
    if (!toRevoke) return;
    setRevoking(true);
    setRevokeError(null);
    try {
      await accountsApi.revokeKey(toRevoke.id);
      setNotice(`La clé « ${toRevoke.nom} » est révoquée : elle ne permet plus d'appeler l'API.`);
      setToRevoke(null);
      setVersion((v) => v + 1);
    } catch (error) {
      setRevokeError(errorMessage(error, "La clé n'a pas pu être révoquée."));
      setToRevoke(null);
    } finally {
      setRevoking(false);
    }
  };

  const columns: DataTableColumn<Cle>[] = [
    {
      header: "Nom et préfixe",
      rowHeader: true,
      cell: (cle) => (
        <>
          {cle.nom}
          <br />
          <code className="texte-discret">{cle.prefixe}</code>
        </>
      ),
    },
    {
      header: "Portées",
      cell: (cle) => (
        <ul className="liste-compacte">
          {cle.portees.map((portee) => (
            <li key={portee}>
              <code>{portee}</code>
            </li>
          ))}
        </ul>
      ),
    },
    ...(isAdmin
      ? [{ header: "Propriétaire", cell: (cle: Cle) => <span className="coupable">{cle.proprietaire.email}</span> }]
      : []),
    { header: "Créée le", cell: (cle) => formatDate(cle.creeLe) },
    { header: "Expire le", cell: (cle) => formatDate(cle.expireLe, "jamais") },
    { header: "Dernière utilisation", cell: (cle) => formatDateTime(cle.derniereUtilisation) },
    {
      header: "État",
      cell: (cle) => {
        const state = keyState(cle);
        return (
          <>
            <span className={`etiquette etiquette--${state.tone}`}>{state.label}</span>
            {state.detail && <span className="texte-discret"> {state.detail}</span>}
          </>
        );
      },
    },
    {
      header: "Action",
      cell: (cle) =>
        cle.revoqueeLe ? (
          <span className="texte-discret">—</span>
        ) : (
          <button
            type="button"
            className="bouton bouton--danger bouton--petit"
            onClick={() => {
              setNotice("");
              setToRevoke(cle);
            }}
          >
            Révoquer<span className="visuellement-masque"> la clé « {cle.nom} »</span>
          </button>
        ),
    },
  ];

  return (
    <div className="page-admin">
      <h1>Clés d'API</h1>
      <p className="chapo">
        {isAdmin
          ? "Les clés d'API permettent à des logiciels d'appeler l'API de la plateforme. Vous voyez les clés de toutes les personnes."
          : "Les clés d'API permettent à vos logiciels d'appeler l'API de la plateforme, par exemple pour publier les données de votre réseau."}
      </p>

      {created ? (
        <NewKeyPanel cle={created} onDone={() => setCreated(null)} />
      ) : (
        <CreateKeyForm
          isAdmin={isAdmin}
          networks={operatorNetworks(user?.roles ?? [])}
          onCreated={(cle) => {
            setNotice("");
            setCreated(cle);
            setVersion((v) => v + 1);
          }}
        />
      )}

      <section aria-labelledby="titre-liste-cles">
        <h2 id="titre-liste-cles">{isAdmin ? "Toutes les clés" : "Vos clés"}</h2>
        <div role="status">{notice && <p className="avis avis--succes">{notice}</p>}</div>
        {revokeError && <ErrorMessage title="La clé n'a pas pu être révoquée." error={new Error(revokeError)} />}
        {keys.status === "loading" && <LoadingStatus />}
        {keys.status === "error" && (
          <ErrorMessage title="Les clés n'ont pas pu être chargées." error={keys.error} onRetry={keys.retry} />
        )}
        {keys.status === "success" &&
          (keys.data.results.length === 0 ? (
            <p>Aucune clé d'API pour le moment.</p>
          ) : (
            <DataTable
              caption={isAdmin ? "Clés d'API de la plateforme" : "Vos clés d'API"}
              columns={columns}
              rows={keys.data.results}
              rowKey={(cle) => cle.id}
              csvUrl={accountsApi.keysCsvUrl()}
            />
          ))}
      </section>

      <ConfirmDialog
        isOpen={toRevoke !== null}
        title="Révoquer cette clé ?"
        confirmLabel="Révoquer la clé"
        onConfirm={() => void revoke()}
        onCancel={() => setToRevoke(null)}
        pending={revoking}
      >
        <p>
          La clé « {toRevoke?.nom} » (<code>{toRevoke?.prefixe}</code>) ne permettra plus d'appeler l'API, tout de suite
          et définitivement. Les logiciels qui l'utilisent devront recevoir une nouvelle clé.
        </p>
      </ConfirmDialog>
    </div>
  );
}

interface CreateKeyFormProps {
  isAdmin: boolean;
  /** Networks the operator may write to (its roles' perimeters). */
  networks: string[];
  onCreated: (cle: CleCreee) => void;
}

function CreateKeyForm({ isAdmin, networks, onCreated }: CreateKeyFormProps) {
  const [nom, setNom] = useState("");
  const [scopes, setScopes] = useState<Set<string>>(new Set());
  const [adminNetwork, setAdminNetwork] = useState("");
  const [expireLe, setExpireLe] = useState("");
  const [errors, setErrors] = useState<FormError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [pending, setPending] = useState(false);
  const scopesLegendId = useId();

  const toggle = (scope: string, checked: boolean) =>
    setScopes((current) => {
      const next = new Set(current);
      if (checked) next.add(scope);
      else next.delete(scope);
      return next;
    });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const portees = [...scopes];
    const network = adminNetwork.trim();
    const problems: FormError[] = [];
    if (!nom.trim()) problems.push({ fieldId: "cle-nom", message: "Donnez un nom à la clé." });
    if (network && !/^[a-z0-9][a-z0-9-]*$/i.test(network)) {
      problems.push({
        fieldId: "cle-reseau",
        message: "L'identifiant du réseau ne contient que des lettres, des chiffres et des tirets.",
      });
    } else if (network) {
      portees.push(networkScope(network));
    }
    if (portees.length === 0) {
      problems.push({ fieldId: `cle-portee-${SCOPES[0]?.scope}`, message: "Choisissez au moins une portée." });
    }
    if (expireLe && expireLe < tomorrow()) {
      problems.push({ fieldId: "cle-expiration", message: "La date d'expiration doit être dans le futur." });
    }
    if (problems.length > 0) {
      setErrors(problems);
      setAttempt((n) => n + 1);
      return;
    }
    setPending(true);
    try {
      const cle = await accountsApi.createKey({ nom: nom.trim(), portees, ...(expireLe ? { expireLe } : {}) });
      setErrors([]);
      onCreated(cle);
    } catch (error) {
      setErrors([{ message: errorMessage(error, "La clé n'a pas pu être créée.") }]);
      setAttempt((n) => n + 1);
    } finally {
      setPending(false);
    }
  };

  const scopeError = errors.find((e) => e.fieldId?.startsWith("cle-portee-"))?.message;
  const scopeErrorId = "cle-portees-erreur";

  return (
    <section aria-labelledby="titre-nouvelle-cle">
      <h2 id="titre-nouvelle-cle">Créer une clé</h2>
      <ErrorSummary errors={errors} attempt={attempt} />
      <form className="formulaire" onSubmit={submit} noValidate aria-labelledby="titre-nouvelle-cle">
        <FormField
          id="cle-nom"
          label="Nom de la clé"
          hint="Pour la reconnaître : le logiciel ou le service qui l'utilise."
          value={nom}
          onChange={setNom}
          error={errors.find((e) => e.fieldId === "cle-nom")?.message}
          maxLength={100}
          required
        />
        <fieldset
          className={`groupe-choix${scopeError ? " groupe-choix--erreur" : ""}`}
          aria-describedby={scopeError ? scopeErrorId : undefined}
        >
          <legend id={scopesLegendId}>Portées (ce que la clé permet)</legend>
          {scopeError && (
            <p id={scopeErrorId} className="champ__erreur">
              <span className="visuellement-masque">Erreur : </span>
              {scopeError}
            </p>
          )}
          {[
            ...SCOPES,
            ...networks.map((network) => ({
              scope: networkScope(network),
              label: `Publier les données du réseau ${network}`,
              hint: networkScope(network),
            })),
          ].map((option) => (
            <div className="choix" key={option.scope}>
              <input
                type="checkbox"
                id={`cle-portee-${option.scope}`}
                checked={scopes.has(option.scope)}
                onChange={(event) => toggle(option.scope, event.target.checked)}
              />
              <label htmlFor={`cle-portee-${option.scope}`}>
                {option.label} <code className="texte-discret">{option.hint}</code>
              </label>
            </div>
          ))}
          {isAdmin && (
            <FormField
              id="cle-reseau"
              label="Publier les données d'un réseau (facultatif)"
              hint="Identifiant du réseau, par exemple RIP50 : la clé aura la portée reseau:<identifiant>:ecrire."
              value={adminNetwork}
              onChange={setAdminNetwork}
              error={errors.find((e) => e.fieldId === "cle-reseau")?.message}
              spellCheck={false}
            />
          )}
        </fieldset>
        <FormField
          id="cle-expiration"
          label="Date d'expiration (facultative)"
          hint="Sans date, la clé reste valable jusqu'à sa révocation."
          type="date"
          min={tomorrow()}
          value={expireLe}
          onChange={setExpireLe}
          error={errors.find((e) => e.fieldId === "cle-expiration")?.message}
        />
        <button type="submit" className="bouton" disabled={pending}>
          {pending ? "Création…" : "Créer la clé"}
        </button>
      </form>
    </section>
  );
}

/** The new key's secret, shown once, in a read-only field with a copy button. */
function NewKeyPanel({ cle, onDone }: { cle: CleCreee; onDone: () => void }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const fieldRef = useRef<HTMLInputElement>(null);
  const [copyStatus, setCopyStatus] = useState("");
  useEffect(() => headingRef.current?.focus(), []);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(cle.cle);
      setCopyStatus("Clé copiée dans le presse-papiers.");
    } catch {
      fieldRef.current?.select();
      setCopyStatus("La copie automatique a échoué : la clé est sélectionnée, copiez-la avec Ctrl+C.");
    }
  };

  return (
    <section className="nouvelle-cle" aria-labelledby="titre-cle-creee">
      <h2 id="titre-cle-creee" tabIndex={-1} ref={headingRef}>
        Clé « {cle.nom} » créée
      </h2>
      <p className="nouvelle-cle__avertissement">
        <strong>Copiez cette clé maintenant : elle ne sera plus jamais affichée.</strong> Conservez-la comme un mot de
        passe. Si vous la perdez, révoquez-la et créez-en une autre.
      </p>
      <div className="champ">
        <label htmlFor="cle-secrete" className="champ__libelle">
          Clé d'API « {cle.nom} »
        </label>
        <div className="nouvelle-cle__ligne">
          <input
            id="cle-secrete"
            ref={fieldRef}
            className="champ__saisie nouvelle-cle__valeur"
            readOnly
            value={cle.cle}
            spellCheck={false}
            onFocus={(event) => event.target.select()}
          />
          <button type="button" className="bouton" onClick={() => void copy()}>
            Copier la clé
          </button>
        </div>
      </div>
      <p role="status" className="nouvelle-cle__statut">
        {copyStatus}
      </p>
      <button type="button" className="bouton bouton--secondaire" onClick={onDone}>
        J'ai copié la clé
      </button>
    </section>
  );
}
