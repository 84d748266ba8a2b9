import { expect, it } from "vitest";
import { currentCogVersion } from "../../../shared/cog/cog-source.ts";
import { ignoreProgress } from "../../../shared/progress/progress.ts";
import { describeEachDatabase } from "../../../shared/testing/test-databases.ts";
import { ensureTerritories, findImportStatus } from "./ensure-territories.service.ts";

describeEachDatabase("Import des territoires au démarrage", (ctx) => {
  it("importe au premier démarrage seulement", async () => {
    expect((await ensureTerritories(ctx.db, "28", ignoreProgress)).imported?.communes).toBe(2644);
    expect((await ensureTerritories(ctx.db, "28", ignoreProgress)).imported).toBeNull();
    expect(await findImportStatus(ctx.db, "28")).toMatchObject({ sourceCog: currentCogVersion(), communes: 2644 });
  });

  it("réimporte quand l'édition du COG installée a changé", async () => {
    await ctx.db
      .updateTable("territoire_import")
      .set({ source_cog: "@etalab/decoupage-administratif 5.0.0" })
      .where("region", "=", "28")
      .execute();
    expect((await ensureTerritories(ctx.db, "28", ignoreProgress)).imported?.communes).toBe(2644);
    expect((await findImportStatus(ctx.db, "28"))?.sourceCog).toBe(currentCogVersion());
  });
});
