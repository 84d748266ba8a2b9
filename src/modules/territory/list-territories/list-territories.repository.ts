import type { Kysely } from "kysely";
import { relevanceOrder, type TerritoryFilters, territoryFilter } from "../territory.filters.ts";
import type { Niveau, TerritoireRow, TerritoryTables } from "../territory.tables.ts";

export interface ListTerritoriesInput extends TerritoryFilters {
  niveau: Niveau;
  tri?: "nom" | "population" | "code" | undefined;
  limit: number | null;
  offset: number;
}

export async function listTerritories(
  db: Kysely<TerritoryTables>,
  input: ListTerritoriesInput,
): Promise<{ total: number; rows: TerritoireRow[] }> {
  const where = territoryFilter(input.niveau, input);
  const countRow = await db
    .selectFrom("territoire")
    .select((eb) => eb.fn.countAll<number>().as("total"))
    .where(where)
    .executeTakeFirstOrThrow();

  let query = db.selectFrom("territoire").selectAll("territoire").where(where);
  const tri = input.tri ?? (input.q ? undefined : "nom");
  if (tri === undefined && input.q) query = query.orderBy(relevanceOrder(input.q)).orderBy("population", "desc");
  if (tri === "population") query = query.orderBy("population", "desc");
  if (tri === "code") query = query.orderBy("code");
  // The normalised name sorts the same on both engines, whatever their collation.
  query = query.orderBy("nom_recherche").orderBy("code");
  if (input.limit !== null) query = query.limit(input.limit).offset(input.offset);
  return { total: Number(countRow.total), rows: await query.execute() };
}
