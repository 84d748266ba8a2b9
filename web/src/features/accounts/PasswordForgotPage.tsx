import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import { accountsApi } from "../../app/api-client.ts";
import { useDocumentTitle } from "../../app/use-document-title.ts";
import { ErrorSummary, type FormError } from "../../ui/ErrorSummary.tsx";
import { FormField } from "../../ui/FormField.tsx";

const EMAIL_ID = "oubli-email";

/** /mot-de-passe/oubli: asks for a reset link; the answer never says whether the account exists. */
export function PasswordForgotPage() {
  useDocumentTitle("Mot de passe oublié");
  const [email, setEmail] = useState("");
  const [errors, setErrors] = useState<FormError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [pending, setPending] = useState(false);
  const [confirmation, setConfirmation] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = email.trim();
    const problem = !value
      ? "Saisissez votre adresse e-mail."
      : !/^[^\s@]+@[^\s@]+$/.test(value)
        ? "Saisissez une adresse e-mail valide, par exemple prenom.nom@exemple.fr."
        : null;
    if (problem) {
      setErrors([{ fieldId: EMAIL_ID, message: problem }]);
      setAttempt((n) => n + 1);
      return;
    }
    setPending(true);
    try {
      const answer = await accountsApi.requestPasswordReset(value);
      setErrors([]);
      setConfirmation(
        answer?.message ||
          "Si un compte existe avec cette adresse, un message contenant un lien pour choisir un nouveau mot de passe vient de lui être envoyé.",
      );
    } catch (error) {
      setErrors([{ message: error instanceof Error ? error.message : "La demande a échoué. Réessayez." }]);
      setAttempt((n) => n + 1);
    } finally {
      setPending(false);
    }
  };

  return (
    <div className="page-connexion">
      <h1>Mot de passe oublié</h1>
      <div role="status">
        {confirmation && (
          <div className="avis avis--succes">
            <p>{confirmation}</p>
            <p>Le lien est valable pour une durée limitée. Pensez à vérifier vos courriers indésirables.</p>
          </div>
        )}
      </div>
      {confirmation ? (
        <p>
          <Link to="/connexion">Retourner à la page de connexion</Link>
        </p>
      ) : (
        <>
          <p className="chapo">
            Saisissez l'adresse e-mail de votre compte : vous recevrez un lien pour choisir un nouveau mot de passe.
          </p>
          <ErrorSummary errors={errors} attempt={attempt} />
          <form className="formulaire" onSubmit={submit} noValidate>
            <FormField
              id={EMAIL_ID}
              label="Adresse e-mail"
              type="email"
              autoComplete="username"
              spellCheck={false}
              value={email}
              onChange={setEmail}
              error={errors.find((e) => e.fieldId === EMAIL_ID)?.message}
              required
            />
            <button type="submit" className="bouton" disabled={pending}>
              {pending ? "Envoi…" : "Recevoir un lien"}
            </button>
          </form>
          <p>
            <Link to="/connexion">Retourner à la page de connexion</Link>
          </p>
        </>
      )}
    </div>
  );
}
