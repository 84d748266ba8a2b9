// The API's shapes come from the server's route schemas (type-only imports), so that the front end
// and the API cannot drift apart.
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
