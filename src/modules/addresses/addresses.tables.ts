/** An imported address set. Readers read the `actif` one; an import writes a new one and swaps. */
export type AdresseLotStatut = "en_cours" | "actif" | "remplace" | "echoue";

export interface AdresseLotTable {
  id: string;
  cree_le: string;
  termine_le: string | null;
  /** JSON text: `[{ nom, sha256 }]`, one entry per imported file. */
  fichiers: string;
  /** SHA-256 of the files taken together (order-independent): equal means "already imported". */
  sha256: string;
  lignes: number;
  rejets: number;
  statut: AdresseLotStatut;
  message: string | null;
}

/** One address point of the Base Adresse Nationale (id = BAN interoperability key). */
export interface AdresseTable {
  lot_id: string;
  id: string;
  numero: number;
  rep: string | null;
  nom_voie: string;
  code_postal: string;
  code_insee: string;
  nom_commune: string;
  lon: number;
  lat: number;
  type_position: string | null;
  source: string | null;
}

export interface AddressTables {
  adresse_lot: AdresseLotTable;
  adresse: AdresseTable;
}

export const ADRESSE_COLUMNS = [
  "lot_id",
  "id",
  "numero",
  "rep",
  "nom_voie",
  "code_postal",
  "code_insee",
  "nom_commune",
  "lon",
  "lat",
  "type_position",
  "source",
] as const;
