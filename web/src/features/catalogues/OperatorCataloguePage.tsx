import { type FormEvent, useCallback, useRef, useState } from "react";
import { Link, useParams } from "react-router";
import { ApiError } from "../../app/api-client.ts";
import { plural } from "../../app/format.ts";
import { useAsync } from "../../app/use-async.ts";
import { useDocumentTitle } from "../../app/use-document-title.ts";
import { ConfirmDialog } from "../../ui/ConfirmDialog.tsx";
import { ErrorMessage } from "../../ui/ErrorMessage.tsx";
import { ErrorSummary, type FormError } from "../../ui/ErrorSummary.tsx";
import { FormField, SelectField } from "../../ui/FormField.tsx";
import { LoadingStatus } from "../../ui/LoadingStatus.tsx";
import { hasRole } from "../accounts/roles.ts";
import { useSession } from "../accounts/session-context.tsx";
import {
  cataloguesApi,
  FAMILLES,
  type Famille,
  formatDate,
  type NouvelleVersionBody,
  type OffreDuCatalogue,
  type ProblemeCatalogue,
  type VersionResume,
} from "./catalogues-api.ts";
import "./catalogues.css";

/** An offer row of the form: text as typed; converted on submission. */
interface OfferDraft {
  key: number;
  code: string;
  nom: string;
  famille: Famille;
  debitDescendantMbps: string;
  debitMontantMbps: string;
  debitGarantiMbps: string;
  symetrique: boolean;
  gtrHeures: string;
  gtrLabel: string;
  disponibilitePct: string;
  fraisAccesHt: string;
  mensuelHt: string;
  engagementMois: string;
  delaiLivraisonJours: string;
  options: string;
  surDevis: boolean;
  raison: string;
}

let nextKey = 1;
const emptyOffer = (): OfferDraft => ({
  key: nextKey++,
  code: "",
  nom: "",
  famille: "ftto",
  debitDescendantMbps: "",
  debitMontantMbps: "",
  debitGarantiMbps: "",
  symetrique: false,
  gtrHeures: "",
  gtrLabel: "",
  disponibilitePct: "",
  fraisAccesHt: "",
  mensuelHt: "",
  engagementMois: "",
  delaiLivraisonJours: "",
  options: "",
  surDevis: false,
  raison: "",
});

const text = (value: number | null) => (value === null ? "" : String(value).replace(".", ","));
function draftOf(o: OffreDuCatalogue): OfferDraft {
  return {
    key: nextKey++,
    code: o.code,
    nom: o.nom,
    famille: o.famille,
    debitDescendantMbps: text(o.debitDescendantMbps),
    debitMontantMbps: text(o.debitMontantMbps),
    debitGarantiMbps: text(o.debitGarantiMbps),
    symetrique: o.symetrique,
    gtrHeures: text(o.gtrHeures),
    gtrLabel: o.gtrLabel ?? "",
    disponibilitePct: text(o.disponibilitePct),
    fraisAccesHt: text(o.fraisAccesHt),
    mensuelHt: text(o.mensuelHt),
    engagementMois: String(o.engagementMois),
    delaiLivraisonJours: text(o.delaiLivraisonJours),
    options: o.options.map((x) => `${x.nom}=${x.mensuelHt === null ? "sur devis" : text(x.mensuelHt)}`).join("|"),
    surDevis: o.surDevis,
    raison: o.raison ?? "",
  };
}

type NumberField =
  | "debitDescendantMbps"
  | "debitMontantMbps"
  | "debitGarantiMbps"
  | "gtrHeures"
  | "disponibilitePct"
  | "fraisAccesHt"
  | "mensuelHt"
  | "engagementMois"
  | "delaiLivraisonJours";

const NUMBER_FIELDS: { field: NumberField; label: string; hint?: string; integer?: boolean }[] = [
  { field: "debitDescendantMbps", label: "Débit crête descendant (Mbit/s)" },
  { field: "debitMontantMbps", label: "Débit crête montant (Mbit/s)" },
  { field: "debitGarantiMbps", label: "Débit garanti (Mbit/s)", hint: "Vide : au mieux" },
  { field: "gtrHeures", label: "GTR (heures)", hint: "Vide : aucune" },
  { field: "disponibilitePct", label: "Disponibilité (%)" },
  { field: "fraisAccesHt", label: "Frais d'accès (€ HT)", hint: "Vide seulement sur devis" },
  { field: "mensuelHt", label: "Prix mensuel (€ HT)", hint: "Vide seulement sur devis" },
  { field: "engagementMois", label: "Engagement (mois)", integer: true },
  { field: "delaiLivraisonJours", label: "Délai de livraison (jours)", integer: true },
];
const REQUIRED: NumberField[] = ["debitDescendantMbps", "debitMontantMbps", "engagementMois"];

