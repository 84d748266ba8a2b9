import { randomBytes } from "node:crypto";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import type { Kysely } from "kysely";
import type { AppDatabase } from "../../../shared/db/database.ts";
import type { ProgressListener } from "../../../shared/progress/progress.ts";
import type { BroadbandTables } from "../../broadband/broadband.tables.ts";
import type { AddressesById } from "../address-lookup.ts";
import { latestBuildingQuarter } from "../published-quarter.ts";
import type { CataloguePort } from "../service-catalogues/catalogue-offers.port.ts";
import type { BatchAddressLookup } from "./batch-address-lookup.ts";
import { BatchInputError, type ColumnChoice, type ColumnMapping, mapColumns, parseBatchCsv } from "./batch-input.ts";
import {
  type BatchDb,
  claimNextJob,
  commitBlock,
  FIRST_FAILURES,
  type FirstFailure,
  findJob,
  LostJobError,
  purgeJobsBefore,
  readInput,
  setJobState,
} from "./batch-jobs.repository.ts";
import { loadJobContext, resolveLines } from "./batch-resolve.ts";

export interface BatchDependencies {
  db: AppDatabase;
  lookup: BatchAddressLookup;
  catalogues: CataloguePort;
  /** Addresses by BAN id: an id without a building of its own gets the nearest one (none by default). */
  addressesById?: AddressesById;
}

export const MESSAGES = {
  entreePerdue: "Lot interrompu : le fichier déposé n'est plus disponible. Déposez-le à nouveau.",
  aucunTrimestre: "Aucun trimestre publié ne contient encore d'immeubles : l'éligibilité ne peut pas être calculée.",
  erreur:
    "Erreur inattendue pendant le traitement du lot : il a été arrêté. Déposez-le à nouveau ; si l'erreur persiste, signalez-la.",
} as const;

export type JobOutcome = "termine" | "echoue" | "interrompu" | "libere" | "perdu";

