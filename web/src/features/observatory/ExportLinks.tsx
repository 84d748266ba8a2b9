/** The three download formats of the observatory's tables. */
export type ExportFormat = "csv" | "geojson" | "xlsx";

const FORMAT_LABELS: Record<ExportFormat, string> = { csv: "CSV", geojson: "GeoJSON", xlsx: "XLSX (tableur)" };

interface ExportLinksProps {
  /** URL of the table in a given format (the API's export). */
  url: (format: ExportFormat) => string;
  /** What the table holds, read by screen readers only, to tell the links of the page apart. */
  context: string;
  /** Every observatory table offers the three; kept for a table that could not. */
  formats?: ExportFormat[];
}

/** « Télécharger : CSV · GeoJSON · XLSX » links under a table. */
export function ExportLinks({ url, context, formats = ["csv", "geojson", "xlsx"] }: ExportLinksProps) {
  return (
    <div className="export-liens">
      <span className="export-liens__titre" aria-hidden="true">
        Télécharger :
      </span>
      <ul>
        {formats.map((format) => (
          <li key={format}>
            <a className="export-liens__lien" href={url(format)} download>
              <span className="visuellement-masque">Télécharger </span>
              {FORMAT_LABELS[format]}
              <span className="visuellement-masque"> : {context}</span>
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
