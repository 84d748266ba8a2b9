import { randomBytes } from "node:crypto";
import type { Kysely, Selectable } from "kysely";
import type { AuditHook } from "../audit-port.ts";
import type { BatchTables, EligibiliteLotTable, StatutLot } from "./batch-jobs.tables.ts";

export type BatchDb = Kysely<BatchTables>;
export type JobRow = Omit<Selectable<EligibiliteLotTable>, never>;

/** How many failures the status keeps to show (the full list is in the results). */
export const FIRST_FAILURES = 20;

export interface FirstFailure {
  ligne: number;
  entree: string;
  raison: string;
}

/** 144 random bits, URL-safe: the id is the only key to a public job. */
export function newJobId(): string {
  return randomBytes(18).toString("base64url");
}

export const nowIso = () => new Date().toISOString();

export interface NewJob {
  id: string;
  statut: "en_attente" | "en_cours";
  nomFichier: string;
  encodage: string;
  separateur: string;
  entete: string[];
  colonnes: unknown;
  dateReference: string;
  total: number;
  tailleBloc: number;
  proprietaireId: string | null;
  /** Runner instance, when the creator runs the job itself (CLI). */
  processus: string | null;
  contenu: string;
}

/** The job and its input (and its journal line) in one transaction: a job never exists without its file. */
export async function insertJob(db: BatchDb, job: NewJob, audit?: AuditHook): Promise<void> {
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("eligibilite_lot")
      .values({
        id: job.id,
        statut: job.statut,
        nom_fichier: job.nomFichier,
        encodage: job.encodage,
        separateur: job.separateur,
        entete: JSON.stringify(job.entete),
        colonnes: JSON.stringify(job.colonnes),
        date_reference: job.dateReference,
        trimestre: null,
        taille_bloc: job.tailleBloc,
        total: job.total,
        traitees: 0,
        resolues: 0,
        echecs: 0,
        raisons: "{}",
        premiers_echecs: "[]",
        proprietaire_id: job.proprietaireId,
        processus: job.processus,
        message: null,
        cree_le: now,
        demarre_le: job.statut === "en_cours" ? now : null,
        maj_le: now,
        termine_le: null,
      })
      .execute();
    await trx.insertInto("eligibilite_lot_entree").values({ lot_id: job.id, contenu: job.contenu }).execute();
    if (audit) await audit(trx);
  });
}

export async function findJob(db: BatchDb, id: string): Promise<JobRow | undefined> {
  return db.selectFrom("eligibilite_lot").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function readInput(db: BatchDb, id: string): Promise<string | undefined> {
  return (await db.selectFrom("eligibilite_lot_entree").select("contenu").where("lot_id", "=", id).executeTakeFirst())
    ?.contenu;
}

/**
 * Claims the oldest waiting job, or a running one whose heartbeat is older than `staleBefore` (its
 * process died): a conditional UPDATE, so that of several processes exactly one gets it.
 */
export async function claimNextJob(db: BatchDb, processus: string, staleBefore: string): Promise<string | null> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const candidate = await db
      .selectFrom("eligibilite_lot")
      .select(["id", "statut", "maj_le"])
      .where((eb) =>
        eb.or([
          eb("statut", "=", "en_attente"),
          eb.and([eb("statut", "=", "en_cours"), eb("maj_le", "<", staleBefore)]),
        ]),
      )
      .orderBy("cree_le")
      .limit(1)
      .executeTakeFirst();
    if (!candidate) return null;
    const now = nowIso();
    const result = await db
      .updateTable("eligibilite_lot")
      .set((eb) => ({
        statut: "en_cours",
        processus,
        maj_le: now,
        demarre_le: eb.fn.coalesce("demarre_le", eb.val(now)),
      }))
      .where("id", "=", candidate.id)
      .where("statut", "=", candidate.statut)
      .where("maj_le", "=", candidate.maj_le)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 1) return candidate.id;
  }
  return null;
}

