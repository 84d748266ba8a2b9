import type { ReactNode } from "react";
import { CsvDownloadLink } from "./CsvDownloadLink.tsx";

export interface DataTableColumn<Row> {
  header: string;
  cell: (row: Row) => ReactNode;
  /** Right-aligned numeric column. */
  numeric?: boolean;
  /** The column that names the row: rendered as a row header (<th scope="row">). */
  rowHeader?: boolean;
}

interface DataTableProps<Row> {
  caption: string;
  columns: DataTableColumn<Row>[];
  rows: Row[];
  rowKey: (row: Row) => string;
  /** URL of the same data as CSV (the API's `format=csv`). */
  csvUrl?: string;
  /** Shown under the table, e.g. a « show more » button. */
  footer?: ReactNode;
}

/** Accessible data table with a caption, row headers, horizontal scrolling on small screens and a CSV link. */
export function DataTable<Row>({ caption, columns, rows, rowKey, csvUrl, footer }: DataTableProps<Row>) {
  return (
    <div className="tableau-donnees">
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable with the keyboard. */}
      <section className="tableau-donnees__defilement" tabIndex={0} aria-label={caption}>
        <table>
          <caption>{caption}</caption>
          <thead>
            <tr>
              {columns.map((column) => (
                <th key={column.header} scope="col" className={column.numeric ? "nombre" : undefined}>
                  {column.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={rowKey(row)}>
                {columns.map((column) =>
                  column.rowHeader ? (
                    <th key={column.header} scope="row">
                      {column.cell(row)}
                    </th>
                  ) : (
                    <td key={column.header} className={column.numeric ? "nombre" : undefined}>
                      {column.cell(row)}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {(footer || csvUrl) && (
        <div className="tableau-donnees__actions">
          {footer}
          {csvUrl && <CsvDownloadLink href={csvUrl} context={caption} />}
        </div>
      )}
    </div>
  );
}
