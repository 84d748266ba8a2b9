import { Link } from "react-router";
import { useDocumentTitle } from "../../app/use-document-title.ts";

/** Shown when the API does not know the requested territory code. */
export function TerritoryNotFound({ message }: { message: string }) {
  useDocumentTitle("Territoire introuvable");
  return (
    <section className="page-erreur">
      <h1>Territoire introuvable</h1>
      <p>{message}</p>
      <p>Vérifiez le code dans l'adresse, ou recherchez la commune depuis l'accueil.</p>
      <p>
        <Link to="/">Retourner à l'accueil</Link>
      </p>
    </section>
  );
}
