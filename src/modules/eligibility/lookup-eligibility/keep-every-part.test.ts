import Fastify from "fastify";
import { beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../../../shared/testing/test-databases.ts";
import type { CatalogueSnapshot } from "../service-catalogues/catalogue-offers.port.ts";
import { createCatalogueService } from "../service-catalogues/catalogue-service.ts";
import { ContextParts } from "./answer-parts.ts";
import type { EligibilityStore } from "./eligibility-store.ts";
import { keepEveryPart } from "./keep-every-part.ts";
import { lookupEligibilityRoutes } from "./lookup-eligibility.routes.ts";
import { lookupInQuarter, type QuarterRef } from "./lookup-eligibility.service.ts";
import { indexedEligibilityFixture } from "./lookup-eligibility.test-fixture.ts";

describeEachDatabase("Morceaux de réponse de chaque immeuble de l'index, préparés d'avance", (ctx) => {
  let plain: EligibilityStore;
  let indexed: EligibilityStore;
  let quarter: QuarterRef;
  let snapshot: CatalogueSnapshot;
  let buildingIds: string[];
  const DATE = "2025-06-01";

  beforeAll(async () => {
    ({ plain, indexed, quarter, snapshot, buildingIds } = await indexedEligibilityFixture(ctx.db));
  });

  it("garde, pour la date donnée, les morceaux de chaque immeuble, tels que sa réponse complète les donnerait", async () => {
    const contexts = new ContextParts();
    const kept = await keepEveryPart({ store: indexed, contexts, quarter, snapshot, date: DATE });
    expect(kept).not.toBeNull();
    expect(kept?.buildings).toBe(buildingIds.length);
    expect(kept?.built).toBeGreaterThan(0);
    expect(kept?.built).toBeLessThanOrEqual(buildingIds.length);
    // Once every part is kept, going through the index again builds nothing.
    expect(await keepEveryPart({ store: indexed, contexts, quarter, snapshot, date: DATE })).toMatchObject({
      buildings: buildingIds.length,
      built: 0,
    });
    const reference = new ContextParts();
    for (const id of buildingIds) {
      const [stored] = await indexed.byBuilding(quarter.code, id);
      const context = stored?.context;
      expect(context, id).toBeDefined();
      const parts = contexts.known(context as NonNullable<typeof context>, DATE, snapshot);
      expect(parts, id).toBeDefined();
      const [full] = (await lookupInQuarter(plain, quarter, { by: "immeuble", id }, DATE)).buildings;
      expect(parts, id).toEqual(reference.of(full as NonNullable<typeof full>, DATE, snapshot));
    }
    // Another date has nothing kept yet: its parts are made at its first lookups.
    const [first] = await indexed.byBuilding(quarter.code, buildingIds[0] as string);
    expect(
      contexts.known(first?.context as NonNullable<typeof first>["context"] & object, "2031-01-01", snapshot),
    ).toBe(undefined);
  });

  it("s'arrête quand on le lui demande, ou quand l'index ne tient pas le trimestre", async () => {
    const contexts = new ContextParts();
    expect(
      await keepEveryPart({ store: indexed, contexts, quarter, snapshot, date: DATE, cancelled: () => true }),
    ).toBe(null);
    expect(await keepEveryPart({ store: plain, contexts, quarter, snapshot, date: DATE })).toBe(null);
  });

  it("le serveur les prépare une fois l'index construit, puis de nouveau pour un nouveau jour", async () => {
    let day = "2025-06-01";
    const app = Fastify();
    await app.register(
      lookupEligibilityRoutes(ctx.db, () => [], createCatalogueService(ctx.db), {
        today: () => day,
        keepPartsEveryMs: 20,
      }),
    );
    try {
      // Prepared once the server listens (onListen), not before.
      await app.listen({ port: 0, host: "127.0.0.1" });
      const parts = async () => (await app.inject({ method: "GET", url: "/api/eligibilite/index" })).json().parties;
      const ready = { pretes: true, immeubles: buildingIds.length, erreur: null };
      await expect.poll(parts, { timeout: 10_000, interval: 20 }).toMatchObject({ ...ready, date: "2025-06-01" });
      day = "2025-06-02";
      await expect.poll(parts, { timeout: 10_000, interval: 20 }).toMatchObject({ ...ready, date: "2025-06-02" });
      // Nothing changed since: the parts stand, nothing is built again.
      const { reponsesConstruites } = await parts();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await parts()).toMatchObject({ ...ready, date: "2025-06-02", reponsesConstruites });
    } finally {
      await app.close();
    }
  });
});
