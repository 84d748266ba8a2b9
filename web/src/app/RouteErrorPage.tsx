import { Link, useRouteError } from "react-router";

/** Last-resort page when rendering a route throws: keeps a French message and a way back. */
export function RouteErrorPage() {
  const error = useRouteError();
  console.error(error);
  return (
    <main id="contenu" className="contenu conteneur">
      <h1>Une erreur est survenue</h1>
      <p role="alert">La page n'a pas pu être affichée. Rechargez la page ou revenez à l'accueil.</p>
      <p>
        <Link to="/">Retourner à l'accueil</Link>
      </p>
    </main>
  );
}