const fieldId = (key: number, field: string) => `offre-${key}-${field}`;

function parseNumber(value: string): number | null | undefined {
  const cleaned = value.replace(/[\s\u00a0\u202f€]/g, "").replace(",", ".");
  if (cleaned === "") return null;
  return /^-?\d+(\.\d+)?$/.test(cleaned) ? Number(cleaned) : undefined;
}

/** Converts the form; returns the body, or the errors to show (each linked to its field). */
function toBody(
  head: { version: string; valideDu: string; valideAu: string; note: string },
  offers: OfferDraft[],
): { body?: NouvelleVersionBody; errors: FormError[] } {
  const errors: FormError[] = [];
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,29}$/.test(head.version.trim())) {
    errors.push({
      fieldId: "version-libelle",
      message: "Libellé de version : 1 à 30 lettres, chiffres, « . », « _ » ou « - ».",
    });
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(head.valideDu))
    errors.push({ fieldId: "version-du", message: "Indiquez la date de début de validité." });
  if (head.valideAu && head.valideAu <= head.valideDu) {
    errors.push({ fieldId: "version-au", message: "La date de fin doit suivre la date de début." });
  }
  if (offers.length === 0) errors.push({ message: "Ajoutez au moins une offre." });
  const offres = offers.map((o, i) => {
    const n = i + 1;
    if (!o.code.trim()) errors.push({ fieldId: fieldId(o.key, "code"), message: `Offre ${n} : indiquez un code.` });
    if (!o.nom.trim()) errors.push({ fieldId: fieldId(o.key, "nom"), message: `Offre ${n} : indiquez un nom.` });
    const numbers: Partial<Record<NumberField, number | null>> = {};
    for (const { field, label, integer } of NUMBER_FIELDS) {
      const value = parseNumber(o[field]);
      const id = fieldId(o.key, field);
      if (value === undefined || (integer && value !== null && !Number.isInteger(value))) {
        errors.push({ fieldId: id, message: `Offre ${n} : ${label} doit être un nombre${integer ? " entier" : ""}.` });
      } else if (
        value === null &&
        (REQUIRED.includes(field) || (!o.surDevis && (field === "fraisAccesHt" || field === "mensuelHt")))
      ) {
        errors.push({
          fieldId: id,
          message: `Offre ${n} : ${label} est obligatoire${field.endsWith("Ht") ? " (sauf offre sur devis)" : ""}.`,
        });
      } else numbers[field] = value;
    }
    const options = o.options
      .split("|")
      .map((item) => item.trim())
      .filter(Boolean)
      .map((item) => {
        const at = item.lastIndexOf("=");
        const nom = (at < 0 ? item : item.slice(0, at)).trim();
        const price = at < 0 ? "" : item.slice(at + 1).trim();
        const mensuelHt = /^sur devis$/i.test(price) ? null : parseNumber(price);
        if (mensuelHt === undefined || !nom) {
          errors.push({
            fieldId: fieldId(o.key, "options"),
            message: `Offre ${n} : options au format « nom=prix|nom=sur devis ».`,
          });
        }
        return { nom, mensuelHt: mensuelHt ?? null };
      });
    return {
      code: o.code.trim(),
      nom: o.nom.trim(),
      famille: o.famille,
      debitDescendantMbps: numbers.debitDescendantMbps ?? 0,
      debitMontantMbps: numbers.debitMontantMbps ?? 0,
      debitGarantiMbps: numbers.debitGarantiMbps ?? null,
      symetrique: o.symetrique,
      gtrHeures: numbers.gtrHeures ?? null,
      gtrLabel: o.gtrLabel.trim() || null,
      disponibilitePct: numbers.disponibilitePct ?? null,
      fraisAccesHt: numbers.fraisAccesHt ?? null,
      mensuelHt: numbers.mensuelHt ?? null,
      engagementMois: numbers.engagementMois ?? 0,
      delaiLivraisonJours: numbers.delaiLivraisonJours ?? null,
      options,
      surDevis: o.surDevis,
      raison: o.raison.trim() || null,
    };
  });
  if (errors.length > 0) return { errors };
  return {
    errors,
    body: {
      version: head.version.trim(),
      valideDu: head.valideDu,
      valideAu: head.valideAu || null,
      note: head.note.trim() || null,
      offres,
    },
  };
}

