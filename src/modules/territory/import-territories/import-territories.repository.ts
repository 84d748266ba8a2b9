import type { Insertable, Kysely } from "kysely";
import { chunkRows } from "../../../shared/db/database.ts";
import type { ProgressListener } from "../../../shared/progress/progress.ts";
import type {
  TerritoireContourTable,
  TerritoireImportTable,
  TerritoireTable,
  TerritoryTables,
} from "../territory.tables.ts";

export interface RegionTerritoriesWrite {
  region: string;
  rows: Insertable<TerritoireTable>[];
  contours: Insertable<TerritoireContourTable>[];
  importRecord: Insertable<TerritoireImportTable>;
  onProgress: ProgressListener;
}

/** Replaces one région's territories and contours in a single transaction. */
export async function writeRegionTerritories(
  db: Kysely<TerritoryTables>,
  write: RegionTerritoriesWrite,
): Promise<void> {
  const { region, rows, contours, importRecord, onProgress } = write;
  const step = "Enregistrement des territoires";
  const total = rows.length + contours.length;
  let done = 0;
  onProgress({ step, done, total });
  await db.transaction().execute(async (trx) => {
    const epciCodes = rows.filter((r) => r.niveau === "epci").map((r) => r.code);
    // Contours go with their territory (ON DELETE CASCADE).
    await trx.deleteFrom("territoire").where("niveau", "=", "regions").where("code", "=", region).execute();
    await trx
      .deleteFrom("territoire")
      .where("niveau", "in", ["departements", "communes"])
      .where("region", "=", region)
      .execute();
    for (const codes of chunkRows(epciCodes, 1)) {
      await trx.deleteFrom("territoire").where("niveau", "=", "epci").where("code", "in", codes).execute();
    }
    for (const chunk of chunkRows(rows, 15, 15_000)) {
      await trx.insertInto("territoire").values(chunk).execute();
      done += chunk.length;
      onProgress({ step, done, total });
    }
    for (const chunk of chunkRows(contours, 3, 600)) {
      await trx.insertInto("territoire_contour").values(chunk).execute();
      done += chunk.length;
      onProgress({ step, done, total });
    }
    // EPCI left without any commune (one that left the région since the last import).
    await trx
      .deleteFrom("territoire")
      .where("niveau", "=", "epci")
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom("territoire as c")
              .select("c.code")
              .where("c.niveau", "=", "communes")
              .whereRef("c.epci", "=", "territoire.code"),
          ),
        ),
      )
      .execute();
    await trx.deleteFrom("territoire_import").where("region", "=", region).execute();
    await trx.insertInto("territoire_import").values(importRecord).execute();
  });
}
