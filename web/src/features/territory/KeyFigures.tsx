import type { TerritoireDetail } from "../../app/api-types.ts";
import { formatArea, formatDensity, formatInteger } from "../../app/format.ts";

/** Key figures of a territory as a description list of cards. */
export function KeyFigures({ territory }: { territory: TerritoireDetail }) {
  const figures: { term: string; value: string }[] = [
    { term: "Population", value: `${formatInteger(territory.population)} habitants` },
    { term: "Superficie", value: formatArea(territory.surfaceKm2) },
    { term: "Densité de population", value: formatDensity(territory.densitePopulation) },
  ];
  if (territory.niveau === "communes") {
    figures.push({
      term: "Grille de densité INSEE",
      value: territory.densiteInsee
        ? `${territory.densiteInsee.libelle} (niveau ${territory.densiteInsee.niveau} sur 7)`
        : "non disponible",
    });
    figures.push({
      term: territory.codesPostaux.length > 1 ? "Codes postaux" : "Code postal",
      value: territory.codesPostaux.length > 0 ? territory.codesPostaux.join(", ") : "non disponible",
    });
  }
  const { enfants } = territory;
  if (enfants.departements !== undefined)
    figures.push({ term: "Départements", value: formatInteger(enfants.departements) });
  if (enfants.epci !== undefined) figures.push({ term: "EPCI", value: formatInteger(enfants.epci) });
  if (enfants.communes !== undefined) figures.push({ term: "Communes", value: formatInteger(enfants.communes) });
  figures.push({ term: territory.niveau === "epci" ? "SIREN" : "Code INSEE", value: territory.code });

  return (
    <dl className="chiffres-cles">
      {figures.map((figure) => (
        <div key={figure.term} className="chiffres-cles__carte">
          <dt>{figure.term}</dt>
          <dd>{figure.value}</dd>
        </div>
      ))}
    </dl>
  );
}