const HEAD_FIELDS: Record<string, string> = {
  version: "version-libelle",
  valideDu: "version-du",
  valideAu: "version-au",
  note: "version-note",
};

/** The API's problems, linked to the form's fields where it can tell which. */
function serverErrors(error: unknown, offers: OfferDraft[]): FormError[] {
  if (!(error instanceof ApiError)) return [{ message: String(error) }];
  const problems = (error.body?.erreurs as ProblemeCatalogue[] | undefined) ?? [];
  if (problems.length === 0) return [{ message: error.message }];
  return problems.map((p) => {
    const offer = p.offre === undefined ? undefined : offers[p.offre];
    const id = offer ? fieldId(offer.key, p.champ) : HEAD_FIELDS[p.champ];
    return id && document.getElementById(id) ? { fieldId: id, message: p.message } : { message: p.message };
  });
}

/** /operateur/catalogues/:reseau: a network's operator publishes a new version (form or file), removes a future one. */
export function OperatorCataloguePage() {
  const { reseau = "" } = useParams();
  const { user } = useSession();
  const allowed = hasRole(user, []) || !!user?.roles.some((g) => g.role === "operateur" && g.perimetre === reseau);
  const [reload, setReload] = useState(0);
  const network = useAsync(
    `reseau:${reseau}:${reload}`,
    useCallback(() => cataloguesApi.network(reseau), [reseau]),
  );
  const title =
    network.status === "success" ? `Publier le catalogue de ${network.data.reseauNom}` : "Publier un catalogue";
  useDocumentTitle(title);
  const [published, setPublished] = useState<string | null>(null);
  const onPublished = (version: string) => {
    setPublished(version);
    setReload((n) => n + 1);
  };

  if (!allowed) {
    return (
      <div className="message-erreur" role="alert">
        <p className="message-erreur__titre">Accès refusé</p>
        <p>Vous n'êtes pas opérateur du réseau {reseau}.</p>
      </div>
    );
  }
  if (network.status === "loading" && reload === 0) return <LoadingStatus />;
  if (network.status === "error") {
    return <ErrorMessage title="Ce réseau n'a pas pu être chargé" error={network.error} onRetry={network.retry} />;
  }
  const versions = network.status === "success" ? network.data.versions : [];
  const current = versions.find((v) => v.statut === "en_vigueur");
  return (
    <div className="catalogues">
      <p>
        <Link to={`/catalogues/${encodeURIComponent(reseau)}`}>Catalogue publié du réseau</Link>
      </p>
      <h1>{title}</h1>
      <p className="chapo">
        Une nouvelle version commence aujourd'hui ou plus tard ; si elle commence pendant la version en vigueur sans
        date de fin, celle-ci s'arrête la veille. Une version en vigueur ne se modifie plus.
      </p>
      <div role="status" aria-live="polite">
        {published && (
          <div className="avis avis--succes">
            <p>
              Version {published} publiée.{" "}
              <Link to={`/catalogues/${encodeURIComponent(reseau)}?version=${encodeURIComponent(published)}`}>
                Voir ses offres
              </Link>
            </p>
          </div>
        )}
      </div>
      <FutureVersions
        reseau={reseau}
        versions={versions.filter((v) => v.modifiable)}
        onRemoved={() => setReload((n) => n + 1)}
      />
      <VersionForm reseau={reseau} current={current} onPublished={onPublished} />
      <ImportForm reseau={reseau} onPublished={onPublished} />
    </div>
  );
}