/** The input a failure came from (the columns the site was read from), shortened. */
function describeInput(row: string[], mapping: ColumnMapping): string {
  const indexes =
    mapping.mode === "id" ? [mapping.id] : mapping.mode === "position" ? [mapping.lat, mapping.lon] : mapping.adresse;
  const text = indexes
    .map((i) => (row[i] ?? "").trim())
    .filter((v) => v !== "")
    .join(mapping.mode === "position" ? ", " : " ");
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

/**
 * Runs (or resumes) one job held by `processus`, block after block; each block is committed with
 * the counters, then the event loop is given back. `shouldStop` is read between blocks: the job is
 * then released ("en_attente") for the next start. Never throws: any error ends the job as
 * "echoue" with a French message.
 */
export async function processJob(
  deps: BatchDependencies,
  id: string,
  processus: string,
  options: {
    shouldStop?: () => boolean;
    onProgress?: ProgressListener;
    onBlock?: (bloc: number) => void;
    log?: (message: string, error?: unknown) => void;
  } = {},
): Promise<JobOutcome> {
  const db = deps.db as BatchDb;
  // The same connection, seen through the broadband tables (quarter, buildings, eligibility rows).
  const broadbandDb = deps.db as Kysely<BroadbandTables>;
  try {
    const job = await findJob(db, id);
    if (job?.statut !== "en_cours" || job.processus !== processus) return "perdu";
    const content = await readInput(db, id);
    if (content === undefined) {
      await setJobState(db, id, processus, "interrompu", { message: MESSAGES.entreePerdue });
      return "interrompu";
    }
    const header = JSON.parse(job.entete) as string[];
    const choice = JSON.parse(job.colonnes) as ColumnChoice;
    const { rows } = parseBatchCsv(content, job.separateur);
    const mapping = mapColumns(header, choice);
    const trimestre = job.trimestre ?? (await latestBuildingQuarter(broadbandDb))?.code;
    if (!trimestre) {
      await setJobState(db, id, processus, "echoue", { message: MESSAGES.aucunTrimestre });
      return "echoue";
    }
    const snapshot = await deps.catalogues.snapshot();
    const ctx = await loadJobContext(broadbandDb, trimestre, job.date_reference, mapping, snapshot);
    const size = Number(job.taille_bloc);
    let traitees = Number(job.traitees);
    let resolues = Number(job.resolues);
    let echecs = Number(job.echecs);
    const raisons = JSON.parse(job.raisons) as Record<string, number>;
    const premiersEchecs = JSON.parse(job.premiers_echecs) as FirstFailure[];
    const total = rows.length;
    options.onProgress?.({ step: "Éligibilité des sites", done: traitees, total });
    for (let bloc = Math.floor(traitees / size); bloc * size < total; bloc++) {
      if (options.shouldStop?.()) {
        return (await setJobState(db, id, processus, "en_attente")) ? "libere" : "perdu";
      }
      const start = bloc * size;
      const blockRows = rows.slice(start, start + size);
      const resolved = await resolveLines(broadbandDb, ctx, deps.lookup, mapping, blockRows, deps.addressesById);
      resolved.forEach((line, i) => {
        if (line.failure === null) {
          resolues++;
          return;
        }
        echecs++;
        raisons[line.failure] = (raisons[line.failure] ?? 0) + 1;
        if (premiersEchecs.length < FIRST_FAILURES) {
          premiersEchecs.push({
            ligne: start + i + 2,
            entree: describeInput(blockRows[i] ?? [], mapping),
            raison: line.failure,
          });
        }
      });
      traitees = start + blockRows.length;
      await commitBlock(db, id, processus, {
        bloc,
        lignes: resolved.map((line) => line.cells),
        traitees,
        resolues,
        echecs,
        raisons,
        premiersEchecs,
        trimestre,
      });
      options.onBlock?.(bloc);
      options.onProgress?.({ step: "Éligibilité des sites", done: traitees, total });
      // The server keeps answering between blocks.
      await yieldToEventLoop();
    }
    return (await setJobState(db, id, processus, "termine")) ? "termine" : "perdu";
  } catch (error) {
    if (error instanceof LostJobError) return "perdu";
    options.log?.(`lot ${id} en échec`, error);
    const message = error instanceof BatchInputError ? `Lot en échec : ${error.message}` : MESSAGES.erreur;
    try {
      await setJobState(db, id, processus, "echoue", { message });
    } catch (markError) {
      options.log?.(`lot ${id} : état d'échec non enregistré`, markError);
    }
    return "echoue";
  }
}

export interface BatchRunnerOptions {
  /** A running job whose heartbeat is older than this belonged to a dead process: it is resumed. */
  staleAfterMs?: number;
  /** How often the queue is read when idle. */
  pollMs?: number;
  /** Ended jobs are deleted after this long. */
  keepMs?: number;
  onBlock?: (jobId: string, bloc: number) => void;
  log?: (message: string, error?: unknown) => void;
}

/**
 * The in-process job runner: one job at a time per process, jobs claimed atomically from the
 * table (several processes may run one each, adr 0004). Started and stopped with the server; a
 * clean stop releases the running job at a block boundary so that the next start resumes it.
 */
export class BatchRunner {
  readonly processus = `${process.pid}-${randomBytes(6).toString("hex")}`;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopping = false;
  private wakeRequested = false;
  private lastPurge = 0;
  private readonly staleAfterMs: number;
  private readonly pollMs: number;
  private readonly keepMs: number;

  constructor(
    private readonly deps: BatchDependencies,
    private readonly options: BatchRunnerOptions = {},
  ) {
    this.staleAfterMs = options.staleAfterMs ?? 30_000;
    this.pollMs = options.pollMs ?? 1_000;
    this.keepMs = options.keepMs ?? 7 * 24 * 3600 * 1000;
  }

  start(): void {
    if (this.timer) return;
    this.stopping = false;
    this.timer = setInterval(() => this.wake(), this.pollMs);
    this.timer.unref();
    this.wake();
  }

  /** Looks for work now (after a job was created) instead of at the next poll. */
  wake(): void {
    if (this.stopping) return;
    if (this.running) {
      this.wakeRequested = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = null;
      if (this.wakeRequested && !this.stopping) {
        this.wakeRequested = false;
        this.wake();
      }
    });
  }

  /** Waits for the job in hand to reach a block boundary and releases it. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Resolves when no job is being run (tests). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    const db = this.deps.db as BatchDb;
    try {
      if (Date.now() - this.lastPurge > 3600_000) {
        this.lastPurge = Date.now();
        await purgeJobsBefore(db, new Date(Date.now() - this.keepMs).toISOString());
      }
      while (!this.stopping) {
        const staleBefore = new Date(Date.now() - this.staleAfterMs).toISOString();
        const id = await claimNextJob(db, this.processus, staleBefore);
        if (!id) return;
        await processJob(this.deps, id, this.processus, {
          shouldStop: () => this.stopping,
          onBlock: (bloc) => this.options.onBlock?.(id, bloc),
          ...(this.options.log ? { log: this.options.log } : {}),
        });
      }
    } catch (error) {
      // The queue could not be read (database down): the next poll tries again.
      this.options.log?.("file des lots illisible", error);
    }
  }
}
