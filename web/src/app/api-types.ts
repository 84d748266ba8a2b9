// The API's shapes come from the server's route schemas (type-only imports), so that the front end
// and the API cannot drift apart.
import type { SessionResponse } from "../../../src/modules/accounts/sessions/session.schema.ts";
import type { UserResource } from "../../../src/modules/accounts/users/users.schema.ts";
import type { TerritoireDetail } from "../../../src/modules/territory/get-territory/get-territory.schema.ts";
import type { TerritoireResume } from "../../../src/modules/territory/territory.schemas.ts";

export type { ConfigurationResponse as Configuration } from "../../../src/modules/platform/get-configuration/get-configuration.schema.ts";
export type { TerritoireDetail } from "../../../src/modules/territory/get-territory/get-territory.schema.ts";
export type { ListTerritoriesResponse as TerritoirePage } from "../../../src/modules/territory/list-territories/list-territories.schema.ts";
export type { TerritoireResume } from "../../../src/modules/territory/territory.schemas.ts";
export type { Niveau } from "../../../src/modules/territory/territory.tables.ts";

export type DensiteInsee = NonNullable<TerritoireResume["densiteInsee"]>;
export type SourceContour = TerritoireResume["sourceContour"];
export type ParentRef = NonNullable<TerritoireDetail["parents"]["region"]>;

/** Parent filters accepted by the territory lists and maps. */
export interface TerritoireFilters {
  region?: string;
  departement?: string;
  epci?: string;
}

// Accounts.
export type { SessionResponse as Session } from "../../../src/modules/accounts/sessions/session.schema.ts";
export type SessionUtilisateur = NonNullable<SessionResponse["utilisateur"]>;
/** A role held by a person, bound to a perimeter (network, place, organisation; "" for admin and agent). */
export type RoleAttribue = SessionUtilisateur["roles"][number];
export type Role = RoleAttribue["role"];

export type { UserResource as Utilisateur } from "../../../src/modules/accounts/users/users.schema.ts";
export interface UtilisateurListe {
  total: number;
  results: UserResource[];
}

// The API keys and audit log route schemas are not exported by the server (yet): these shapes
// follow them (src/modules/accounts/api-keys/api-keys.routes.ts, audit-log/audit-log.routes.ts).
export interface NouvelUtilisateur {
  email: string;
  nom: string;
  roles: RoleAttribue[];
}

export interface Cle {
  id: string;
  prefixe: string;
  nom: string;
  portees: string[];
  proprietaire: { id: string; email: string };
  creeLe: string;
  expireLe: string | null;
  revoqueeLe: string | null;
  derniereUtilisation: string | null;
}

export interface CleListe {
  results: Cle[];
}

export interface NouvelleCle {
  nom: string;
  portees: string[];
  /** YYYY-MM-DD */
  expireLe?: string;
}

/** The created key: its secret (`cle`, shown once) and its metadata. */
export type CleCreee = Cle & { cle: string };

export interface EntreeJournal {
  id: string;
  quand: string;
  acteur: string;
  action: string;
  cible: string;
  resultat: "succes" | "echec";
  ip: string;
  details: Record<string, unknown>;
}

export interface JournalPage {
  total: number;
  results: EntreeJournal[];
}

export interface JournalFiltres {
  action?: string;
  acteur?: string;
  /** YYYY-MM-DD */
  depuis?: string;
  /** YYYY-MM-DD */
  jusqua?: string;
}
