/**
 * Broadband (THD) data, kept per quarter. See migrations/2026_11_28_0005 for the why of each table.
 * Quarter codes are "AAAATn" (e.g. "2018T1"); dates are ISO "AAAA-MM-JJ" text on both engines.
 */

export type TrimestreStatut = "brouillon" | "publie";

export interface ThdTrimestreTable {
  code: string;
  statut: TrimestreStatut;
  cree_le: string;
  publie_le: string | null;
  publie_par: string | null;
  /** 1 when the quarter's figures are simulated (demo). */
  simule: number;
}

/** Formats the importers read; the same file twice into one quarter changes nothing. */
export type ThdImportFormat =
  | "arcep-ftth-communes"
  | "mci-statistiques"
  | "ipe"
  | "mci-base-imb"
  | "mci-eligibilite"
  | "fermeture-cuivre"
  | "annuaire-education"
  | "sites-strategiques";

export interface ThdImportTable {
  id: string;
  trimestre: string;
  format: string;
  fichier: string;
  sha256: string;
  lignes: number;
  rejets: number;
  importe_le: string;
  importe_par: string | null;
}

export interface ThdOperateurTable {
  code: string;
  nom: string;
}

export interface ThdReseauTable {
  code: string;
  nom: string;
  type: "rip" | "prive";
  operateur_infra: string;
  departement: string | null;
}

/** Observatory speed-class keys, in order (bins, not cumulative thresholds). */
export const CLASSES_DEBIT = ["inel", "0_3", "3_8", "8_30", "30_100", "100"] as const;
export type ClasseDebit = (typeof CLASSES_DEBIT)[number];
/** Wired only; terrestrial (no satellite); all technologies. */
export const VARIANTES = ["filaire", "terrestre", "toutes"] as const;
export type Variante = (typeof VARIANTES)[number];
export const TECHNOLOGIES_STAT = ["cu", "coax", "ftth", "4gf", "thdr", "sat"] as const;

type ClassColumns = { [K in `${Variante}_${ClasseDebit}`]: number | null };
type TechnoColumns = { [K in `techno_${(typeof TECHNOLOGIES_STAT)[number]}`]: number | null };

export type ThdStatCommuneTable = {
  trimestre: string;
  /** COG 2026 commune code (older codes are mapped at import). */
  code_insee: string;
  /** Which import produced the row (e.g. "arcep-ftth-communes", "mci-statistiques", "immeubles"). */
  source: string;
  locaux: number;
  ftth_raccordables: number | null;
  ftth_raccordables_demande: number | null;
  /** Commercial operators selling FttH in the commune (from MCI `eligibilite`); NULL when not measured. */
  ftth_operateurs_commerciaux: number | null;
} & ClassColumns &
  TechnoColumns;

export interface ThdStatCommuneOiTable {
  trimestre: string;
  code_insee: string;
  operateur: string;
  ftth_raccordables: number;
}

/** IPE building states, normalised (CIBLE, SIGNE, EN COURS DE DEPLOIEMENT, RACCORDABLE DEMANDE, DEPLOYE, ABANDONNE). */
export type EtatFtth = "cible" | "signe" | "en_cours" | "raccordable_demande" | "deploye" | "abandonne";

export interface ThdImmeubleTable {
  trimestre: string;
  id: string;
  /** IPE building code (IdentifiantImmeuble, or base_imb `imb_code`): how IPE lines find the building. */
  code_ipe: string | null;
  /** BAN interoperability key when known: joins to `adresse.id`. */
  adresse_id: string | null;
  code_insee: string;
  numero: string | null;
  rep: string | null;
  nom_voie: string | null;
  lon: number | null;
  lat: number | null;
  /** "pavillon" or "immeuble". */
  type: string | null;
  nb_locaux: number;
  reseau: string | null;
  operateur_infra: string | null;
  etat_ftth: EtatFtth | null;
  reference_pm: string | null;
  /** "en_cours", "deploye" or "abandonne". */
  etat_pm: string | null;
  /** Commercial opening of the PM (DateMiseEnServiceCommercialePM): FttH is sold from that day. */
  date_mes_commerciale: string | null;
  /** Planned cabling date while the building is not yet deployed. */
  date_prevue: string | null;
}

export type Techno = "FO" | "CU" | "COAX" | "4GF" | "THDR" | "WMX" | "SAT";
/** ARCEP speed classes, as thresholds: INEL < 0.5, HD05 ≥ 0.5, HD3 ≥ 3, BHD8 ≥ 8, THD30 ≥ 30, THD100 ≥ 100, THD1G ≥ 1000 Mbit/s. */
export const CLASSES_ARCEP = ["INEL", "HD05", "HD3", "BHD8", "THD30", "THD100", "THD1G"] as const;
export type ClasseArcep = (typeof CLASSES_ARCEP)[number];

export interface ThdEligibiliteTable {
  trimestre: string;
  immeuble_id: string;
  operateur: string;
  techno: Techno;
  classe_montant: ClasseArcep;
  classe_descendant: ClasseArcep;
  /** Monthly data cap in GB; null = unlimited. */
  limitation: number | null;
  saturation: number;
}

export interface ThdFermetureCuivreTable {
  trimestre: string;
  code_insee: string;
  lot: string | null;
  fermeture_commerciale: string | null;
  fermeture_technique: string | null;
  /** The source's message for the commune (« déjà fermé », « pas encore prévu »…). */
  message_usager: string | null;
}

export type TypeSiteStrategique = "college" | "sante" | "enseignement_superieur";

export interface ThdSiteStrategiqueTable {
  trimestre: string;
  id: string;
  type: TypeSiteStrategique;
  nom: string;
  adresse: string | null;
  code_insee: string;
  lon: number | null;
  lat: number | null;
  immeuble_id: string | null;
  /** Date the site got FttH (or a dedicated fibre); null = not yet. */
  raccorde_le: string | null;
}

export interface BroadbandTables {
  thd_trimestre: ThdTrimestreTable;
  thd_import: ThdImportTable;
  thd_operateur: ThdOperateurTable;
  thd_reseau: ThdReseauTable;
  thd_stat_commune: ThdStatCommuneTable;
  thd_stat_commune_oi: ThdStatCommuneOiTable;
  thd_immeuble: ThdImmeubleTable;
  thd_eligibilite: ThdEligibiliteTable;
  thd_fermeture_cuivre: ThdFermetureCuivreTable;
  thd_site_strategique: ThdSiteStrategiqueTable;
}
