import type { OfferFamily } from "./catalogue-offers.port.ts";

/** Service catalogues (issue 6). See migrations/2026_11_28_0008 for the why of each table. */
export interface CatalogueVersionTable {
  reseau: string;
  version: string;
  reseau_nom: string;
  valide_du: string;
  valide_au: string | null;
  exemple: number;
  /** JSON arrays of codes. */
  couverture_departements: string;
  couverture_communes: string;
  note: string | null;
  cree_le: string;
  cree_par: string | null;
  modifie_le: string;
}

export interface CatalogueOffreTable {
  reseau: string;
  version: string;
  code: string;
  position: number;
  nom: string;
  famille: OfferFamily;
  debit_descendant_mbps: number;
  debit_montant_mbps: number;
  debit_garanti_mbps: number | null;
  symetrique: number;
  gtr_heures: number | null;
  gtr_label: string | null;
  disponibilite_pct: number | null;
  frais_acces_ht: number | null;
  mensuel_ht: number | null;
  engagement_mois: number;
  delai_livraison_jours: number | null;
  /** JSON array of { nom, mensuelHt }. */
  options: string;
  sur_devis: number;
  raison: string | null;
}

export interface CatalogueGenerationTable {
  id: number;
  generation: number;
}

export interface CatalogueTables {
  catalogue_version: CatalogueVersionTable;
  catalogue_offre: CatalogueOffreTable;
  catalogue_generation: CatalogueGenerationTable;
}
