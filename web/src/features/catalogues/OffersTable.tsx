import { DataTable, type DataTableColumn } from "../../ui/DataTable.tsx";
import {
  familleLabel,
  formatGtr,
  formatPercent,
  formatPrice,
  formatRate,
  type OffreDuCatalogue,
  type OffreServie,
} from "./catalogues-api.ts";

type AnyOffer = OffreDuCatalogue & Partial<Pick<OffreServie, "reseau" | "reseauNom" | "version">>;

function optionsText(options: OffreDuCatalogue["options"]): string {
  if (options.length === 0) return "—";
  return options
    .map((o) => `${o.nom} (${o.mensuelHt === null ? "sur devis" : formatPrice(o.mensuelHt, false)}/mois)`)
    .join(", ");
}

/** The columns of every offers table; the network columns only where offers of several networks are listed. */
export function offerColumns<Row extends AnyOffer>(withNetwork: boolean): DataTableColumn<Row>[] {
  return [
    ...(withNetwork
      ? [
          {
            header: "Réseau",
            cell: (o: Row) => (
              <>
                {o.reseauNom}
                <span className="texte-discret">
                  {" "}
                  ({o.reseau}, version {o.version})
                </span>
              </>
            ),
          },
        ]
      : []),
    { header: "Offre", cell: (o) => o.nom, rowHeader: true },
    { header: "Famille", cell: (o) => familleLabel(o.famille) },
    {
      header: "Débit crête (descendant / montant)",
      cell: (o) => `${formatRate(o.debitDescendantMbps)} / ${formatRate(o.debitMontantMbps)}`,
    },
    {
      header: "Débit garanti",
      cell: (o) => (o.debitGarantiMbps === null ? "au mieux" : formatRate(o.debitGarantiMbps)),
    },
    { header: "Symétrique", cell: (o) => (o.symetrique ? "oui" : "non") },
    { header: "GTR", cell: (o) => formatGtr(o) },
    { header: "Disponibilité", cell: (o) => formatPercent(o.disponibilitePct), numeric: true },
    { header: "Frais d'accès", cell: (o) => formatPrice(o.fraisAccesHt, o.surDevis), numeric: true },
    {
      header: "Prix mensuel",
      cell: (o) => (
        <>
          {formatPrice(o.mensuelHt, o.surDevis)}
          {o.surDevis && o.raison && <span className="catalogues__raison">{o.raison}</span>}
        </>
      ),
      numeric: true,
    },
    { header: "Engagement", cell: (o) => `${o.engagementMois} mois`, numeric: true },
    {
      header: "Délai de livraison",
      cell: (o) => (o.delaiLivraisonJours === null ? "—" : `${o.delaiLivraisonJours} jours`),
      numeric: true,
    },
    { header: "Options", cell: (o) => optionsText(o.options) },
  ];
}

interface OffersTableProps<Row extends AnyOffer> {
  caption: string;
  offers: Row[];
  withNetwork?: boolean;
  csvUrl: string;
  xlsxUrl: string;
}

/** An offers table, downloadable as CSV and XLSX. */
export function OffersTable<Row extends AnyOffer>({
  caption,
  offers,
  withNetwork = false,
  csvUrl,
  xlsxUrl,
}: OffersTableProps<Row>) {
  return (
    <DataTable
      caption={caption}
      columns={offerColumns<Row>(withNetwork)}
      rows={offers}
      rowKey={(o) => `${o.reseau ?? ""}/${o.version ?? ""}/${o.code}`}
      csvUrl={csvUrl}
      footer={
        <a className="lien-telechargement" href={xlsxUrl} download>
          Télécharger (XLSX)<span className="visuellement-masque"> : {caption}</span>
        </a>
      }
    />
  );
}

/** The demo notice, when any catalogue shown is an example. */
export function ExampleNotice({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <div className="avis catalogues__exemple">
      <p>
        <strong>{text}</strong>
      </p>
    </div>
  );
}
