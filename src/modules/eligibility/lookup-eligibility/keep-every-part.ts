import { setImmediate as nextTurn } from "node:timers/promises";
import type { CatalogueSnapshot } from "../service-catalogues/catalogue-offers.port.ts";
import type { ContextParts } from "./answer-parts.ts";
import type { EligibilityStore, QuarterRef } from "./eligibility-store.ts";
import { answerFor } from "./lookup-eligibility.service.ts";

/** What keeping every part did. */
export interface KeptParts {
  /** Indexed buildings looked at. */
  buildings: number;
  /** Answers built in full (one per building that brought a part not kept yet). */
  built: number;
  ms: number;
}

/** Buildings read from the index per step. */
const SLICE = 2000;
/** Work between two turns of the event loop: requests wait at most about this long behind it. */
const TURN_MS = 5;

/**
 * Once the index is built, goes through every indexed building and builds in full the answer of each
 * one whose parts are not all kept yet (at `date`, with `snapshot`): afterwards the first lookup of
 * any indexed building finds all its parts, as a second one would. A région has a few thousand
 * distinct values of each part, so a few thousand answers out of hundreds of thousands of buildings.
 * Works a few milliseconds at a time, so requests are answered meanwhile; returns null when the
 * index no longer holds the quarter or `cancelled` says so.
 */
export async function keepEveryPart({
  store,
  contexts,
  quarter,
  snapshot,
  date,
  cancelled,
}: {
  store: EligibilityStore;
  contexts: ContextParts;
  quarter: QuarterRef;
  snapshot: CatalogueSnapshot;
  date: string;
  cancelled?: () => boolean;
}): Promise<KeptParts | null> {
  const started = performance.now();
  let turnStarted = started;
  let position = 0;
  let built = 0;
  const turnOver = () => performance.now() - turnStarted >= TURN_MS;
  for (;;) {
    if (cancelled?.()) return null;
    // Read again after each turn: no building read before a turn is used after it (a new index or
    // new names may have come meanwhile, with codes of their own).
    const slice = store.indexedSlice(quarter.code, position, SLICE);
    if (slice === undefined) return null;
    if (slice.length === 0) break;
    for (const stored of slice) {
      position++;
      if (stored.context === undefined || contexts.known(stored.context, date, snapshot) !== undefined) continue;
      const [answered] = (await answerFor(store, quarter, [stored], null, date)).buildings;
      if (answered !== undefined) contexts.of(answered, date, snapshot);
      built++;
      if (turnOver()) break;
    }
    if (turnOver()) {
      await nextTurn();
      turnStarted = performance.now();
    }
  }
  return { buildings: position, built, ms: performance.now() - started };
}