/** The job is no longer this runner's (cancelled, or taken over after a stale heartbeat). */
export class LostJobError extends Error {}

export interface BlockCommit {
  bloc: number;
  lignes: unknown[][];
  traitees: number;
  resolues: number;
  echecs: number;
  raisons: Record<string, number>;
  premiersEchecs: FirstFailure[];
  trimestre: string;
}

/** One block of results and the job's counters, in one transaction: progress is durable and exact. */
export async function commitBlock(db: BatchDb, id: string, processus: string, commit: BlockCommit): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable("eligibilite_lot")
      .set({
        traitees: commit.traitees,
        resolues: commit.resolues,
        echecs: commit.echecs,
        raisons: JSON.stringify(commit.raisons),
        premiers_echecs: JSON.stringify(commit.premiersEchecs),
        trimestre: commit.trimestre,
        maj_le: nowIso(),
      })
      .where("id", "=", id)
      .where("statut", "=", "en_cours")
      .where("processus", "=", processus)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw new LostJobError(id);
    await trx
      .insertInto("eligibilite_lot_bloc")
      .values({ lot_id: id, bloc: commit.bloc, lignes: JSON.stringify(commit.lignes) })
      .execute();
  });
}

/** Ends (or releases) a job held by `processus`; false when it was no longer held. */
export async function setJobState(
  db: BatchDb,
  id: string,
  processus: string | null,
  statut: StatutLot,
  fields: { message?: string | null; trimestre?: string | null } = {},
): Promise<boolean> {
  const now = nowIso();
  let query = db
    .updateTable("eligibilite_lot")
    .set({
      statut,
      maj_le: now,
      processus: statut === "en_cours" ? processus : null,
      ...(statut === "termine" || statut === "echoue" || statut === "interrompu" ? { termine_le: now } : {}),
      ...(fields.message !== undefined ? { message: fields.message } : {}),
      ...(fields.trimestre !== undefined ? { trimestre: fields.trimestre } : {}),
    })
    .where("id", "=", id);
  query = processus === null ? query : query.where("processus", "=", processus).where("statut", "=", "en_cours");
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Deletes a job, its input and its results (journalled by `audit` when it existed); false when unknown. */
export async function deleteJob(db: BatchDb, id: string, audit?: AuditHook): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    await trx.deleteFrom("eligibilite_lot_bloc").where("lot_id", "=", id).execute();
    await trx.deleteFrom("eligibilite_lot_entree").where("lot_id", "=", id).execute();
    const result = await trx.deleteFrom("eligibilite_lot").where("id", "=", id).executeTakeFirst();
    const deleted = Number(result.numDeletedRows) === 1;
    if (deleted && audit) await audit(trx);
    return deleted;
  });
}

/** The result blocks of a job, in order, a few at a time (a 100,000-line job holds 100 blocks). */
export async function* readBlocks(db: BatchDb, id: string): AsyncGenerator<unknown[][]> {
  let next = 0;
  for (;;) {
    const rows = await db
      .selectFrom("eligibilite_lot_bloc")
      .select(["bloc", "lignes"])
      .where("lot_id", "=", id)
      .where("bloc", ">=", next)
      .orderBy("bloc")
      .limit(10)
      .execute();
    if (rows.length === 0) return;
    for (const row of rows) {
      yield JSON.parse(row.lignes) as unknown[][];
      next = Number(row.bloc) + 1;
    }
  }
}

/** Jobs ended (or abandoned) before `before`, with their data: results are kept for a while, not forever. */
export async function purgeJobsBefore(db: BatchDb, before: string): Promise<number> {
  const old = await db
    .selectFrom("eligibilite_lot")
    .select("id")
    .where("maj_le", "<", before)
    .where("statut", "in", ["termine", "echoue", "interrompu"])
    .execute();
  for (const { id } of old) await deleteJob(db, id);
  return old.length;
}
