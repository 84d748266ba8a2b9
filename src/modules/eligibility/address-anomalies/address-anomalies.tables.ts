/**
 * Address anomalies (migration 2026_11_28_0010). Types and statuses follow the spirit of
 * Interop'Fibre's AnomalieAdresse protocol (see INTEROP_* below), in words a citizen understands.
 */

export const TYPES_ANOMALIE = ["adresse_absente", "position_erronee", "etat_errone", "autre"] as const;
export type TypeAnomalie = (typeof TYPES_ANOMALIE)[number];

export const STATUTS_ANOMALIE = ["nouvelle", "en_cours", "resolue", "rejetee"] as const;
export type StatutAnomalie = (typeof STATUTS_ANOMALIE)[number];
/** Statuses that close an anomaly (the contact is erased CONTACT_RETENTION_DAYS later). */
export const STATUTS_CLOS: readonly StatutAnomalie[] = ["resolue", "rejetee"];

/** How the responsible network was found, best first. */
export const RATTACHEMENTS = ["immeuble", "adresse", "proximite", "departement", "aucun"] as const;
export type Rattachement = (typeof RATTACHEMENTS)[number];

/** The protocol's statuses (ACKNOWLEDGED, IN_PROGRESS, RESOLVED, REJECTED), for operators' exports. */
export const INTEROP_STATUT: Record<StatutAnomalie, string> = {
  nouvelle: "ACKNOWLEDGED",
  en_cours: "IN_PROGRESS",
  resolue: "RESOLVED",
  rejetee: "REJECTED",
};
/** The protocol's ticket types; a wrong FttH state or « autre » has no counterpart there. */
export const INTEROP_TYPE: Record<TypeAnomalie, string | null> = {
  adresse_absente: "AnomalieAdresseCreation",
  position_erronee: "AnomalieAdresseUpdateImb",
  etat_errone: null,
  autre: null,
};

/** Contacts of closed anomalies are erased this many days after closing (said in the form). */
export const CONTACT_RETENTION_DAYS = 90;

export interface AnomalieAdresseTable {
  id: string;
  jeton_empreinte: string;
  type: TypeAnomalie;
  description: string;
  adresse_libelle: string | null;
  adresse_id: string | null;
  immeuble_id: string | null;
  lat: number | null;
  lon: number | null;
  code_insee: string | null;
  reseau: string | null;
  rattachement: Rattachement;
  statut: StatutAnomalie;
  contact_email: string | null;
  cree_le: string;
  modifie_le: string;
  clos_le: string | null;
}

export type AuteurRole = "public" | "operateur" | "agent" | "admin" | "cle";

export interface AnomalieAdresseEvenementTable {
  id: string;
  anomalie_id: string;
  quand: string;
  nature: "signalement" | "reponse";
  auteur_id: string | null;
  auteur_nom: string;
  auteur_role: AuteurRole;
  statut_avant: StatutAnomalie | null;
  statut_apres: StatutAnomalie;
  message: string | null;
  /** 1 when the reporter sees it on the follow page. */
  public: number;
}

export interface AddressAnomalyTables {
  anomalie_adresse: AnomalieAdresseTable;
  anomalie_adresse_evenement: AnomalieAdresseEvenementTable;
}
