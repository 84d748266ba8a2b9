import { Link } from "react-router";
import type { TerritoireDetail } from "../../app/api-types.ts";
import { territoryPath } from "./territory-levels.ts";

/** « Fil d'Ariane »: Région › Département › EPCI › current territory. */
export function Breadcrumb({ territory }: { territory: TerritoireDetail }) {
  const { parents } = territory;
  const ancestors = [
    parents.region && { to: territoryPath("regions", parents.region.code), nom: parents.region.nom },
    parents.departement && {
      to: territoryPath("departements", parents.departement.code),
      nom: parents.departement.nom,
    },
    parents.epci && { to: territoryPath("epci", parents.epci.code), nom: parents.epci.nom },
  ].filter((item): item is { to: string; nom: string } => Boolean(item));

  return (
    <nav aria-label="Fil d'Ariane" className="fil-ariane">
      <ol>
        {ancestors.map((item) => (
          <li key={item.to}>
            <Link to={item.to}>{item.nom}</Link>
          </li>
        ))}
        <li>
          <span aria-current="page">{territory.nom}</span>
        </li>
      </ol>
    </nav>
  );
}
