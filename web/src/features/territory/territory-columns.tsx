import { Link } from "react-router";
import type { Niveau, TerritoireResume } from "../../app/api-types.ts";
import { formatArea, formatDensity, formatInteger } from "../../app/format.ts";
import type { DataTableColumn } from "../../ui/DataTable.tsx";
import { LEVELS, territoryPath } from "./territory-levels.ts";

const nameColumn = (niveau: Niveau): DataTableColumn<TerritoireResume> => ({
  header: LEVELS[niveau].singular,
  rowHeader: true,
  cell: (row) => <Link to={territoryPath(row.niveau, row.code)}>{row.nom}</Link>,
});

const codeColumn: DataTableColumn<TerritoireResume> = { header: "Code", cell: (row) => row.code };

const postcodesColumn: DataTableColumn<TerritoireResume> = {
  header: "Codes postaux",
  cell: (row) => row.codesPostaux.join(", "),
};

const figureColumns: DataTableColumn<TerritoireResume>[] = [
  { header: "Population (hab.)", numeric: true, cell: (row) => formatInteger(row.population) },
  { header: "Superficie", numeric: true, cell: (row) => formatArea(row.surfaceKm2) },
  { header: "Densité", numeric: true, cell: (row) => formatDensity(row.densitePopulation) },
];

const inseeDensityColumn: DataTableColumn<TerritoireResume> = {
  header: "Grille de densité INSEE",
  cell: (row) => row.densiteInsee?.libelle ?? "non disponible",
};

/** Table columns suited to a list of territories of the given level. */
export function territoryColumns(niveau: Niveau): DataTableColumn<TerritoireResume>[] {
  switch (niveau) {
    case "communes":
      return [nameColumn(niveau), postcodesColumn, ...figureColumns, inseeDensityColumn];
    case "epci":
      return [nameColumn(niveau), { header: "SIREN", cell: (row) => row.code }, ...figureColumns];
    default:
      return [nameColumn(niveau), codeColumn, ...figureColumns];
  }
}
