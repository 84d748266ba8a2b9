import type { Selectable } from "kysely";
import type { Role } from "../../shared/http/access-control.ts";

export interface UtilisateurTable {
  id: string;
  email: string;
  nom: string;
  /** argon2id hash; null for an account that signs in only through OpenID Connect. */
  mot_de_passe: string | null;
  actif: number;
  demo: number;
  cree_le: string;
  derniere_connexion: string | null;
}

export interface UtilisateurRoleTable {
  utilisateur_id: string;
  role: Role;
  perimetre: string;
}

export interface SessionTable {
  id: string;
  utilisateur_id: string;
  jeton_csrf: string;
  cree_le: string;
  expire_le: string;
  ip: string;
  agent: string;
}

export interface JetonReinitialisationTable {
  id: string;
  utilisateur_id: string;
  cree_le: string;
  expire_le: string;
  utilise_le: string | null;
}

export interface CleApiTable {
  id: string;
  prefixe: string;
  empreinte: string;
  nom: string;
  portees: string;
  proprietaire_id: string;
  cree_le: string;
  expire_le: string | null;
  revoquee_le: string | null;
  derniere_utilisation: string | null;
}

export interface JournalAuditTable {
  id: string;
  quand: string;
  acteur: string;
  action: string;
  cible: string;
  resultat: "succes" | "echec";
  ip: string;
  details: string;
}

export interface CourrielSortantTable {
  id: string;
  destinataire: string;
  sujet: string;
  corps: string;
  cree_le: string;
  envoye_le: string | null;
}

export interface TentativeConnexionTable {
  cle: string;
  echecs: number;
  debut_fenetre: string;
}

export interface AccountsTables {
  utilisateur: UtilisateurTable;
  utilisateur_role: UtilisateurRoleTable;
  session: SessionTable;
  jeton_reinitialisation: JetonReinitialisationTable;
  cle_api: CleApiTable;
  journal_audit: JournalAuditTable;
  courriel_sortant: CourrielSortantTable;
  tentative_connexion: TentativeConnexionTable;
}

export type UtilisateurRow = Selectable<UtilisateurTable>;
