import type { Kysely } from "kysely";
import { expect, it } from "vitest";
import { describeEachDatabase } from "../../../shared/testing/test-databases.ts";
import type { TerritoryTables } from "../territory.tables.ts";
import { importTerritories } from "./import-territories.service.ts";

async function countByLevel(db: Kysely<TerritoryTables>) {
  const rows = await db
    .selectFrom("territoire")
    .select((eb) => ["niveau", eb.fn.countAll<number>().as("n")])
    .groupBy("niveau")
    .execute();
  return Object.fromEntries(rows.map((r) => [r.niveau, Number(r.n)]));
}

describeEachDatabase("Import des territoires", (ctx) => {
  it("importe la Normandie du COG 2026 : 5 départements, 71 EPCI, 2 644 communes, toutes avec un polygone", async () => {
    const report = await importTerritories(ctx.db, "28");
    expect(report).toMatchObject({ departements: 5, epci: 71, communes: 2644, communesAvecPolygone: 2644 });
    expect(await countByLevel(ctx.db)).toEqual({ regions: 1, departements: 5, epci: 71, communes: 2644 });
    const withoutPolygon = await ctx.db
      .selectFrom("territoire as t")
      .leftJoin("territoire_contour as c", (j) => j.onRef("c.niveau", "=", "t.niveau").onRef("c.code", "=", "t.code"))
      .select("t.code")
      .where("t.niveau", "=", "communes")
      .where("c.code", "is", null)
      .execute();
    expect(withoutPolygon).toEqual([]);
  });

  it("rattache les contours du COG 2025 aux communes de 2026 (corrections listées dans SOURCES.md)", async () => {
    const report = await importTerritories(ctx.db, "28");
    const merged = Object.fromEntries(report.contoursFusionnes.map((m) => [m.ancien, m.actuel]));
    expect(merged).toEqual({
      "14011": "14581",
      "14300": "14743",
      "14623": "14408",
      "61017": "61275",
      "61188": "61275",
      "61192": "61275",
      "61310": "61275",
      "76358": "76455",
    });
    expect(report.contoursIgnores).toEqual([]);
    // Dissolved, not stacked: the merged commune is one outline.
    const contour = await ctx.db
      .selectFrom("territoire_contour")
      .select("geometrie")
      .where("niveau", "=", "communes")
      .where("code", "=", "14743")
      .executeTakeFirstOrThrow();
    expect(JSON.parse(contour.geometrie).type).toBe("Polygon");
  });

  it("donne à Caen sa population, son département, son EPCI, sa surface et son niveau de densité", async () => {
    const caen = await ctx.db
      .selectFrom("territoire")
      .selectAll()
      .where("niveau", "=", "communes")
      .where("code", "=", "14118")
      .executeTakeFirstOrThrow();
    expect(caen).toMatchObject({
      nom: "Caen",
      departement: "14",
      region: "28",
      epci: "200065597",
      codes_postaux: "14000",
    });
    expect(caen.population).toBeGreaterThan(100_000);
    expect(caen.surface_km2).toBeGreaterThan(24);
    expect(caen.surface_km2).toBeLessThan(27);
    expect(caen.densite_insee_niveau).toBe(1);
  });

  it("est idempotent : un second import remplace sans dupliquer", async () => {
    const before = await countByLevel(ctx.db);
    await importTerritories(ctx.db, "28");
    expect(await countByLevel(ctx.db)).toEqual(before);
    const contours = await ctx.db
      .selectFrom("territoire_contour")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(contours.n)).toBe(1 + 5 + 71 + 2644);
  });

  it("est atomique : un import interrompu en cours d'écriture laisse les territoires précédents intacts", async () => {
    const before = await countByLevel(ctx.db);
    let writes = 0;
    await expect(
      importTerritories(ctx.db, "28", {
        onProgress: (e) => {
          if (e.step.startsWith("Enregistrement") && ++writes === 3) throw new Error("coupure simulée");
        },
      }),
    ).rejects.toThrow("coupure simulée");
    expect(writes).toBe(3);
    expect(await countByLevel(ctx.db)).toEqual(before);
  });

  it("importe une autre région sans polygones de communes (Bretagne) en se rabattant sur les centres", async () => {
    const report = await importTerritories(ctx.db, "53");
    expect(report).toMatchObject({ departements: 4, communes: 1202, communesAvecPolygone: 0 });
    const communes = await ctx.db
      .selectFrom("territoire")
      .select(["code", "centre_lon", "centre_lat", "source_contour"])
      .where("niveau", "=", "communes")
      .where("region", "=", "53")
      .execute();
    expect(communes).toHaveLength(1202);
    for (const c of communes) {
      expect(c.source_contour).toBe("centre");
      // Inside Brittany's bounding box.
      expect(c.centre_lon).toBeGreaterThan(-5.3);
      expect(c.centre_lon).toBeLessThan(-0.9);
      expect(c.centre_lat).toBeGreaterThan(47.2);
      expect(c.centre_lat).toBeLessThan(49);
    }
    const region = await ctx.db
      .selectFrom("territoire")
      .select("source_contour")
      .where("niveau", "=", "regions")
      .where("code", "=", "53")
      .executeTakeFirstOrThrow();
    expect(region.source_contour).toBe("enfants");
    // Normandy is untouched by the import of another région.
    expect(await countByLevel(ctx.db)).toMatchObject({ regions: 2, departements: 9, communes: 2644 + 1202 });
  });
});
