import type { Kysely, Selectable } from "kysely";
import type { AddressTables, AdresseTable } from "../addresses.tables.ts";
import { findActiveLot } from "../import-ban/import-ban.repository.ts";

export type AdresseRow = Omit<Selectable<AdresseTable>, "lot_id">;

/**
 * Addresses of the active lot, for one commune, in id order. Reads the lot id first and then its
 * rows: an import that swaps lots in between leaves the old rows until it deletes them, so a reader
 * sees one lot or the other, never a mix; it retries once when the lot it read has just been emptied.
 */
export async function listActiveAddresses(db: Kysely<AddressTables>, codeInsee: string): Promise<AdresseRow[]> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const lot = await findActiveLot(db);
    if (!lot) return [];
    const rows = await db
      .selectFrom("adresse")
      .select([
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
      ])
      .where("lot_id", "=", lot.id)
      .where("code_insee", "=", codeInsee)
      .orderBy("id")
      .execute();
    if (rows.length > 0 || (await findActiveLot(db))?.id === lot.id) return rows;
  }
  return [];
}

/** An address of the active lot as a point: its BAN id, its label and position. */
export interface AddressPoint {
  id: string;
  label: string;
  lon: number;
  lat: number;
}

/** Ids per query: well under the parameter limits of SQLite and PostgreSQL. */
const IDS_PER_QUERY = 500;

/**
 * The addresses of the active lot with these BAN ids (labelled as the geocoder labels a house
 * number); ids it does not hold are absent from the map.
 */
export async function findActiveAddressesById(
  db: Kysely<AddressTables>,
  ids: readonly string[],
): Promise<Map<string, AddressPoint>> {
  const found = new Map<string, AddressPoint>();
  const wanted = [...new Set(ids)].filter((id) => id !== "");
  if (wanted.length === 0) return found;
  const lot = await findActiveLot(db);
  if (!lot) return found;
  for (let start = 0; start < wanted.length; start += IDS_PER_QUERY) {
    const rows = await db
      .selectFrom("adresse")
      .select(["id", "numero", "rep", "nom_voie", "code_postal", "nom_commune", "lon", "lat"])
      .where("lot_id", "=", lot.id)
      .where("id", "in", wanted.slice(start, start + IDS_PER_QUERY))
      .execute();
    for (const r of rows) {
      found.set(r.id, {
        id: r.id,
        label: `${r.numero}${r.rep ?? ""} ${r.nom_voie} ${r.code_postal} ${r.nom_commune}`,
        lon: Number(r.lon),
        lat: Number(r.lat),
      });
    }
  }
  return found;
}
