import { type FormEvent, useRef, useState } from "react";
import { Link, useLocation, useNavigate, useSearchParams } from "react-router";
import { ApiError, accountsApi } from "../../app/api-client.ts";
import { useDocumentTitle } from "../../app/use-document-title.ts";
import { ErrorSummary, type FormError } from "../../ui/ErrorSummary.tsx";
import { FormField } from "../../ui/FormField.tsx";
import { LoadingStatus } from "../../ui/LoadingStatus.tsx";
import { isRole, ROLE_LABELS } from "./roles.ts";
import { safeReturnPath } from "./safe-return.ts";
import { useSession } from "./session-context.tsx";

const EMAIL_ID = "connexion-email";
const PASSWORD_ID = "connexion-mot-de-passe";

/** /connexion: local sign-in form, ProConnect when configured, demo accounts in demo mode. */
export function SignInPage() {
  useDocumentTitle("Se connecter");
  const { state, user, signIn } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [searchParams] = useSearchParams();
  const retour = safeReturnPath(searchParams.get("retour"));
  const signedOut = (location.state as { deconnecte?: boolean } | null)?.deconnecte === true;

  const [email, setEmail] = useState("");
  const [motDePasse, setMotDePasse] = useState("");
  const [errors, setErrors] = useState<FormError[]>([]);
  const [summaryTitle, setSummaryTitle] = useState("Le formulaire contient des erreurs");
  const [attempt, setAttempt] = useState(0);
  const [pending, setPending] = useState(false);
  const [filledWith, setFilledWith] = useState<string | null>(null);
  const submitRef = useRef<HTMLButtonElement>(null);

  const fail = (next: FormError[], title = "Le formulaire contient des erreurs") => {
    setErrors(next);
    setSummaryTitle(title);
    setAttempt((n) => n + 1);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const missing: FormError[] = [];
    if (!email.trim()) missing.push({ fieldId: EMAIL_ID, message: "Saisissez votre adresse e-mail." });
    if (!motDePasse) missing.push({ fieldId: PASSWORD_ID, message: "Saisissez votre mot de passe." });
    if (missing.length > 0) return fail(missing);
    setPending(true);
    try {
      await signIn(email.trim(), motDePasse);
      navigate(retour, { replace: true });
    } catch (error) {
      setMotDePasse("");
      if (error instanceof ApiError && error.status === 401) {
        fail([{ fieldId: EMAIL_ID, message: `${error.message}.` }], "La connexion a échoué");
      } else if (error instanceof ApiError && error.status === 429) {
        fail([{ message: `${error.message}.` }], "Connexion temporairement bloquée");
      } else {
        const message = error instanceof Error ? error.message : "Réessayez.";
        fail([{ message }], "La connexion a échoué");
      }
    } finally {
      setPending(false);
    }
  };

  if (state.status === "loading") return <LoadingStatus />;
  const session = state.status === "ready" ? state.session : null;

  const fieldError = (id: string) => errors.find((e) => e.fieldId === id)?.message;

  return (
    <div className="page-connexion">
      <h1>Se connecter</h1>
      {signedOut && !user && (
        <p className="avis" role="status">
          Vous êtes déconnecté·e.
        </p>
      )}
      {user ? (
        <div className="avis">
          <p>
            Vous êtes connecté·e en tant que {user.nom} ({user.email}).
          </p>
          <p>
            <Link to="/compte">Voir mon compte</Link>
          </p>
        </div>
      ) : (
        <>
          <p className="chapo">
            Connectez-vous pour accéder aux pages réservées aux agents, opérateurs et partenaires.
          </p>
          <ErrorSummary title={summaryTitle} errors={errors} attempt={attempt} />
          {session?.oidc && (
            <div className="connexion-oidc">
              <a className="bouton bouton--proconnect" href={accountsApi.oidcUrl(retour)}>
                Se connecter avec ProConnect
              </a>
              <p className="connexion-oidc__ou">ou avec votre adresse e-mail et votre mot de passe :</p>
            </div>
          )}
          <form className="formulaire" onSubmit={submit} noValidate aria-label="Connexion avec un compte local">
            <FormField
              id={EMAIL_ID}
              label="Adresse e-mail"
              type="email"
              autoComplete="username"
              spellCheck={false}
              value={email}
              onChange={setEmail}
              error={fieldError(EMAIL_ID)}
              required
            />
            <FormField
              id={PASSWORD_ID}
              label="Mot de passe"
              type="password"
              autoComplete="current-password"
              value={motDePasse}
              onChange={setMotDePasse}
              error={fieldError(PASSWORD_ID)}
              required
            />
            <p>
              <Link to="/mot-de-passe/oubli">Mot de passe oublié ?</Link>
            </p>
            <button type="submit" className="bouton" disabled={pending} ref={submitRef}>
              {pending ? "Connexion…" : "Se connecter"}
            </button>
          </form>

          {session && session.comptesDemo.length > 0 && (
            <section className="comptes-demo" aria-labelledby="titre-comptes-demo">
              <h2 id="titre-comptes-demo">Comptes de démonstration</h2>
              <p className="comptes-demo__avertissement">
                <strong>Mode démonstration.</strong> Ces comptes et leurs mots de passe sont publics : ne saisissez
                aucune donnée réelle avec eux.
              </p>
              <div className="tableau-donnees">
                {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable with the keyboard. */}
                <section className="tableau-donnees__defilement" tabIndex={0} aria-label="Comptes de démonstration">
                  <table>
                    <caption>Comptes de démonstration (un par rôle)</caption>
                    <thead>
                      <tr>
                        <th scope="col">Rôle</th>
                        <th scope="col">Adresse e-mail</th>
                        <th scope="col">Mot de passe</th>
                        <th scope="col">Action</th>
                      </tr>
                    </thead>
                    <tbody>
                      {session.comptesDemo.map((compte) => {
                        const label = isRole(compte.role) ? ROLE_LABELS[compte.role] : compte.role;
                        return (
                          <tr key={compte.email}>
                            <th scope="row">{label}</th>
                            <td>{compte.email}</td>
                            <td>
                              <code>{compte.motDePasse}</code>
                            </td>
                            <td>
                              <button
                                type="button"
                                className="bouton bouton--secondaire bouton--petit"
                                onClick={() => {
                                  setEmail(compte.email);
                                  setMotDePasse(compte.motDePasse);
                                  setErrors([]);
                                  setFilledWith(label);
                                  submitRef.current?.focus();
                                }}
                              >
                                Remplir le formulaire
                                <span className="visuellement-masque"> avec le compte {label}</span>
                              </button>
                            </td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </section>
              </div>
              <p className="visuellement-masque" role="status">
                {filledWith ? `Formulaire rempli avec le compte ${filledWith}. Validez avec « Se connecter ».` : ""}
              </p>
            </section>
          )}
        </>
      )}
    </div>
  );
}
