import type { CsvColumn } from "../../../shared/http/csv.ts";
import type { VersionDetail, VersionResume } from "./catalogue.schemas.ts";
import type { CatalogueOffer } from "./catalogue-offers.port.ts";
import type { CatalogueVersion, OfferDefinition } from "./catalogue-snapshot.ts";

export const EXEMPLE_NOTICE =
  "Catalogues d'exemple : offres et prix inventés pour la démonstration, non contractuels. Les catalogues réels s'obtiennent auprès des délégataires des réseaux.";

export function statutOf(v: Pick<CatalogueVersion, "valideDu" | "valideAu">, today: string): VersionResume["statut"] {
  if (v.valideDu > today) return "a_venir";
  if (v.valideAu !== null && v.valideAu <= today) return "passee";
  return "en_vigueur";
}

export function versionResume(v: CatalogueVersion, today: string): VersionResume {
  const statut = statutOf(v, today);
  return {
    reseau: v.reseau,
    reseauNom: v.reseauNom,
    version: v.version,
    valideDu: v.valideDu,
    valideAu: v.valideAu,
    statut,
    modifiable: statut === "a_venir",
    exemple: v.exemple,
    couvertureDepartements: v.couvertureDepartements,
    couvertureCommunes: v.couvertureCommunes,
    note: v.note,
    nbOffres: v.offres.length,
    modifieLe: v.modifieLe,
  };
}

export function versionDetail(v: CatalogueVersion, today: string): VersionDetail {
  return { ...versionResume(v, today), offres: v.offres };
}

const yesNo = (value: boolean) => (value ? "oui" : "non");

/** "GTR 4 h 24/7=80|Double adduction=sur devis": the options cell of the CSV, read back by the import. */
export function optionsCell(options: OfferDefinition["options"]): string {
  return options.map((o) => `${o.nom}=${o.mensuelHt === null ? "sur devis" : o.mensuelHt}`).join("|");
}

/** The offer columns of every catalogue CSV; the import reads the same headers. */
export const OFFER_COLUMNS: CsvColumn<OfferDefinition>[] = [
  { header: "code", value: (o) => o.code },
  { header: "nom", value: (o) => o.nom },
  { header: "famille", value: (o) => o.famille },
  { header: "debit_descendant_mbps", value: (o) => o.debitDescendantMbps },
  { header: "debit_montant_mbps", value: (o) => o.debitMontantMbps },
  { header: "debit_garanti_mbps", value: (o) => o.debitGarantiMbps },
  { header: "symetrique", value: (o) => yesNo(o.symetrique) },
  { header: "gtr_heures", value: (o) => o.gtrHeures },
  { header: "gtr_libelle", value: (o) => o.gtrLabel },
  { header: "disponibilite_pct", value: (o) => o.disponibilitePct },
  { header: "frais_acces_ht", value: (o) => o.fraisAccesHt },
  { header: "mensuel_ht", value: (o) => o.mensuelHt },
  { header: "engagement_mois", value: (o) => o.engagementMois },
  { header: "delai_livraison_jours", value: (o) => o.delaiLivraisonJours },
  { header: "options", value: (o) => optionsCell(o.options) },
  { header: "sur_devis", value: (o) => yesNo(o.surDevis) },
  { header: "raison", value: (o) => o.raison },
];

/** Comparison and per-address tables: the network and version first, then the offer. */
export const SERVED_OFFER_COLUMNS: CsvColumn<CatalogueOffer>[] = [
  { header: "reseau", value: (o) => o.reseau },
  { header: "reseau_nom", value: (o) => o.reseauNom },
  { header: "version", value: (o) => o.version },
  { header: "valide_du", value: (o) => o.valideDu },
  { header: "valide_au", value: (o) => o.valideAu },
  { header: "exemple", value: (o) => yesNo(o.exemple) },
  ...(OFFER_COLUMNS as CsvColumn<CatalogueOffer>[]),
  { header: "a_venir", value: (o) => yesNo(o.aVenir) },
];
