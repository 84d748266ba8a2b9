import { Link } from "react-router";
import { useDocumentTitle } from "../../app/use-document-title.ts";
import { roleLabel, visibleAdminPages } from "./roles.ts";
import { useSession } from "./session-context.tsx";
import { useSignOut } from "./use-sign-out.ts";

/** /compte: who is signed in, with which roles; links to the pages those roles open. */
export function AccountPage() {
  useDocumentTitle("Mon compte");
  const { user } = useSession();
  const { signOut, pending } = useSignOut();
  if (!user) return null; // RequireAccess redirects anonymous visitors.
  const pages = visibleAdminPages(user);
  return (
    <div className="page-compte">
      <h1>Mon compte</h1>
      <dl className="fiche">
        <div className="fiche__ligne">
          <dt>Nom</dt>
          <dd>{user.nom}</dd>
        </div>
        <div className="fiche__ligne">
          <dt>Adresse e-mail</dt>
          <dd>{user.email}</dd>
        </div>
        <div className="fiche__ligne">
          <dt>{user.roles.length > 1 ? "Rôles" : "Rôle"}</dt>
          <dd>
            {user.roles.length === 0 ? (
              "Aucun rôle attribué"
            ) : (
              <ul className="fiche__liste">
                {user.roles.map((grant) => (
                  <li key={`${grant.role}-${grant.perimetre}`}>{roleLabel(grant)}</li>
                ))}
              </ul>
            )}
          </dd>
        </div>
      </dl>

      {pages.length > 0 && (
        <section aria-labelledby="titre-administration">
          <h2 id="titre-administration">Administration</h2>
          <ul className="liste-liens">
            {pages.map((page) => (
              <li key={page.path}>
                <Link to={page.path}>{page.label}</Link>
              </li>
            ))}
          </ul>
        </section>
      )}

      <section aria-labelledby="titre-securite">
        <h2 id="titre-securite">Sécurité</h2>
        <p>
          Pour changer de mot de passe, <Link to="/mot-de-passe/oubli">demandez un lien de réinitialisation</Link>.
        </p>
        <button type="button" className="bouton bouton--secondaire" onClick={() => void signOut()} disabled={pending}>
          {pending ? "Déconnexion…" : "Se déconnecter"}
        </button>
      </section>
    </div>
  );
}