function FutureVersions({
  reseau,
  versions,
  onRemoved,
}: {
  reseau: string;
  versions: VersionResume[];
  onRemoved: () => void;
}) {
  const [removing, setRemoving] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  if (versions.length === 0) return null;
  return (
    <section aria-labelledby="a-venir-titre">
      <h2 id="a-venir-titre">Versions à venir</h2>
      {error && <ErrorMessage title="La version n'a pas pu être supprimée" error={error} />}
      <ul>
        {versions.map((v) => (
          <li key={v.version}>
            Version {v.version}, à partir du {formatDate(v.valideDu)} ({plural(v.nbOffres, "offre", "offres")}){" "}
            <button
              type="button"
              className="bouton bouton--danger bouton--petit"
              onClick={() => setRemoving(v.version)}
            >
              Supprimer<span className="visuellement-masque"> la version {v.version}</span>
            </button>
          </li>
        ))}
      </ul>
      <ConfirmDialog
        isOpen={removing !== null}
        title={`Supprimer la version ${removing ?? ""} ?`}
        confirmLabel="Supprimer"
        pending={pending}
        onCancel={() => setRemoving(null)}
        onConfirm={() => {
          if (!removing) return;
          setPending(true);
          cataloguesApi.remove(reseau, removing).then(
            () => {
              setPending(false);
              setRemoving(null);
              setError(null);
              onRemoved();
            },
            (e: unknown) => {
              setPending(false);
              setRemoving(null);
              setError(e instanceof Error ? e : new Error(String(e)));
            },
          );
        }}
      >
        <p>La version précédente reprendra à sa place.</p>
      </ConfirmDialog>
    </section>
  );
}

