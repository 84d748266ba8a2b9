import { expect, it } from "vitest";
import { HttpError } from "../../../shared/http/errors.ts";
import { describeEachDatabase } from "../../../shared/testing/test-databases.ts";
import { insertCatalogueFixture, offer } from "./catalogue.test-fixture.ts";
import { createCatalogueService } from "./catalogue-service.ts";
import type { VersionInput } from "./catalogue-validation.ts";
import { ensureDemoCatalogues } from "./demo-catalogues.ts";

const TODAY = "2026-03-01";
const input = (version: string, valideDu: string, valideAu: string | null = null): VersionInput => ({
  version,
  valideDu,
  valideAu,
  offres: [offer("PRO", "ftth_pro", 42), offer("FTTO", "ftto", 350)],
});
const rejection = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HttpError) return { status: error.statusCode, code: error.code, message: error.message };
    throw error;
  }
  throw new Error("aucune erreur");
};
const premise = { codeInsee: "61002", reseau: "RIP61", ftth: "ouverte" as const, etatImmeuble: null };

describeEachDatabase("service catalogues: demo", (ctx) => {
  it("demo catalogues: ten example versions, inserted once", async () => {
    expect(await ensureDemoCatalogues(ctx.db)).toBe(10);
    expect(await ensureDemoCatalogues(ctx.db)).toBe(0);
    const snapshot = await createCatalogueService(ctx.db).snapshot();
    expect(snapshot.versions).toHaveLength(10);
    const offers = snapshot.offersFor({ ...premise, reseau: "RIP50", codeInsee: "50129", date: "2026-06-01" });
    expect(offers.offres.map((o) => o.code)).toEqual([
      "FTTH-PRO",
      "FTTE-PM",
      "FTTE-NRO",
      "FTTE-ACTIVE-100",
      "FTTO-100",
      "FTTO-1G",
      "FTTO-10G",
    ]);
    expect(offers.offres[0]).toMatchObject({ exemple: true, reseauNom: "Manche Fibre (RIP de la Manche)" });
    // Options and decimals survive the round trip on both engines.
    expect(offers.offres.find((o) => o.code === "FTTO-1G")).toMatchObject({
      disponibilitePct: 99.95,
      symetrique: true,
    });
    expect(offers.offres.find((o) => o.code === "FTTO-100")?.options[1]).toEqual({
      nom: "Double adduction (sur devis)",
      mensuelHt: null,
    });
  });
});

describeEachDatabase("service catalogues: versions, rules, snapshot", (ctx) => {
  it("a new version closes the open one; overlaps are refused naming the version; versions apply by date", async () => {
    await insertCatalogueFixture(ctx.db);
    const service = createCatalogueService(ctx.db, { today: () => TODAY });
    const before = await service.snapshot();
    await service.createVersion("RIP61", input("V3", "2026-07-01"), "u1");
    const after = await service.snapshot();
    expect(after).not.toBe(before); // a write of this process is seen at once
    expect(after.versionsOf("RIP61").map((v) => [v.version, v.valideDu, v.valideAu])).toEqual([
      ["V1", "2024-01-01", "2025-01-01"],
      ["V2", "2025-01-01", "2026-07-01"],
      ["V3", "2026-07-01", null],
    ]);
    expect(after.offersFor({ ...premise, date: "2026-06-30" }).offres[0]?.version).toBe("V2");
    expect(after.offersFor({ ...premise, date: "2026-07-01" }).offres[0]).toMatchObject({
      version: "V3",
      mensuelHt: 42,
    });

    const overlap = await rejection(service.createVersion("RIP61", input("V4", "2026-05-01", "2026-08-01"), null));
    expect(overlap).toMatchObject({ status: 409, code: "CHEVAUCHEMENT" });
    expect(overlap.message).toContain("« V3 » (du 2026-07-01, sans fin)");
    expect(await rejection(service.createVersion("RIP61", input("V3", "2027-01-01"), null))).toMatchObject({
      status: 409,
      code: "VERSION_EXISTANTE",
    });
    // Nothing half-written: the refused versions left no trace.
    expect((await service.snapshot()).versionsOf("RIP61")).toHaveLength(3);
  });

  it("bad input: 400 naming the field; unknown network 404; the past cannot be rewritten", async () => {
    const service = createCatalogueService(ctx.db, { today: () => TODAY });
    const bad = { ...input("V9", "2027-01-01"), offres: [{ ...offer("X", "ftto", 10), mensuelHt: null }] };
    const refused = await rejection(service.createVersion("RIP61", bad, null));
    expect(refused).toMatchObject({ status: 400, code: "CATALOGUE_INVALIDE" });
    expect(refused.message).toContain("offres[0].mensuelHt");
    expect(await rejection(service.createVersion("RIP61", input("V9", "2026-02-28"), null))).toMatchObject({
      status: 400,
    });
    expect(await rejection(service.createVersion("RIP99", input("V9", "2027-01-01"), null))).toMatchObject({
      status: 404,
      code: "RESEAU_INCONNU",
    });
  });

  it("a version in force is immutable; a future one may be edited or deleted, and its predecessor follows", async () => {
    const service = createCatalogueService(ctx.db, { today: () => TODAY });
    for (const attempt of [
      service.updateVersion("RIP61", "V2", input("V2", "2026-04-01"), null),
      service.deleteVersion("RIP61", "V2"),
    ]) {
      expect(await rejection(attempt)).toMatchObject({ status: 409, code: "VERSION_EN_VIGUEUR" });
    }
    await service.updateVersion("RIP61", "V3", { ...input("V3", "2026-09-01"), note: "Révisée" }, "u2");
    let versions = (await service.snapshot()).versionsOf("RIP61");
    expect(versions.map((v) => [v.version, v.valideDu, v.valideAu])).toEqual([
      ["V1", "2024-01-01", "2025-01-01"],
      ["V2", "2025-01-01", "2026-09-01"],
      ["V3", "2026-09-01", null],
    ]);
    expect(versions[2]?.note).toBe("Révisée");
    await service.deleteVersion("RIP61", "V3");
    versions = (await service.snapshot()).versionsOf("RIP61");
    expect(versions.map((v) => [v.version, v.valideAu])).toEqual([
      ["V1", "2025-01-01"],
      ["V2", null],
    ]);
  });

  it("another process's write is seen after the generation check", async () => {
    const reader = createCatalogueService(ctx.db, { today: () => TODAY, checkEveryMs: 0 });
    const writer = createCatalogueService(ctx.db, { today: () => TODAY });
    const first = await reader.snapshot();
    expect(await reader.snapshot()).toBe(first); // unchanged generation: same snapshot, no reload
    await writer.createVersion("RIP14", input("2027", "2027-01-01"), null);
    const second = await reader.snapshot();
    expect(second).not.toBe(first);
    expect(second.versionsOf("RIP14").map((v) => v.version)).toEqual(["2025", "2027"]);
    // With the default 1 s period, a snapshot taken right after is the cached one (no query).
    const cached = createCatalogueService(ctx.db);
    const a = await cached.snapshot();
    await writer.deleteVersion("RIP14", "2027");
    expect(await cached.snapshot()).toBe(a);
  });
});
