import { useId } from "react";
import type { EligibilityResponse } from "../../../../src/modules/eligibility/lookup-eligibility/lookup-eligibility.schema.ts";
import { DataTable, type DataTableColumn } from "../../ui/DataTable.tsx";
import "./eligibility.css";

type Building = EligibilityResponse["immeubles"][number];
type Offer = Building["offres"]["offres"][number];

const FAMILY_LABELS: Record<Offer["famille"], string> = {
  ftth: "FttH",
  ftth_pro: "FttH pro",
  ftte_passive: "FttE passive",
  ftte_active: "FttE activée",
  ftto: "FttO (fibre dédiée)",
};

const number = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 2 });
const euros = new Intl.NumberFormat("fr-FR", {
  style: "currency",
  currency: "EUR",
  minimumFractionDigits: 0,
  maximumFractionDigits: 2,
});

/** « 1 Gbit/s » from 1 000 Mbit/s, « 100 Mbit/s » otherwise. */
export function formatRate(mbps: number): string {
  return mbps >= 1000 && mbps % 1000 === 0 ? `${number.format(mbps / 1000)} Gbit/s` : `${number.format(mbps)} Mbit/s`;
}

function monthly(offer: Offer): string {
  if (offer.surDevis || offer.mensuelHt === null) return `Sur devis${offer.raison ? ` : ${offer.raison}` : ""}`;
  return `${euros.format(offer.mensuelHt)} HT par mois`;
}

const COLUMNS: DataTableColumn<Offer>[] = [
  { header: "Offre", cell: (o) => o.nom, rowHeader: true },
  {
    header: "Commande",
    // In words, not by colour alone: « à venir » offers wait for the fibre's commercial opening.
    cell: (o) =>
      o.aVenir ? (
        <span className="eligibilite__a-venir">À venir, à l'ouverture de la fibre</span>
      ) : (
        "Possible dès maintenant"
      ),
  },
  { header: "Réseau", cell: (o) => o.reseauNom },
  { header: "Famille", cell: (o) => FAMILY_LABELS[o.famille] },
  {
    header: "Débit garanti",
    cell: (o) => (o.debitGarantiMbps === null ? "non garanti" : formatRate(o.debitGarantiMbps)),
  },
  {
    header: "Débit crête (réception / envoi)",
    cell: (o) => `${formatRate(o.debitDescendantMbps)} / ${formatRate(o.debitMontantMbps)}`,
  },
  { header: "Symétrique", cell: (o) => (o.symetrique ? "oui" : "non") },
  {
    header: "Garantie de temps de rétablissement",
    cell: (o) => o.gtrLabel ?? (o.gtrHeures === null ? "aucune" : `${number.format(o.gtrHeures)} h`),
  },
  {
    header: "Disponibilité",
    cell: (o) => (o.disponibilitePct === null ? "non précisée" : `${number.format(o.disponibilitePct)} %`),
  },
  {
    header: "Frais d'accès",
    cell: (o) => (o.surDevis || o.fraisAccesHt === null ? "sur devis" : `${euros.format(o.fraisAccesHt)} HT`),
  },
  { header: "Prix mensuel", cell: (o) => <span className="eligibilite__prix">{monthly(o)}</span> },
  { header: "Engagement", cell: (o) => `${number.format(o.engagementMois)} mois` },
  {
    header: "Délai de livraison",
    cell: (o) => (o.delaiLivraisonJours === null ? "non précisé" : `${number.format(o.delaiLivraisonJours)} jours`),
  },
];

/**
 * « Offres pour les entreprises »: every network's offers that apply to the building, side by side
 * (as the API sorts them: by family, then monthly price, sur devis last), with the CSV of the API.
 */
export function BusinessOffers({
  building,
  csvUrl,
  headingLevel,
}: {
  building: Building;
  csvUrl: string;
  headingLevel: "h3" | "h4";
}) {
  const Heading = headingLevel;
  const headingId = useId();
  const { offres, raccordementComplexe } = building.offres;
  const examples = offres.some((o) => o.exemple);
  const toCome = offres.filter((o) => o.aVenir).length;
  // The building's id, not its address: the result card is named by the address.
  const caption = `Offres pour les entreprises, immeuble ${building.immeuble.id}`;
  return (
    <section className="eligibilite__offres" aria-labelledby={headingId}>
      <Heading id={headingId}>Offres pour les entreprises</Heading>
      {raccordementComplexe && (
        <p className="avis">
          <strong>Raccordement complexe</strong> : {raccordementComplexe}
        </p>
      )}
      {offres.length === 0 ? (
        <p>Aucun catalogue de réseau ne propose d'offre pour cet immeuble à cette date.</p>
      ) : (
        <>
          <p>
            {offres.length === 1
              ? "Une offre s'applique ici"
              : `${offres.length} offres s'appliquent ici, de ${new Set(offres.map((o) => o.reseau)).size > 1 ? "plusieurs réseaux" : "ce réseau"}`}
            , classées par famille puis par prix mensuel (hors taxes). Les offres « sur devis » demandent une étude
            préalable.
            {toCome > 0 &&
              ` ${toCome === 1 ? "Une offre est" : `${toCome} offres sont`} « à venir » : la fibre de ce réseau est prévue pour cet immeuble, elles pourront être commandées à son ouverture commerciale.`}
          </p>
          {examples && (
            <p className="avis">
              <strong>Catalogues d'exemple</strong> : offres et prix inventés pour la démonstration, non contractuels.
            </p>
          )}
          <DataTable
            caption={caption}
            columns={COLUMNS}
            rows={offres}
            rowKey={(o) => `${o.reseau}/${o.version}/${o.code}`}
            csvUrl={csvUrl}
          />
        </>
      )}
    </section>
  );
}
