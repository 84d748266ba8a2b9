import type { Kysely } from "kysely";
import { currentCogVersion } from "../../../shared/cog/cog-source.ts";
import type { ProgressListener } from "../../../shared/progress/progress.ts";
import { type ImportTerritoriesReport, importTerritories } from "../import-territories/import-territories.service.ts";
import type { TerritoryTables } from "../territory.tables.ts";

export interface TerritoryImportStatus {
  region: string;
  importeLe: string;
  communes: number;
  communesAvecPolygone: number;
  sourceCog: string;
}

export async function findImportStatus(
  db: Kysely<TerritoryTables>,
  region: string,
): Promise<TerritoryImportStatus | undefined> {
  const row = await db.selectFrom("territoire_import").selectAll().where("region", "=", region).executeTakeFirst();
  return (
    row && {
      region: row.region,
      importeLe: row.importe_le,
      communes: row.communes,
      communesAvecPolygone: row.communes_avec_polygone,
      sourceCog: row.source_cog,
    }
  );
}

/**
 * Imports the région's territories on first start, and again when the installed COG edition differs
 * from the imported one (after a dependency update); otherwise later starts reuse them.
 */
export async function ensureTerritories(
  db: Kysely<TerritoryTables>,
  region: string,
  onProgress: ProgressListener,
): Promise<{ imported: ImportTerritoriesReport | null }> {
  const status = await findImportStatus(db, region);
  if (status && status.sourceCog === currentCogVersion()) return { imported: null };
  return { imported: await importTerritories(db, region, { onProgress }) };
}
