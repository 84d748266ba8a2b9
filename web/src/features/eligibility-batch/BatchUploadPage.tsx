import { type FormEvent, useId, useState } from "react";
import { Link, useNavigate } from "react-router";
import { ApiError } from "../../app/api-client.ts";
import { useDocumentTitle } from "../../app/use-document-title.ts";
import { DataTable } from "../../ui/DataTable.tsx";
import { ErrorMessage } from "../../ui/ErrorMessage.tsx";
import { ErrorSummary, type FormError } from "../../ui/ErrorSummary.tsx";
import { FieldFrame, FormField, SelectField, type SelectOption } from "../../ui/FormField.tsx";
import { batchApi } from "./batch-api.ts";
import { type CsvPreview, guessColumns, previewCsv } from "./csv-preview.ts";
import "./eligibility-batch.css";

type Mode = "adresse" | "id" | "position";
const MAX_BYTES = 20 * 1024 * 1024;
/** Header columns with a unique key and a label (duplicate or empty names happen in real files). */
function headerColumns(header: string[]) {
  return header.map((name, position) => ({
    name,
    key: header.indexOf(name) === position ? `c:${name}` : `c:${name}:${position}`,
    label: name || `(colonne ${position + 1} sans nom)`,
  }));
}

const SEPARATOR_NAMES: Record<string, string> = {
  ";": "point-virgule",
  ",": "virgule",
  "\t": "tabulation",
  "|": "barre verticale",
};

/** The header as drop-down options, with "(aucune)" first when the column is optional. */
function columnOptions(header: string[], optional = false): SelectOption[] {
  const columns = headerColumns(header).map(({ name, key, label }) => ({ value: name, label, key }));
  return optional ? [{ value: "", label: "(aucune)" }, ...columns] : columns;
}

