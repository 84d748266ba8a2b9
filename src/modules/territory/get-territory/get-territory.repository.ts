import type { Kysely } from "kysely";
import type { Niveau, TerritoireRow, TerritoryTables } from "../territory.tables.ts";

export function findTerritory(
  db: Kysely<TerritoryTables>,
  niveau: Niveau,
  code: string,
): Promise<TerritoireRow | undefined> {
  return db
    .selectFrom("territoire")
    .selectAll()
    .where("niveau", "=", niveau)
    .where("code", "=", code)
    .executeTakeFirst();
}

export async function findNames(
  db: Kysely<TerritoryTables>,
  refs: { niveau: Niveau; code: string }[],
): Promise<Map<string, string>> {
  if (refs.length === 0) return new Map();
  const rows = await db
    .selectFrom("territoire")
    .select(["niveau", "code", "nom"])
    .where((eb) => eb.or(refs.map((r) => eb.and([eb("niveau", "=", r.niveau), eb("code", "=", r.code)]))))
    .execute();
  return new Map(rows.map((r) => [`${r.niveau}/${r.code}`, r.nom]));
}

/** Counts the communes, EPCI and départements under a territory (through its communes). */
export async function countChildren(
  db: Kysely<TerritoryTables>,
  niveau: Niveau,
  code: string,
): Promise<{ departements?: number; epci?: number; communes?: number }> {
  if (niveau === "communes") return {};
  const column = niveau === "regions" ? "region" : niveau === "departements" ? "departement" : "epci";
  const row = await db
    .selectFrom("territoire")
    .select((eb) => [
      eb.fn.countAll<number>().as("communes"),
      eb.fn.count<number>("epci").distinct().as("epci"),
      eb.fn.count<number>("departement").distinct().as("departements"),
    ])
    .where("niveau", "=", "communes")
    .where(column, "=", code)
    .executeTakeFirstOrThrow();
  const communes = Number(row.communes);
  if (niveau === "epci") return { communes };
  if (niveau === "departements") return { epci: Number(row.epci), communes };
  return {
    departements: Number(row.departements),
    epci: Number(row.epci),
    communes,
  };
}
