import type { Kysely } from "kysely";
import { notFound } from "../../../shared/http/errors.ts";
import { presentTerritoire } from "../territory.presenter.ts";
import type { Niveau, TerritoryTables } from "../territory.tables.ts";
import { countChildren, findNames, findTerritory } from "./get-territory.repository.ts";
import type { TerritoireDetail } from "./get-territory.schema.ts";

export const NIVEAU_LIBELLE: Record<Niveau, string> = {
  regions: "région",
  departements: "département",
  epci: "EPCI",
  communes: "commune",
};

export async function getTerritory(
  db: Kysely<TerritoryTables>,
  niveau: Niveau,
  code: string,
): Promise<TerritoireDetail> {
  const row = await findTerritory(db, niveau, code);
  if (!row) throw notFound(`Aucun territoire de niveau ${NIVEAU_LIBELLE[niveau]} avec le code ${code}`);
  const parentRefs: { niveau: Niveau; code: string }[] = [];
  if (row.region) parentRefs.push({ niveau: "regions", code: row.region });
  if (row.departement) parentRefs.push({ niveau: "departements", code: row.departement });
  if (row.epci) parentRefs.push({ niveau: "epci", code: row.epci });
  const [names, enfants] = await Promise.all([findNames(db, parentRefs), countChildren(db, niveau, code)]);
  const parent = (n: Niveau, c: string | null) => {
    const nom = c ? names.get(`${n}/${c}`) : undefined;
    return c && nom ? { code: c, nom } : undefined;
  };
  return {
    ...presentTerritoire(row),
    parents: {
      region: parent("regions", row.region),
      departement: parent("departements", row.departement),
      epci: parent("epci", row.epci),
    },
    enfants,
  };
}