function VersionForm({
  reseau,
  current,
  onPublished,
}: {
  reseau: string;
  current: VersionResume | undefined;
  onPublished: (version: string) => void;
}) {
  const [head, setHead] = useState({ version: "", valideDu: "", valideAu: "", note: "" });
  const [offers, setOffers] = useState<OfferDraft[]>(() => [emptyOffer()]);
  const [errors, setErrors] = useState<FormError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [pending, setPending] = useState(false);
  const [announce, setAnnounce] = useState("");
  const formRef = useRef<HTMLFormElement>(null);
  const errorOf = (id: string) => errors.find((e) => e.fieldId === id)?.message;
  const update = (key: number, patch: Partial<OfferDraft>) =>
    setOffers((list) => list.map((o) => (o.key === key ? { ...o, ...patch } : o)));
  const focusLater = (id: string) => setTimeout(() => document.getElementById(id)?.focus(), 0);

  const addOffer = () => {
    const offer = emptyOffer();
    setOffers((list) => [...list, offer]);
    setAnnounce(`Offre ${offers.length + 1} ajoutée`);
    focusLater(fieldId(offer.key, "code"));
  };
  const removeOffer = (key: number, index: number) => {
    setOffers((list) => list.filter((o) => o.key !== key));
    setAnnounce(`Offre ${index + 1} retirée`);
    focusLater("ajouter-offre");
  };
  const copyCurrent = async () => {
    if (!current) return;
    const detail = await cataloguesApi.version(reseau, current.version);
    setOffers(detail.offres.map(draftOf));
    setAnnounce(`${detail.offres.length} offres reprises de la version ${current.version}`);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const { body, errors: found } = toBody(head, offers);
    setAttempt((n) => n + 1);
    setErrors(found);
    if (!body) return;
    setPending(true);
    try {
      const created = await cataloguesApi.create(reseau, body);
      setHead({ version: "", valideDu: "", valideAu: "", note: "" });
      setOffers([emptyOffer()]);
      onPublished(created.version);
    } catch (error) {
      setErrors(serverErrors(error, offers));
    } finally {
      setPending(false);
    }
  };

  return (
    <section aria-labelledby="formulaire-titre">
      <h2 id="formulaire-titre">Nouvelle version, offre par offre</h2>
      <ErrorSummary errors={errors} attempt={attempt} />
      <form ref={formRef} className="formulaire catalogues__formulaire" onSubmit={submit} noValidate>
        <div className="catalogues__grille">
          <FormField
            id="version-libelle"
            label="Libellé de la version"
            hint="Par exemple 2027 ou 2027.1"
            value={head.version}
            onChange={(version) => setHead((h) => ({ ...h, version }))}
            error={errorOf("version-libelle")}
            required
          />
          <FormField
            id="version-du"
            type="date"
            label="Valable à partir du"
            value={head.valideDu}
            onChange={(valideDu) => setHead((h) => ({ ...h, valideDu }))}
            error={errorOf("version-du")}
            required
          />
          <FormField
            id="version-au"
            type="date"
            label="Jusqu'au (exclu, facultatif)"
            hint="Vide : sans date de fin"
            value={head.valideAu}
            onChange={(valideAu) => setHead((h) => ({ ...h, valideAu }))}
            error={errorOf("version-au")}
          />
          <FormField
            id="version-note"
            label="Note (facultative)"
            value={head.note}
            onChange={(note) => setHead((h) => ({ ...h, note }))}
            error={errorOf("version-note")}
          />
        </div>
        {current && (
          <p>
            <button type="button" className="bouton bouton--secondaire" onClick={() => void copyCurrent()}>
              Reprendre les offres de la version en vigueur ({current.version})
            </button>
          </p>
        )}
        {offers.map((o, i) => (
          <fieldset key={o.key} className="catalogues__offre">
            <legend>Offre {i + 1}</legend>
            <div className="catalogues__grille">
              <FormField
                id={fieldId(o.key, "code")}
                label="Code"
                hint="Unique dans la version, ex. FTTO-100"
                value={o.code}
                onChange={(code) => update(o.key, { code })}
                error={errorOf(fieldId(o.key, "code"))}
              />
              <FormField
                id={fieldId(o.key, "nom")}
                label="Nom"
                value={o.nom}
                onChange={(nom) => update(o.key, { nom })}
                error={errorOf(fieldId(o.key, "nom"))}
              />
              <SelectField
                id={fieldId(o.key, "famille")}
                label="Famille"
                value={o.famille}
                onChange={(famille) => update(o.key, { famille: famille as Famille })}
                options={FAMILLES}
              />
              {NUMBER_FIELDS.map(({ field, label, hint }) => (
                <FormField
                  key={field}
                  id={fieldId(o.key, field)}
                  label={label}
                  hint={hint}
                  inputMode="decimal"
                  value={o[field]}
                  onChange={(value) => update(o.key, { [field]: value })}
                  error={errorOf(fieldId(o.key, field))}
                />
              ))}
              <FormField
                id={fieldId(o.key, "gtrLabel")}
                label="Libellé de la GTR"
                hint="Ex. 4 h ouvrées"
                value={o.gtrLabel}
                onChange={(gtrLabel) => update(o.key, { gtrLabel })}
              />
              <FormField
                id={fieldId(o.key, "options")}
                label="Options"
                hint="nom=prix mensuel, séparées par « | » ; « sur devis » possible"
                value={o.options}
                onChange={(options) => update(o.key, { options })}
                error={errorOf(fieldId(o.key, "options"))}
              />
              <FormField
                id={fieldId(o.key, "raison")}
                label="Raison du devis"
                hint="Pour une offre sur devis"
                value={o.raison}
                onChange={(raison) => update(o.key, { raison })}
              />
              <div className="choix">
                <input
                  type="checkbox"
                  id={fieldId(o.key, "symetrique")}
                  checked={o.symetrique}
                  onChange={(event) => update(o.key, { symetrique: event.target.checked })}
                />
                <label htmlFor={fieldId(o.key, "symetrique")}>Débit symétrique</label>
              </div>
              <div className="choix">
                <input
                  type="checkbox"
                  id={fieldId(o.key, "surDevis")}
                  checked={o.surDevis}
                  onChange={(event) => update(o.key, { surDevis: event.target.checked })}
                />
                <label htmlFor={fieldId(o.key, "surDevis")}>Sur devis (prix après étude)</label>
              </div>
            </div>
            <button
              type="button"
              className="bouton bouton--secondaire bouton--petit"
              onClick={() => removeOffer(o.key, i)}
              disabled={offers.length === 1}
            >
              Retirer l'offre {i + 1}
            </button>
          </fieldset>
        ))}
        <p className="visuellement-masque" role="status" aria-live="polite">
          {announce}
        </p>
        <p>
          <button type="button" id="ajouter-offre" className="bouton bouton--secondaire" onClick={addOffer}>
            Ajouter une offre
          </button>
        </p>
        <button type="submit" className="bouton" disabled={pending}>
          {pending ? "Publication…" : "Publier la version"}
        </button>
      </form>
    </section>
  );
}

