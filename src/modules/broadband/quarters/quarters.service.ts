import type { Kysely } from "kysely";
import type { AccountsTables } from "../../accounts/accounts.tables.ts";
import { recordAudit } from "../../accounts/audit-log/record-audit.ts";
import type { BroadbandTables, ThdTrimestreTable } from "../broadband.tables.ts";
import { quarterCode, quarterEnd, quarterStart } from "./quarter-code.ts";

/** A published quarter is what the public sees: nothing may change it any more. */
export class QuarterPublishedError extends Error {
  override name = "QuarterPublishedError";
  constructor(readonly code: string) {
    super(`Le trimestre ${code} est publié : ses données ne peuvent plus être modifiées`);
  }
}

export class QuarterNotFoundError extends Error {
  override name = "QuarterNotFoundError";
  constructor(readonly code: string) {
    super(`Le trimestre ${code} n'existe pas (aucune donnée importée)`);
  }
}

export interface QuarterSummary {
  code: string;
  statut: ThdTrimestreTable["statut"];
  debut: string;
  fin: string;
  simule: boolean;
  creeLe: string;
  publieLe: string | null;
  publiePar: string | null;
}

const toSummary = (row: ThdTrimestreTable): QuarterSummary => ({
  code: row.code,
  statut: row.statut,
  debut: quarterStart(row.code),
  fin: quarterEnd(row.code),
  simule: row.simule === 1,
  creeLe: row.cree_le,
  publieLe: row.publie_le,
  publiePar: row.publie_par,
});

/**
 * Makes sure a draft quarter exists before data is written into it: creates it when absent, refuses
 * (QuarterPublishedError) when it is published. Call it inside the import's transaction, so that a
 * failed import does not leave an empty quarter behind. `simule` marks the quarter as simulated
 * (demo); once simulated data is in, the quarter stays marked.
 */
export async function ensureDraftQuarter(
  db: Kysely<BroadbandTables>,
  code: string,
  options: { simule?: boolean } = {},
  now = new Date(),
): Promise<QuarterSummary> {
  const normalised = quarterCode(code);
  const existing = await db.selectFrom("thd_trimestre").selectAll().where("code", "=", normalised).executeTakeFirst();
  if (existing) {
    if (existing.statut === "publie") throw new QuarterPublishedError(normalised);
    if (options.simule && existing.simule !== 1) {
      await db.updateTable("thd_trimestre").set({ simule: 1 }).where("code", "=", normalised).execute();
      existing.simule = 1;
    }
    return toSummary(existing);
  }
  const row: ThdTrimestreTable = {
    code: normalised,
    statut: "brouillon",
    cree_le: now.toISOString(),
    publie_le: null,
    publie_par: null,
    simule: options.simule ? 1 : 0,
  };
  await db.insertInto("thd_trimestre").values(row).execute();
  return toSummary(row);
}

/** Throws QuarterPublishedError when the quarter exists and is published (a check for writers). */
export async function assertQuarterWritable(db: Kysely<BroadbandTables>, code: string): Promise<void> {
  const row = await db
    .selectFrom("thd_trimestre")
    .select("statut")
    .where("code", "=", quarterCode(code))
    .executeTakeFirst();
  if (row?.statut === "publie") throw new QuarterPublishedError(quarterCode(code));
}

/**
 * Publishes a draft quarter: from then on it is immutable and public. Publishing an already
 * published quarter is refused (QuarterPublishedError); `par` names who did it ("utilisateur:…",
 * "cli"…), kept on the quarter and in the audit log.
 */
export async function publishQuarter(
  db: Kysely<BroadbandTables>,
  code: string,
  par: string,
  now = new Date(),
): Promise<QuarterSummary> {
  const normalised = quarterCode(code);
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom("thd_trimestre")
      .selectAll()
      .where("code", "=", normalised)
      .executeTakeFirst();
    if (!existing) throw new QuarterNotFoundError(normalised);
    if (existing.statut === "publie") throw new QuarterPublishedError(normalised);
    const publieLe = now.toISOString();
    await trx
      .updateTable("thd_trimestre")
      .set({ statut: "publie", publie_le: publieLe, publie_par: par })
      .where("code", "=", normalised)
      .where("statut", "=", "brouillon")
      .execute();
    await recordAudit(
      trx as unknown as Kysely<AccountsTables>,
      { acteur: par, action: "trimestre.publication", cible: normalised, details: { simule: existing.simule === 1 } },
      now,
    );
    return toSummary({ ...existing, statut: "publie", publie_le: publieLe, publie_par: par });
  });
}

/** Quarters in chronological order; only published ones unless `brouillons`. */
export async function listQuarters(
  db: Kysely<BroadbandTables>,
  options: { brouillons?: boolean } = {},
): Promise<QuarterSummary[]> {
  let query = db.selectFrom("thd_trimestre").selectAll().orderBy("code");
  if (!options.brouillons) query = query.where("statut", "=", "publie");
  return (await query.execute()).map(toSummary);
}
