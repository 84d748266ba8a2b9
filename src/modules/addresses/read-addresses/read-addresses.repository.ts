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