/** Businesses: upload a CSV of sites, choose how each site is found, start the background job. */
export function BatchUploadPage() {
  useDocumentTitle("Éligibilité de plusieurs sites");
  const navigate = useNavigate();
  const ids = useId();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<CsvPreview | null>(null);
  const [mode, setMode] = useState<Mode>("adresse");
  const [adresse, setAdresse] = useState<string[]>([]);
  const [postcode, setPostcode] = useState("");
  const [citycode, setCitycode] = useState("");
  const [idColumn, setIdColumn] = useState("");
  const [lat, setLat] = useState("");
  const [lon, setLon] = useState("");
  const [date, setDate] = useState("");
  const [errors, setErrors] = useState<FormError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<Error | null>(null);

  const fileId = `${ids}-fichier`;
  const columnsId = `${ids}-colonnes`;
  const fieldError = (fieldId: string) => errors.find((e) => e.fieldId === fieldId)?.message;

  const choose = async (chosen: File | null) => {
    setFile(chosen);
    setPreview(null);
    setFailure(null);
    if (!chosen) return;
    // A file is chosen: the summary of the previous attempt no longer applies.
    setErrors([]);
    // Only the head is read: enough for the header and five lines, whatever the file's size.
    const head = new Uint8Array(await chosen.slice(0, 64 * 1024).arrayBuffer());
    const read = previewCsv(head);
    setPreview(read);
    const guess = guessColumns(read.header);
    setMode(guess.mode);
    setAdresse(guess.adresse);
    setPostcode(guess.postcode);
    setCitycode(guess.citycode);
    setIdColumn(guess.id);
    setLat(guess.lat);
    setLon(guess.lon);
  };

  const validate = (): FormError[] => {
    const found: FormError[] = [];
    if (!file) found.push({ fieldId: fileId, message: "Choisissez le fichier CSV de vos sites." });
    else if (file.size === 0) found.push({ fieldId: fileId, message: "Le fichier choisi est vide." });
    else if (file.size > MAX_BYTES)
      found.push({ fieldId: fileId, message: "Le fichier dépasse 20 Mio : découpez-le." });
    if (file && preview && mode === "adresse" && adresse.length === 0) {
      found.push({ fieldId: columnsId, message: "Cochez au moins une colonne qui forme l'adresse." });
    }
    if (mode === "position" && lat && lat === lon) {
      found.push({
        fieldId: `${ids}-lon`,
        message: "La latitude et la longitude doivent être deux colonnes différentes.",
      });
    }
    return found;
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = validate();
    setErrors(found);
    setAttempt((n) => n + 1);
    if (found.length > 0 || !file) return;
    const form = new FormData();
    if (mode === "adresse") {
      for (const column of adresse) form.append("adresse", column);
      if (postcode) form.append("postcode", postcode);
      if (citycode) form.append("citycode", citycode);
    } else if (mode === "id") {
      form.append("id", idColumn);
    } else {
      form.append("lat", lat);
      form.append("lon", lon);
    }
    if (preview) form.append("separateur", preview.separator === "\t" ? "tab" : preview.separator);
    if (date) form.append("date", date);
    form.append("fichier", file, file.name);
    setSending(true);
    setFailure(null);
    try {
      const job = await batchApi.create(form);
      navigate(`/eligibilite/lots/${job.id}`);
    } catch (error) {
      setFailure(error instanceof Error ? error : new Error(String(error)));
      setSending(false);
    }
  };

  const header = preview?.header ?? [];
  // The preview table keys its columns by header text: duplicate names get their position.
  const previewColumns = headerColumns(header).map((column, i) => ({
    header: column.key === `c:${column.name}` ? column.label : `${column.label} (${i + 1})`,
    cell: (row: string[]) => row[i] ?? "",
  }));

  return (
    <>
      <h1>Éligibilité de plusieurs sites</h1>
      <p>
        Vous avez plusieurs sites (agences, magasins, antennes…) ? Déposez un fichier CSV avec une ligne par site : pour
        chacun, vous obtenez l'adresse retrouvée, la fibre (ouverte ou sa date prévue), les autres technologies avec
        leur débit, et les meilleures offres professionnelles des réseaux publics (prix, débit garanti, délai de
        rétablissement). Jusqu'à 100 000 sites ; résultats en CSV et en tableur (XLSX).
      </p>
      <p>
        Un seul site ? <Link to="/eligibilite">Vérifiez une adresse</Link>.
      </p>
      <ErrorSummary errors={errors} attempt={attempt} />
      <form className="formulaire-lot" onSubmit={submit} noValidate>
        <FieldFrame
          id={fileId}
          label="Fichier CSV de vos sites"
          hint="Première ligne : les noms des colonnes. Séparateur point-virgule, virgule ou tabulation ; encodage UTF-8 ou Windows-1252 (Excel). Au plus 100 000 lignes et 20 Mio."
          error={fieldError(fileId)}
        >
          {(describedBy) => (
            <input
              id={fileId}
              type="file"
              accept=".csv,.txt,text/csv,text/plain"
              className="champ__saisie"
              aria-describedby={describedBy}
              aria-invalid={fieldError(fileId) ? true : undefined}
              onChange={(event) => void choose(event.target.files?.[0] ?? null)}
            />
          )}
        </FieldFrame>

        {preview && (
          <>
            <p className="lot-apercu__description">
              Encodage lu : {preview.encoding === "utf-8" ? "UTF-8" : "Windows-1252"} ; séparateur :{" "}
              {SEPARATOR_NAMES[preview.separator] ?? preview.separator} ; {header.length} colonnes.
            </p>
            <DataTable
              caption={`Aperçu : les ${preview.rows.length} premières lignes de ${file?.name ?? "votre fichier"}`}
              columns={previewColumns}
              rows={preview.rows}
              rowKey={(row) => `${preview.rows.indexOf(row)}`}
            />

            <fieldset className="groupe-choix">
              <legend>Comment retrouver chaque site ?</legend>
              {(
                [
                  ["adresse", "Par son adresse (une ou plusieurs colonnes)"],
                  ["id", "Par son identifiant d'adresse BAN (clé d'interopérabilité)"],
                  ["position", "Par ses coordonnées (latitude et longitude WGS 84)"],
                ] as [Mode, string][]
              ).map(([value, label]) => (
                <label key={value} className="choix">
                  <input
                    type="radio"
                    name={`${ids}-mode`}
                    value={value}
                    checked={mode === value}
                    onChange={() => setMode(value)}
                  />
                  {label}
                </label>
              ))}
            </fieldset>

            {mode === "adresse" && (
              <>
                <fieldset
                  id={columnsId}
                  tabIndex={-1}
                  className={`groupe-choix${fieldError(columnsId) ? " groupe-choix--erreur" : ""}`}
                  aria-describedby={fieldError(columnsId) ? `${columnsId}-erreur` : undefined}
                >
                  <legend>Colonnes qui forment l'adresse (réunies dans cet ordre)</legend>
                  {fieldError(columnsId) && (
                    <p id={`${columnsId}-erreur`} className="champ__erreur">
                      <span className="visuellement-masque">Erreur : </span>
                      {fieldError(columnsId)}
                    </p>
                  )}
                  <div className="lot-colonnes">
                    {headerColumns(header).map(({ name, key, label }) => (
                      <label key={key} className="choix">
                        <input
                          type="checkbox"
                          checked={adresse.includes(name)}
                          onChange={(event) =>
                            setAdresse(
                              event.target.checked
                                ? header.filter((h) => h === name || adresse.includes(h))
                                : adresse.filter((h) => h !== name),
                            )
                          }
                        />
                        {label}
                      </label>
                    ))}
                  </div>
                </fieldset>
                <div className="lot-filtres">
                  <SelectField
                    id={`${ids}-cp`}
                    label="Colonne du code postal (facultatif, affine la recherche)"
                    value={postcode}
                    options={columnOptions(header, true)}
                    onChange={setPostcode}
                  />
                  <SelectField
                    id={`${ids}-insee`}
                    label="Colonne du code INSEE de la commune (facultatif)"
                    value={citycode}
                    options={columnOptions(header, true)}
                    onChange={setCitycode}
                  />
                </div>
              </>
            )}
            {mode === "id" && (
              <SelectField
                id={`${ids}-id`}
                label="Colonne de l'identifiant d'adresse"
                value={idColumn}
                options={columnOptions(header)}
                onChange={setIdColumn}
              />
            )}
            {mode === "position" && (
              <div className="lot-filtres">
                <SelectField
                  id={`${ids}-lat`}
                  label="Colonne de la latitude"
                  value={lat}
                  options={columnOptions(header)}
                  onChange={setLat}
                />
                <SelectField
                  id={`${ids}-lon`}
                  label="Colonne de la longitude"
                  value={lon}
                  options={columnOptions(header)}
                  onChange={setLon}
                  error={fieldError(`${ids}-lon`)}
                />
              </div>
            )}

            <FormField
              id={`${ids}-date`}
              type="date"
              label="Date de référence (facultatif)"
              hint="Les ouvertures commerciales et les catalogues d'offres en vigueur à cette date ; aujourd'hui par défaut."
              value={date}
              onChange={setDate}
            />
          </>
        )}

        {failure && (
          <ErrorMessage
            title={
              failure instanceof ApiError && failure.status === 429
                ? "Trop de fichiers déposés depuis votre adresse : réessayez dans une heure."
                : "Le fichier n'a pas été accepté."
            }
            error={failure}
          />
        )}
        <div>
          <button type="submit" className="bouton" disabled={sending}>
            {sending ? "Envoi du fichier…" : "Lancer la vérification"}
          </button>
        </div>
      </form>
    </>
  );
}
