import Fastify, { type FastifyReply } from "fastify";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../../../shared/testing/test-databases.ts";
import type { CatalogueSnapshot } from "../service-catalogues/catalogue-offers.port.ts";
import { ContextParts, contextStretches, presentContext, type SharedParts } from "./answer-parts.ts";
import type { EligibilityStore } from "./eligibility-store.ts";
import { ImmeubleContexte } from "./lookup-eligibility.schema.ts";
import { type BuildingAnswer, lookupInQuarter, type QuarterRef } from "./lookup-eligibility.service.ts";
import { indexedEligibilityFixture } from "./lookup-eligibility.test-fixture.ts";

describeEachDatabase("Parties de réponse d'éligibilité gardées par ce dont elles dépendent", (ctx) => {
  // A reply of a real route: its serializeInput is Fastify's, which the parts' serialisers must match.
  const app = Fastify();
  let reply: FastifyReply;
  let plain: EligibilityStore;
  let indexed: EligibilityStore;
  let quarter: QuarterRef;
  let snapshot: CatalogueSnapshot;
  let buildingIds: string[];
  // Dates on both sides of the fixture's commercial openings, planned dates and catalogue versions.
  const DATES = ["2024-06-01", "2025-06-01", "2026-03-15", "2031-01-01"];

  beforeAll(async () => {
    app.get("/", (_request, r) => {
      reply = r;
      return "";
    });
    await app.inject({ method: "GET", url: "/" });
    ({ plain, indexed, quarter, snapshot, buildingIds } = await indexedEligibilityFixture(ctx.db));
  });
  afterAll(() => app.close());

  const answered = async (store: EligibilityStore, id: string, date: string): Promise<BuildingAnswer[]> =>
    (await lookupInQuarter(store, quarter, { by: "immeuble", id }, date)).buildings;

  it("met bout à bout les quatre morceaux du contexte en exactement le JSON du schéma entier", async () => {
    expect(buildingIds.length).toBeGreaterThan(5);
    for (const date of DATES) {
      for (const id of buildingIds) {
        for (const b of await answered(plain, id, date)) {
          const s = contextStretches(b);
          const whole = reply.serializeInput(
            presentContext(b) as unknown as Record<string, unknown>,
            ImmeubleContexte as unknown as Record<string, unknown>,
          );
          expect(`{${s.reseau},${s.fibre},${s.technologies},${s.cuivre}}`, `${id} ${date}`).toBe(whole);
        }
      }
    }
  });

  it("donne à chaque immeuble de l'index les parties que sa réponse complète donnerait, dans tout ordre", async () => {
    // Reference: every answer built in full from SQL (no context: nothing kept, nothing shared).
    const reference = new ContextParts();
    const expected = new Map<string, SharedParts[]>();
    for (const date of DATES) {
      for (const id of buildingIds) {
        const parts = (await answered(plain, id, date)).map((b) => {
          expect(b.context).toBeUndefined();
          return reference.of(b, date, snapshot);
        });
        expected.set(`${date}|${id}`, parts);
      }
    }
    // From the index, in two orders, with parts kept as they come: each building gets its own answer's
    // parts, whether built in full or put together from parts another building left.
    for (const order of [buildingIds, [...buildingIds].reverse()]) {
      const contexts = new ContextParts();
      let known = 0;
      for (const pass of [1, 2]) {
        for (const date of DATES) {
          for (const id of order) {
            const buildings = await indexed.byBuilding(quarter.code, id);
            const parts = [];
            for (const stored of buildings) {
              expect(stored.context, id).toBeDefined();
              const kept = contexts.known(stored.context as NonNullable<typeof stored.context>, date, snapshot);
              if (kept) known++;
              parts.push(
                kept ??
                  contexts.of(
                    (await answered(indexed, id, date)).find(
                      (b) => b.building.id === stored.building.id,
                    ) as BuildingAnswer,
                    date,
                    snapshot,
                  ),
              );
            }
            expect(parts, `${pass} ${date} ${id}`).toEqual(expected.get(`${date}|${id}`));
          }
        }
      }
      // The second pass finds every part kept: were a key to miss something its part depends on,
      // two buildings would share a part that differs, and one of them would get the other's.
      expect(known).toBeGreaterThanOrEqual(buildingIds.length * DATES.length);
    }
  });
});
