import { type Expression, type ExpressionBuilder, type SqlBool, sql } from "kysely";
import { escapeLike, normalizeForSearch } from "../../shared/text/normalize.ts";
import type { Niveau, TerritoryTables } from "./territory.tables.ts";

export interface TerritoryFilters {
  region?: string | undefined;
  departement?: string | undefined;
  epci?: string | undefined;
  q?: string | undefined;
}

type Eb = ExpressionBuilder<TerritoryTables, "territoire">;

const PARENT_LEVEL = {
  region: "regions",
  departement: "departements",
  epci: "epci",
} as const;
const OWN_COLUMN: Record<Niveau, "region" | "departement" | "epci" | null> = {
  regions: "region",
  departements: "departement",
  epci: "epci",
  communes: null,
};

/**
 * The WHERE clause shared by the territory lists and maps. A filter on a parent is read through the
 * communes when the relation is not stored on the row itself: an EPCI belongs to every région and
 * département where one of its communes lies.
 */
export function territoryFilter(niveau: Niveau, filters: TerritoryFilters) {
  return (eb: Eb): Expression<SqlBool> => {
    const conditions: Expression<SqlBool>[] = [eb("territoire.niveau", "=", niveau)];
    for (const key of ["region", "departement", "epci"] as const) {
      const value = filters[key];
      if (value === undefined) continue;
      if (PARENT_LEVEL[key] === niveau) {
        conditions.push(eb("territoire.code", "=", value));
      } else if (niveau === "communes" || (niveau === "departements" && key === "region")) {
        conditions.push(eb(`territoire.${key}`, "=", value));
      } else {
        const own = OWN_COLUMN[niveau] as "region" | "departement" | "epci";
        conditions.push(
          eb.exists(
            eb
              .selectFrom("territoire as c")
              .select(sql.lit(1).as("one"))
              .where("c.niveau", "=", "communes")
              .where(`c.${key}`, "=", value)
              .whereRef(`c.${own}`, "=", "territoire.code"),
          ),
        );
      }
    }
    const tokens = searchTokens(filters.q);
    // A query made only of punctuation matches nothing rather than everything.
    if (filters.q !== undefined && tokens.length === 0) conditions.push(sql<SqlBool>`1 = 0`);
    for (const token of tokens) {
      conditions.push(sql<SqlBool>`territoire.nom_recherche like ${`%${escapeLike(token)}%`} escape '\\'`);
    }
    return eb.and(conditions);
  };
}

export function searchTokens(q: string | undefined): string[] {
  return q ? normalizeForSearch(q).split(" ").filter(Boolean) : [];
}

/** Best matches first: exact name, then name starting with the query, then the most populated. */
export function relevanceOrder(q: string) {
  const normalized = escapeLike(normalizeForSearch(q));
  return sql<number>`case when territoire.nom_recherche like ${`${normalized} %`} escape '\\' then 0 when territoire.nom_recherche like ${`${normalized}%`} escape '\\' then 1 else 2 end`;
}
