import type { Kysely } from "kysely";
import type { BroadbandTables } from "../broadband/broadband.tables.ts";

/** A published quarter, and whether its data are simulated (the demo's). */
export interface QuarterRef {
  code: string;
  simule: boolean;
}

/**
 * The latest published quarter holding buildings: drafts never decide anything public. Published
 * quarters are ranked by code; the EXISTS probe walks the (trimestre, id) primary key. Shared by
 * the one-site lookup (which caches it, eligibility-store.ts), batch jobs and anomaly routing.
 */
export async function latestBuildingQuarter(db: Kysely<BroadbandTables>): Promise<QuarterRef | null> {
  const row = await db
    .selectFrom("thd_trimestre as t")
    .select(["t.code", "t.simule"])
    .where("t.statut", "=", "publie")
    .where(({ exists, selectFrom }) =>
      exists(selectFrom("thd_immeuble as i").select("i.id").whereRef("i.trimestre", "=", "t.code").limit(1)),
    )
    .orderBy("t.code", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ? { code: row.code, simule: Number(row.simule) === 1 } : null;
}
