import { useConfiguration } from "../../app/configuration-context.tsx";
import { formatInteger } from "../../app/format.ts";
import { useDocumentTitle } from "../../app/use-document-title.ts";

interface DataSource {
  what: string;
  source: string;
  url: string;
  licence: string;
  millesime: string;
}

// Mirrors src/modules/territory/reference-data/SOURCES.md: credit every source shown on the platform.
const SOURCES: DataSource[] = [
  {
    what: "Régions, départements, EPCI et communes, populations et codes postaux",
    source: "Code officiel géographique (COG) de l'INSEE, via le paquet @etalab/decoupage-administratif",
    url: "https://github.com/etalab/decoupage-administratif",
    licence: "Licence Ouverte 2.0",
    millesime: "COG 2026",
  },
  {
    what: "Contours des communes et des EPCI (simplifiés)",
    source: "IGN ADMIN EXPRESS, via le dépôt mathieulebasic/france-geojson",
    url: "https://github.com/mathieulebasic/france-geojson",
    licence: "Licence Ouverte 2.0",
    millesime: "2025 (découpage corrigé au COG 2026)",
  },
  {
    what: "Contours des départements (généralisés)",
    source: "Agence nationale de la cohésion des territoires (ANCT), dépôt anct-carto/operateurs_fthd",
    url: "https://github.com/anct-carto/operateurs_fthd",
    licence: "Licence Ouverte 2.0",
    millesime: "2024",
  },
  {
    what: "Contour de la Normandie",
    source: "Dépôt gregoiredavid/france-geojson",
    url: "https://github.com/gregoiredavid/france-geojson",
    licence: "Licence Ouverte",
    millesime: "2018",
  },
  {
    what: "Position du centre de chaque commune",
    source: "Base Adresse Nationale (BAN), dépôt BaseAdresseNationale/ban-plateforme",
    url: "https://github.com/BaseAdresseNationale/ban-plateforme",
    licence: "Licence MIT",
    millesime: "2025",
  },
  {
    what: "Grille communale de densité (7 niveaux)",
    source: "INSEE, diffusée par l'ANCT (dépôt anct-carto/superposeur-V2)",
    url: "https://github.com/anct-carto/superposeur-V2",
    licence: "Licence Ouverte 2.0",
    millesime: "2025",
  },
  {
    what: "Points de repère des EPCI",
    source: "ANCT / IGN, dépôt anct-carto/superposeur-V2",
    url: "https://github.com/anct-carto/superposeur-V2",
    licence: "Licence Ouverte 2.0",
    millesime: "2025",
  },
];

/** « À propos des données »: sources, licences and how the figures are computed. */
export function AboutDataPage() {
  useDocumentTitle("À propos des données");
  const { territoires, region } = useConfiguration();
  return (
    <article className="a-propos">
      <h1>À propos des données</h1>
      <p className="chapo">
        Les chiffres et les cartes de cette plateforme proviennent de données publiques ouvertes. Vous pouvez les
        réutiliser librement en citant leurs sources.
      </p>

      <h2>Sources et licences</h2>
      <div className="tableau-donnees">
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable with the keyboard. */}
        <section className="tableau-donnees__defilement" tabIndex={0} aria-label="Sources des données">
          <table>
            <caption>Sources des données affichées</caption>
            <thead>
              <tr>
                <th scope="col">Données</th>
                <th scope="col">Source</th>
                <th scope="col">Licence</th>
                <th scope="col">Millésime</th>
              </tr>
            </thead>
            <tbody>
              {SOURCES.map((source) => (
                <tr key={source.what}>
                  <th scope="row">{source.what}</th>
                  <td>
                    <a href={source.url}>{source.source}</a>
                  </td>
                  <td>{source.licence}</td>
                  <td>{source.millesime}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>

      <h2>Méthode</h2>
      <ul>
        <li>
          La superficie est calculée à partir des contours ; la densité de population est la population municipale
          divisée par la superficie, en habitants par km².
        </li>
        <li>
          Le niveau de la grille de densité de l'INSEE va de 1 (grands centres urbains) à 7 (rural à habitat très
          dispersé).
        </li>
        <li>
          {territoires.contoursComplets
            ? `Les contours des ${formatInteger(territoires.communes)} communes de la Région ${region.nom} sont disponibles.`
            : `Seules ${formatInteger(territoires.communesAvecPolygone)} communes sur ${formatInteger(territoires.communes)} ont un contour : pour les autres, seule la position de leur centre est connue et les cartes l'indiquent.`}
        </li>
        <li>
          Chaque tableau de la plateforme peut être téléchargé au format CSV (séparateur point-virgule, encodage UTF-8).
        </li>
      </ul>

      <h2>Licence Ouverte 2.0</h2>
      <p>
        La{" "}
        <a href="https://www.etalab.gouv.fr/licence-ouverte-open-licence/">
          Licence Ouverte / Open Licence version 2.0
        </a>{" "}
        d'Etalab autorise la réutilisation gratuite des données, y compris commerciale, à condition d'en mentionner la
        source et la date de mise à jour.
      </p>
    </article>
  );
}
