import { Link } from "react-router";
import { api } from "../../app/api-client.ts";
import { useConfiguration } from "../../app/configuration-context.tsx";
import { formatInteger } from "../../app/format.ts";
import { useAsync } from "../../app/use-async.ts";
import { useDocumentTitle } from "../../app/use-document-title.ts";
import { CsvDownloadLink } from "../../ui/CsvDownloadLink.tsx";
import { DataTable } from "../../ui/DataTable.tsx";
import { ErrorMessage } from "../../ui/ErrorMessage.tsx";
import { LoadingStatus } from "../../ui/LoadingStatus.tsx";
import { CommuneSearch } from "./CommuneSearch.tsx";
import { TerritoryMap } from "./TerritoryMap.tsx";
import { territoryColumns } from "./territory-columns.tsx";
import { territoryPath } from "./territory-levels.ts";

/** Home page: the Région at a glance, a commune search, the density map and the départements. */
export function HomePage() {
  const { region, territoires } = useConfiguration();
  useDocumentTitle(region.nom);
  const departements = useAsync(`home-departements-${region.code}`, () =>
    api.list("departements", { region: region.code, limit: 500 }),
  );

  return (
    <>
      <section className="accueil-intro" aria-labelledby="titre-accueil">
        <h1 id="titre-accueil">{region.nom}</h1>
        <p className="chapo">
          Les {formatInteger(territoires.communes)} communes de la Région {region.nom}, leurs intercommunalités et leurs
          départements : chiffres clés, cartes et données ouvertes à télécharger.
        </p>
        <CommuneSearch regionCode={region.code} />
      </section>

      <section aria-labelledby="titre-departements">
        <h2 id="titre-departements">Les départements</h2>
        {departements.status === "loading" && <LoadingStatus />}
        {departements.status === "error" && (
          <ErrorMessage
            title="La liste des départements n'a pas pu être chargée."
            error={departements.error}
            onRetry={departements.retry}
          />
        )}
        {departements.status === "success" && (
          <ul className="liste-liens">
            {departements.data.results.map((departement) => (
              <li key={departement.code}>
                <Link to={territoryPath("departements", departement.code)}>
                  {departement.nom} <span className="liste-liens__code">({departement.code})</span>
                </Link>
              </li>
            ))}
            <li>
              <Link to={territoryPath("regions", region.code)}>Toute la Région {region.nom}</Link>
            </li>
          </ul>
        )}
      </section>

      <section aria-labelledby="titre-carte">
        <h2 id="titre-carte">Densité de population des communes</h2>
        <TerritoryMap
          label={`Carte des communes de ${region.nom} colorées par densité de population`}
          caption={`Densité de population des communes de ${region.nom}, en habitants par km². Survolez une commune pour lire sa densité, cliquez pour ouvrir sa page. Les mêmes informations sont données par département dans le tableau ci-dessous et pour chaque commune dans le fichier CSV.`}
          communes={{ region: region.code }}
          territory={{ niveau: "regions", code: region.code }}
        />
        {departements.status === "success" && (
          <DataTable
            caption={`Population, superficie et densité des départements de ${region.nom}`}
            columns={territoryColumns("departements")}
            rows={departements.data.results}
            rowKey={(row) => row.code}
            csvUrl={api.csvUrl("departements", { region: region.code })}
          />
        )}
        <p>
          <CsvDownloadLink
            href={api.csvUrl("communes", { region: region.code })}
            context={`toutes les communes de ${region.nom}`}
          />{" "}
          <span className="texte-discret">(toutes les communes de la Région, avec leur densité)</span>
        </p>
      </section>
    </>
  );
}
