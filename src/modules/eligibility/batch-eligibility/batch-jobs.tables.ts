/** Tables of the multi-site batch (migration 2026_11_28_0009). Dates are ISO text. */

export const STATUTS_LOT = ["en_attente", "en_cours", "termine", "echoue", "interrompu"] as const;
export type StatutLot = (typeof STATUTS_LOT)[number];

export interface EligibiliteLotTable {
  id: string;
  statut: StatutLot;
  nom_fichier: string;
  encodage: string;
  separateur: string;
  /** JSON string[]: the header's column names. */
  entete: string;
  /** JSON ColumnMapping. */
  colonnes: string;
  date_reference: string;
  trimestre: string | null;
  taille_bloc: number;
  total: number;
  traitees: number;
  resolues: number;
  echecs: number;
  /** JSON Record<reason, count>. */
  raisons: string;
  /** JSON FirstFailure[]. */
  premiers_echecs: string;
  proprietaire_id: string | null;
  /** The runner instance holding the job while it runs. */
  processus: string | null;
  message: string | null;
  cree_le: string;
  demarre_le: string | null;
  /** Heartbeat while running; last change otherwise. */
  maj_le: string;
  termine_le: string | null;
}

export interface EligibiliteLotEntreeTable {
  lot_id: string;
  contenu: string;
}

export interface EligibiliteLotBlocTable {
  lot_id: string;
  bloc: number;
  /** JSON (string | number | null)[][]: the result cells of each line of the block. */
  lignes: string;
}

export interface BatchTables {
  eligibilite_lot: EligibiliteLotTable;
  eligibilite_lot_entree: EligibiliteLotEntreeTable;
  eligibilite_lot_bloc: EligibiliteLotBlocTable;
}
