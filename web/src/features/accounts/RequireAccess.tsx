import type { ReactNode } from "react";
import { Link, Navigate, useLocation } from "react-router";
import type { Role } from "../../app/api-types.ts";
import { useDocumentTitle } from "../../app/use-document-title.ts";
import { ErrorMessage } from "../../ui/ErrorMessage.tsx";
import { LoadingStatus } from "../../ui/LoadingStatus.tsx";
import { hasRole } from "./roles.ts";
import { useSession } from "./session-context.tsx";

interface RequireAccessProps {
  /** Roles allowed besides administrators; omitted: any signed-in person. */
  roles?: readonly Role[];
  children: ReactNode;
}

/**
 * Shows `children` to people allowed to see them: anonymous visitors go to the sign-in page (and
 * come back after), signed-in people without the role get « Accès refusé ».
 */
export function RequireAccess({ roles, children }: RequireAccessProps) {
  const { state, user, refresh } = useSession();
  const location = useLocation();
  if (state.status === "loading") return <LoadingStatus label="Vérification de la session…" />;
  if (state.status === "error") {
    return (
      <ErrorMessage
        title="Votre session n'a pas pu être vérifiée."
        error={state.error}
        onRetry={() => void refresh()}
      />
    );
  }
  if (!user) {
    const retour = `${location.pathname}${location.search}`;
    return <Navigate to={`/connexion?retour=${encodeURIComponent(retour)}`} replace />;
  }
  if (roles && !hasRole(user, roles)) return <AccessDeniedPage />;
  return children;
}

/** 403: the person is signed in but their roles do not open this page. */
export function AccessDeniedPage() {
  useDocumentTitle("Accès refusé");
  return (
    <section className="page-erreur">
      <h1>Accès refusé</h1>
      <p>Vos droits ne permettent pas d'ouvrir cette page (erreur 403).</p>
      <p>
        Si vous pensez devoir y accéder, demandez à un administrateur ou une administratrice de la plateforme de vous
        attribuer le rôle nécessaire.
      </p>
      <ul>
        <li>
          <Link to="/compte">Voir mon compte et mes rôles</Link>
        </li>
        <li>
          <Link to="/">Retourner à l'accueil</Link>
        </li>
      </ul>
    </section>
  );
}
