import { Link } from "react-router";
import { useDocumentTitle } from "./use-document-title.ts";

/** Shown for any path that matches no page. */
export function NotFoundPage() {
  useDocumentTitle("Page introuvable");
  return (
    <section className="page-erreur">
      <h1>Page introuvable</h1>
      <p>L'adresse demandée ne correspond à aucune page de la plateforme. Elle a pu être déplacée ou mal saisie.</p>
      <p>
        <Link to="/">Retourner à l'accueil</Link>
      </p>
    </section>
  );
}