function ImportForm({ reseau, onPublished }: { reseau: string; onPublished: (version: string) => void }) {
  const [fields, setFields] = useState({ version: "", valideDu: "", valideAu: "" });
  const [file, setFile] = useState<File | null>(null);
  const [errors, setErrors] = useState<FormError[]>([]);
  const [report, setReport] = useState<ProblemeCatalogue[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [pending, setPending] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: FormError[] = [];
    if (!file) found.push({ fieldId: "import-fichier", message: "Choisissez un fichier CSV ou JSON." });
    const json = !!file && /\.json$/i.test(file.name);
    if (!json && !fields.version.trim())
      found.push({ fieldId: "import-version", message: "Indiquez le libellé de la version." });
    if (!json && !fields.valideDu)
      found.push({ fieldId: "import-du", message: "Indiquez la date de début de validité." });
    setAttempt((n) => n + 1);
    setErrors(found);
    setReport([]);
    if (found.length > 0 || !file) return;
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) if (value) form.append(name, value.trim());
    form.append("fichier", file, file.name);
    setPending(true);
    try {
      const created = await cataloguesApi.import(reseau, form);
      setFields({ version: "", valideDu: "", valideAu: "" });
      setFile(null);
      if (fileRef.current) fileRef.current.value = "";
      onPublished(created.version);
    } catch (error) {
      const problems =
        error instanceof ApiError ? ((error.body?.erreurs as ProblemeCatalogue[] | undefined) ?? []) : [];
      setReport(problems);
      setErrors([{ message: error instanceof Error ? error.message : String(error) }]);
    } finally {
      setPending(false);
    }
  };

  return (
    <section aria-labelledby="import-titre">
      <h2 id="import-titre">Nouvelle version depuis un fichier</h2>
      <p>
        CSV (séparateur « ; », « , » ou tabulation) dans les colonnes du fichier d'une version (téléchargez celui de la
        version en vigueur comme modèle), ou JSON. Tout ou rien : au moindre problème, rien n'est enregistré et chaque
        ligne en cause est citée.
      </p>
      <ErrorSummary title="L'import est refusé" errors={errors} attempt={attempt} />
      {report.length > 0 && (
        <div className="catalogues__rapport">
          <h3>Problèmes du fichier</h3>
          <ul>
            {report.map((p) => (
              <li key={`${p.ligne ?? ""}-${p.champ}-${p.message}`}>
                {p.ligne !== undefined ? `Ligne ${p.ligne}, colonne ${p.champ} : ` : `${p.champ} : `}
                {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <form className="formulaire" onSubmit={submit} noValidate>
        <div className="champ">
          <label htmlFor="import-fichier" className="champ__libelle">
            Fichier (CSV ou JSON, 2 Mo au plus)
          </label>
          {errors.find((e) => e.fieldId === "import-fichier") && (
            <p id="import-fichier-erreur" className="champ__erreur">
              <span className="visuellement-masque">Erreur : </span>Choisissez un fichier CSV ou JSON.
            </p>
          )}
          <input
            ref={fileRef}
            id="import-fichier"
            type="file"
            accept=".csv,.json,text/csv,application/json"
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
            aria-describedby={errors.find((e) => e.fieldId === "import-fichier") ? "import-fichier-erreur" : undefined}
          />
        </div>
        <div className="catalogues__grille">
          <FormField
            id="import-version"
            label="Libellé de la version"
            hint="Facultatif pour un JSON qui le donne"
            value={fields.version}
            onChange={(version) => setFields((f) => ({ ...f, version }))}
            error={errors.find((e) => e.fieldId === "import-version")?.message}
          />
          <FormField
            id="import-du"
            type="date"
            label="Valable à partir du"
            value={fields.valideDu}
            onChange={(valideDu) => setFields((f) => ({ ...f, valideDu }))}
            error={errors.find((e) => e.fieldId === "import-du")?.message}
          />
          <FormField
            id="import-au"
            type="date"
            label="Jusqu'au (exclu, facultatif)"
            value={fields.valideAu}
            onChange={(valideAu) => setFields((f) => ({ ...f, valideAu }))}
          />
        </div>
        <button type="submit" className="bouton" disabled={pending}>
          {pending ? "Import…" : "Importer la version"}
        </button>
      </form>
    </section>
  );
}
