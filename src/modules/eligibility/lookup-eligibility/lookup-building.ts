import type { ThdImmeubleTable } from "../../broadband/broadband.tables.ts";

/** A building as lookups read it (the IPE code is not shown). */
export type LookupBuilding = Omit<ThdImmeubleTable, "code_ipe">;

/** Its columns, in the order the SQL store reads them (eligibility-store.ts) and the index keeps them. */
export const BUILDING_COLUMNS = [
  "trimestre",
  "id",
  "adresse_id",
  "code_insee",
  "numero",
  "rep",
  "nom_voie",
  "lon",
  "lat",
  "type",
  "nb_locaux",
  "reseau",
  "operateur_infra",
  "etat_ftth",
  "reference_pm",
  "etat_pm",
  "date_mes_commerciale",
  "date_prevue",
] as const;
