// The API's shapes come from the server's route schemas (type-only imports), so that the front end
// and the API cannot drift apart.

import type { SessionResponse } from "../../../src/modules/accounts/sessions/session.schema.ts";
import type { AddressFeatureCollection } from "../../../src/modules/addresses/search-addresses/search-addresses.schema.ts";
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

export type {
  ApiKeyList as CleListe,
  ApiKeyResource as Cle,
  CreateApiKeyBody as NouvelleCle,
  CreatedApiKey as CleCreee,
} from "../../../src/modules/accounts/api-keys/api-keys.schema.ts";
export type {
  AuditEntry as EntreeJournal,
  AuditPage as JournalPage,
} from "../../../src/modules/accounts/audit-log/audit-log.schema.ts";
export type {
  InviteUserBody as NouvelUtilisateur,
  UserList as UtilisateurListe,
  UserResource as Utilisateur,
} from "../../../src/modules/accounts/users/users.schema.ts";

// Addresses (national address API format).
export type { AddressFeatureCollection } from "../../../src/modules/addresses/search-addresses/search-addresses.schema.ts";
/** One result of the address search: a point with the address's label, commune and Lambert-93 x/y. */
export type AddressFeature = AddressFeatureCollection["features"][number];

export interface JournalFiltres {
  action?: string;
  acteur?: string;
  /** YYYY-MM-DD */
  depuis?: string;
  /** YYYY-MM-DD */
  jusqua?: string;
}

// Observatory of very-high-speed broadband (THD).
export type { GetCopperClosureResponse as ObservatoireCuivre } from "../../../src/modules/broadband/observatory/get-copper-closure/get-copper-closure.schema.ts";
export type { GetEquityResponse as ObservatoireEquite } from "../../../src/modules/broadband/observatory/get-equity/get-equity.schema.ts";
export type { GetObservatoryResponse as Observatoire } from "../../../src/modules/broadband/observatory/get-observatory/get-observatory.schema.ts";
export type { GetSeriesResponse as ObservatoireSerie } from "../../../src/modules/broadband/observatory/get-series/get-series.schema.ts";
export type { GetStrategicSitesResponse as ObservatoireSites } from "../../../src/modules/broadband/observatory/get-strategic-sites/get-strategic-sites.schema.ts";
export type { GetZoneFibreeResponse as ObservatoireZoneFibree } from "../../../src/modules/broadband/observatory/get-zone-fibree/get-zone-fibree.schema.ts";
export type { ObservatoryMapResponse as ObservatoireCarte } from "../../../src/modules/broadband/observatory/observatory-map/observatory-map.schema.ts";
