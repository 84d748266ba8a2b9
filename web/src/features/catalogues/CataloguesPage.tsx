import { useCallback, useState } from "react";
import { Link } from "react-router";
import { plural } from "../../app/format.ts";
import { useAsync } from "../../app/use-async.ts";
import { useDocumentTitle } from "../../app/use-document-title.ts";
import { ErrorMessage } from "../../ui/ErrorMessage.tsx";
import { FormField, SelectField } from "../../ui/FormField.tsx";
import { LoadingStatus } from "../../ui/LoadingStatus.tsx";
import { type ComparaisonFiltres, cataloguesApi, FAMILLES, formatDate } from "./catalogues-api.ts";
import { ExampleNotice, OffersTable } from "./OffersTable.tsx";
import "./catalogues.css";

/** /catalogues: every network's catalogue, and all offers in force side by side. */
export function CataloguesPage() {
  useDocumentTitle("Catalogues de services des réseaux");
  const list = useAsync("catalogues", cataloguesApi.list);
  const [filters, setFilters] = useState<ComparaisonFiltres>({});
  const key = JSON.stringify(filters);
  const load = useCallback(() => cataloguesApi.compare(filters), [filters]);
  const comparison = useAsync(`comparaison:${key}`, load);
  const dateValid = !filters.date || /^\d{4}-\d{2}-\d{2}$/.test(filters.date);

  return (
    <div className="catalogues">
      <h1>Catalogues de services des réseaux</h1>
      <p className="chapo">
        Les offres entreprises de chaque réseau d'initiative publique (FttH pro, FttE, fibre dédiée FttO), publiées par
        leurs opérateurs, avec leurs dates de validité. Pour savoir lesquelles s'appliquent à une adresse, utilisez la
        page <Link to="/eligibilite">Éligibilité</Link>.
      </p>
      {list.status === "success" && <ExampleNotice text={list.data.avertissement} />}

      <section aria-labelledby="reseaux-titre">
        <h2 id="reseaux-titre">Réseaux</h2>
        {list.status === "loading" && <LoadingStatus />}
        {list.status === "error" && (
          <ErrorMessage title="Les catalogues n'ont pas pu être chargés" error={list.error} onRetry={list.retry} />
        )}
        {list.status === "success" &&
          (list.data.reseaux.length === 0 ? (
            <p>Aucun réseau n'a encore publié de catalogue.</p>
          ) : (
            <ul className="catalogues__reseaux">
              {list.data.reseaux.map((r) => (
                <li key={r.reseau}>
                  <Link to={`/catalogues/${encodeURIComponent(r.reseau)}`}>{r.reseauNom}</Link>
                  <p className="texte-discret">
                    {r.enVigueur
                      ? `Version ${r.enVigueur.version} en vigueur depuis le ${formatDate(r.enVigueur.valideDu)} : ${plural(r.enVigueur.nbOffres, "offre", "offres")}`
                      : "Aucune version en vigueur"}
                    {r.aVenir.length > 0 && ` ; ${plural(r.aVenir.length, "version à venir", "versions à venir")}`}
                    {r.exemple && " (exemple)"}
                  </p>
                </li>
              ))}
            </ul>
          ))}
      </section>

      <section aria-labelledby="comparaison-titre">
        <h2 id="comparaison-titre">Comparer les offres</h2>
        <form className="catalogues__filtres" onSubmit={(event) => event.preventDefault()}>
          <SelectField
            id="filtre-famille"
            label="Famille d'offres"
            value={filters.famille ?? ""}
            onChange={(famille) => setFilters((f) => ({ ...f, famille: famille || undefined }))}
            options={[{ value: "", label: "Toutes les familles" }, ...FAMILLES]}
          />
          <SelectField
            id="filtre-reseau"
            label="Réseau"
            value={filters.reseau ?? ""}
            onChange={(reseau) => setFilters((f) => ({ ...f, reseau: reseau || undefined }))}
            options={[
              { value: "", label: "Tous les réseaux" },
              ...(list.status === "success"
                ? list.data.reseaux.map((r) => ({ value: r.reseau, label: r.reseauNom }))
                : []),
            ]}
          />
          <FormField
            id="filtre-date"
            type="date"
            label="Offres en vigueur le"
            hint="Vide : aujourd'hui"
            value={filters.date ?? ""}
            onChange={(date) => setFilters((f) => ({ ...f, date: date || undefined }))}
          />
        </form>
        {!dateValid && <p className="champ__erreur">Date attendue au format JJ/MM/AAAA.</p>}
        <p role="status" aria-live="polite" className="texte-discret">
          {comparison.status === "success"
            ? `${plural(comparison.data.offres.length, "offre", "offres")} en vigueur le ${formatDate(comparison.data.date)}`
            : comparison.status === "loading"
              ? "Chargement des offres…"
              : ""}
        </p>
        {comparison.status === "error" && (
          <ErrorMessage
            title="La comparaison n'a pas pu être chargée"
            error={comparison.error}
            onRetry={comparison.retry}
          />
        )}
        {comparison.status === "success" && (
          <>
            <OffersTable
              caption="Offres des réseaux côte à côte (par famille, puis prix mensuel ; prix hors taxes)"
              offers={comparison.data.offres}
              withNetwork
              csvUrl={cataloguesApi.comparisonUrl(filters, "csv")}
              xlsxUrl={cataloguesApi.comparisonUrl(filters, "xlsx")}
            />
            <p className="texte-discret">
              Prix tels que publiés, sur le réseau de chaque opérateur : hors de son réseau, une fibre dédiée (FttO) est
              sur devis. Une offre « sur devis » demande une étude du site.
            </p>
          </>
        )}
      </section>
    </div>
  );
}
