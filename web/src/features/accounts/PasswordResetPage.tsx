import { type FormEvent, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { accountsApi } from "../../app/api-client.ts";
import { useDocumentTitle } from "../../app/use-document-title.ts";
import { ErrorSummary, type FormError } from "../../ui/ErrorSummary.tsx";
import { FormField } from "../../ui/FormField.tsx";

const MIN_LENGTH = 12;
const PASSWORD_ID = "nouveau-mot-de-passe";
const CONFIRMATION_ID = "nouveau-mot-de-passe-confirmation";

/** /mot-de-passe/nouveau?jeton=…: sets a new password from the link received by e-mail (or an invitation). */
export function PasswordResetPage() {
  useDocumentTitle("Choisir un nouveau mot de passe");
  const [searchParams] = useSearchParams();
  const jeton = searchParams.get("jeton") ?? "";
  const [motDePasse, setMotDePasse] = useState("");
  const [confirmation, setConfirmation] = useState("");
  const [errors, setErrors] = useState<FormError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [pending, setPending] = useState(false);
  const [done, setDone] = useState(false);

  const fail = (next: FormError[]) => {
    setErrors(next);
    setAttempt((n) => n + 1);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problems: FormError[] = [];
    if (motDePasse.length < MIN_LENGTH) {
      problems.push({
        fieldId: PASSWORD_ID,
        message: `Le mot de passe doit contenir au moins ${MIN_LENGTH} caractères (${motDePasse.length} saisis).`,
      });
    }
    if (confirmation !== motDePasse) {
      problems.push({ fieldId: CONFIRMATION_ID, message: "Les deux mots de passe saisis sont différents." });
    }
    if (problems.length > 0) return fail(problems);
    setPending(true);
    try {
      await accountsApi.setNewPassword(jeton, motDePasse);
      setErrors([]);
      setDone(true);
    } catch (error) {
      fail([{ message: error instanceof Error ? error.message : "Le mot de passe n'a pas pu être enregistré." }]);
    } finally {
      setPending(false);
    }
  };

  const fieldError = (id: string) => errors.find((e) => e.fieldId === id)?.message;

  return (
    <div className="page-connexion">
      <h1>Choisir un nouveau mot de passe</h1>
      <div role="status">
        {done && (
          <p className="avis avis--succes">
            Votre mot de passe a été enregistré. Vous pouvez maintenant vous connecter.
          </p>
        )}
      </div>
      {done ? (
        <p>
          <Link to="/connexion">Se connecter</Link>
        </p>
      ) : !jeton ? (
        <div className="message-erreur">
          <p className="message-erreur__titre">Ce lien est incomplet.</p>
          <p>
            Ouvrez le lien reçu par e-mail tel quel, ou <Link to="/mot-de-passe/oubli">demandez un nouveau lien</Link>.
          </p>
        </div>
      ) : (
        <>
          <ErrorSummary errors={errors} attempt={attempt} />
          <form className="formulaire" onSubmit={submit} noValidate>
            <FormField
              id={PASSWORD_ID}
              label="Nouveau mot de passe"
              type="password"
              autoComplete="new-password"
              hint={`Au moins ${MIN_LENGTH} caractères. Une phrase de plusieurs mots est facile à retenir et difficile à deviner.`}
              value={motDePasse}
              onChange={setMotDePasse}
              error={fieldError(PASSWORD_ID)}
              required
              minLength={MIN_LENGTH}
            />
            <FormField
              id={CONFIRMATION_ID}
              label="Confirmez le nouveau mot de passe"
              type="password"
              autoComplete="new-password"
              value={confirmation}
              onChange={setConfirmation}
              error={fieldError(CONFIRMATION_ID)}
              required
            />
            <button type="submit" className="bouton" disabled={pending}>
              {pending ? "Enregistrement…" : "Enregistrer le mot de passe"}
            </button>
          </form>
          <p>
            Lien expiré ? <Link to="/mot-de-passe/oubli">Demandez un nouveau lien</Link>.
          </p>
        </>
      )}
    </div>
  );
}
