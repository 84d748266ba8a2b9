import { useCallback } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { useAsync } from "../../app/use-async.ts";
import { useDocumentTitle } from "../../app/use-document-title.ts";
import { DataTable } from "../../ui/DataTable.tsx";
import { ErrorMessage } from "../../ui/ErrorMessage.tsx";
import { LoadingStatus } from "../../ui/LoadingStatus.tsx";
import { hasRole } from "../accounts/roles.ts";
import { useSession } from "../accounts/session-context.tsx";
import { cataloguesApi, formatDate, STATUTS, type VersionResume } from "./catalogues-api.ts";
import { ExampleNotice, OffersTable } from "./OffersTable.tsx";
import "./catalogues.css";

const validity = (v: VersionResume) =>
  v.valideAu
    ? `du ${formatDate(v.valideDu)} au ${formatDate(v.valideAu)} (exclu)`
    : `depuis le ${formatDate(v.valideDu)}, sans fin`;

/** /catalogues/:reseau: a network's versions, and the offers of one of them (?version=, the one in force by default). */
export function CatalogueNetworkPage() {
  const { reseau = "" } = useParams();
  const [search] = useSearchParams();
  const { user } = useSession();
  const network = useAsync(
    `reseau:${reseau}`,
    useCallback(() => cataloguesApi.network(reseau), [reseau]),
  );
  const versions = network.status === "success" ? network.data.versions : [];
  const chosen =
    versions.find((v) => v.version === search.get("version")) ??
    versions.find((v) => v.statut === "en_vigueur") ??
    versions.at(-1);
  const detail = useAsync(
    `version:${reseau}:${chosen?.version ?? ""}`,
    useCallback(
      () => (chosen ? cataloguesApi.version(reseau, chosen.version) : Promise.resolve(null)),
      [reseau, chosen],
    ),
  );
  const title = network.status === "success" ? `Catalogue de ${network.data.reseauNom}` : "Catalogue d'un réseau";
  useDocumentTitle(title);
  const canWrite = hasRole(user, []) || !!user?.roles.some((g) => g.role === "operateur" && g.perimetre === reseau);

  if (network.status === "loading") return <LoadingStatus />;
  if (network.status === "error") {
    return <ErrorMessage title="Ce catalogue n'a pas pu être chargé" error={network.error} onRetry={network.retry} />;
  }
  return (
    <div className="catalogues">
      <p>
        <Link to="/catalogues">Tous les catalogues</Link>
      </p>
      <h1>{title}</h1>
      <ExampleNotice text={network.data.avertissement} />
      {canWrite && (
        <p>
          <Link className="bouton" to={`/operateur/catalogues/${encodeURIComponent(reseau)}`}>
            Publier une nouvelle version
          </Link>
        </p>
      )}
      <h2>Versions</h2>
      {versions.length === 0 ? (
        <p>Ce réseau n'a pas encore publié de catalogue.</p>
      ) : (
        <DataTable
          caption={`Versions du catalogue (${reseau})`}
          rows={versions}
          rowKey={(v) => v.version}
          columns={[
            {
              header: "Version",
              rowHeader: true,
              cell: (v) =>
                v === chosen ? (
                  <span aria-current="true">{v.version} (affichée)</span>
                ) : (
                  <Link to={`?version=${encodeURIComponent(v.version)}`}>{v.version}</Link>
                ),
            },
            { header: "Validité", cell: validity },
            { header: "Statut", cell: (v) => STATUTS[v.statut] },
            { header: "Offres", cell: (v) => v.nbOffres, numeric: true },
            {
              header: "Couverture FttO",
              cell: (v) => [...v.couvertureDepartements, ...v.couvertureCommunes].join(", ") || "—",
            },
            { header: "Note", cell: (v) => v.note ?? "" },
          ]}
        />
      )}
      {chosen && (
        <section aria-labelledby="offres-titre">
          <h2 id="offres-titre">
            Offres de la version {chosen.version} ({STATUTS[chosen.statut].toLowerCase()})
          </h2>
          {detail.status === "loading" && <LoadingStatus />}
          {detail.status === "error" && (
            <ErrorMessage title="Les offres n'ont pas pu être chargées" error={detail.error} onRetry={detail.retry} />
          )}
          {detail.status === "success" && detail.data && (
            <OffersTable
              caption={`Offres de la version ${chosen.version}, valable ${validity(chosen)} (prix hors taxes)`}
              offers={detail.data.offres}
              csvUrl={cataloguesApi.versionUrl(reseau, chosen.version, "csv")}
              xlsxUrl={cataloguesApi.versionUrl(reseau, chosen.version, "xlsx")}
            />
          )}
        </section>
      )}
    </div>
  );
}
