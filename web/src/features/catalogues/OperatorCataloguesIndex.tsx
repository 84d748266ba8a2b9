import { Link, Navigate } from "react-router";
import { useDocumentTitle } from "../../app/use-document-title.ts";
import { operatorNetworks } from "../accounts/roles.ts";
import { useSession } from "../accounts/session-context.tsx";

/** /operateur/catalogues: straight to the operator's network, or the list when there are several. */
export function OperatorCataloguesIndex() {
  useDocumentTitle("Mes catalogues");
  const { user } = useSession();
  const networks = operatorNetworks(user?.roles ?? []);
  if (networks.length === 1)
    return <Navigate to={`/operateur/catalogues/${encodeURIComponent(networks[0] ?? "")}`} replace />;
  return (
    <div>
      <h1>Mes catalogues</h1>
      {networks.length === 0 ? (
        <p>
          Choisissez un réseau depuis la page <Link to="/catalogues">Catalogues</Link>.
        </p>
      ) : (
        <ul>
          {networks.map((n) => (
            <li key={n}>
              <Link to={`/operateur/catalogues/${encodeURIComponent(n)}`}>{n}</Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
