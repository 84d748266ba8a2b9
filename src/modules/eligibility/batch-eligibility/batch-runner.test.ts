import { beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../../../shared/testing/test-databases.ts";
import type { CataloguePort } from "../service-catalogues/catalogue-offers.port.ts";
import { createCatalogueService } from "../service-catalogues/catalogue-service.ts";
import type { BatchAddressLookup } from "./batch-address-lookup.ts";
import { BATCH_DATE, insertBatchFixture } from "./batch-eligibility.test-fixture.ts";
import { type BatchDb, findJob, readBlocks } from "./batch-jobs.repository.ts";
import { csvChunks } from "./batch-output.ts";
import { BatchRunner, MESSAGES, processJob } from "./batch-runner.ts";
import { createBatchJob } from "./create-batch-job.ts";

/** Positions only: the runner's tests need no geocoder. */
const noGeocoder: BatchAddressLookup = () => [];

/** 23 sites by position around the fixture's buildings (and two bad ones), in blocks of 5. */
function positionsCsv(): string {
  const lines = ["site;lat;lon"];
  for (let i = 0; i < 21; i++) lines.push(`S${i};${(48.43 + (i % 4) * 0.0003).toFixed(4)};0.09`);
  lines.push("Loin;48.52;0.15");
  lines.push("Faux;x;y");
  return lines.join("\n");
}

describeEachDatabase("Lots d'éligibilité : exécution, reprise après redémarrage, échecs", (ctx) => {
  let catalogues: CataloguePort;
  const deps = () => ({ db: ctx.db, lookup: noGeocoder, catalogues });
  const create = (processus?: string) =>
    createBatchJob(ctx.db, {
      file: new TextEncoder().encode(positionsCsv()),
      fileName: "positions.csv",
      choice: { lat: "lat", lon: "lon" },
      date: BATCH_DATE,
      today: BATCH_DATE,
      ownerId: null,
      blockSize: 5,
      ...(processus ? { processus } : {}),
    });
  const csvOf = async (id: string) => {
    const job = await findJob(ctx.db as BatchDb, id);
    if (!job) throw new Error(id);
    let text = "";
    for await (const chunk of csvChunks(ctx.db as BatchDb, job)) text += chunk;
    return text;
  };

  beforeAll(async () => {
    await insertBatchFixture(ctx.db);
    catalogues = createCatalogueService(ctx.db);
  });

  it("exécute un lot bloc par bloc, avec une progression durable à chaque bloc", async () => {
    const { id } = await create("cli");
    const progress: number[] = [];
    const outcome = await processJob(deps(), id, "cli", { onProgress: (e) => progress.push(e.done) });
    expect(outcome).toBe("termine");
    expect(progress).toEqual([0, 5, 10, 15, 20, 23]);
    const job = await findJob(ctx.db as BatchDb, id);
    expect(job).toMatchObject({ statut: "termine", traitees: 23, resolues: 21, echecs: 2, processus: null });
    const blocks: unknown[][][] = [];
    for await (const block of readBlocks(ctx.db as BatchDb, id)) blocks.push(block);
    expect(blocks.map((b) => b.length)).toEqual([5, 5, 5, 5, 3]);
  });

  it("reprend après un arrêt propre au bloc suivant, et rend exactement le même résultat qu'un lot d'une traite", async () => {
    const reference = await create("reference");
    await processJob(deps(), reference.id, "reference");

    const { id } = await create();
    let stopped: Promise<void> | undefined;
    const first = new BatchRunner(deps(), {
      pollMs: 60_000,
      // Stops the server after the second block (as a restart would).
      onBlock: (_job, bloc) => {
        if (bloc === 1) stopped = first.stop();
      },
    });
    first.start();
    await first.idle();
    await stopped;
    const halfway = await findJob(ctx.db as BatchDb, id);
    expect(halfway).toMatchObject({ statut: "en_attente", traitees: 10, processus: null });

    const second = new BatchRunner(deps(), { pollMs: 60_000 });
    second.start();
    await second.idle();
    await second.stop();
    expect(await findJob(ctx.db as BatchDb, id)).toMatchObject({ statut: "termine", traitees: 23, resolues: 21 });
    expect(await csvOf(id)).toBe(await csvOf(reference.id));
  });

  it("reprend un lot resté « en_cours » quand le processus qui le tenait est mort (battement ancien)", async () => {
    const { id } = await create("processus-mort");
    // The dead process had committed nothing; its heartbeat is a minute old.
    await ctx.db
      .updateTable("eligibilite_lot")
      .set({ maj_le: new Date(Date.now() - 60_000).toISOString() })
      .where("id", "=", id)
      .execute();
    const alive = await create("processus-vivant");
    const runner = new BatchRunner(deps(), { pollMs: 60_000, staleAfterMs: 30_000 });
    runner.start();
    await runner.idle();
    await runner.stop();
    expect((await findJob(ctx.db as BatchDb, id))?.statut).toBe("termine");
    // A job whose process is alive (recent heartbeat) is left to it.
    expect(await findJob(ctx.db as BatchDb, alive.id)).toMatchObject({ statut: "en_cours", traitees: 0 });
  });

  it("marque « interrompu » un lot dont le fichier a disparu, « echoue » un lot qu'une erreur arrête : jamais bloqué", async () => {
    const lost = await create("mort");
    await ctx.db.deleteFrom("eligibilite_lot_entree").where("lot_id", "=", lost.id).execute();
    expect(await processJob(deps(), lost.id, "mort")).toBe("interrompu");
    expect(await findJob(ctx.db as BatchDb, lost.id)).toMatchObject({
      statut: "interrompu",
      message: MESSAGES.entreePerdue,
    });
    expect((await findJob(ctx.db as BatchDb, lost.id))?.termine_le).not.toBeNull();

    const broken = await create("casse");
    const failing: CataloguePort = {
      snapshot: () => Promise.reject(new Error("catalogues illisibles")),
      freshSnapshot: () => undefined,
    };
    const logged: string[] = [];
    const outcome = await processJob({ ...deps(), catalogues: failing }, broken.id, "casse", {
      log: (message) => logged.push(message),
    });
    expect(outcome).toBe("echoue");
    expect(await findJob(ctx.db as BatchDb, broken.id)).toMatchObject({ statut: "echoue", message: MESSAGES.erreur });
    expect(logged).toEqual([`lot ${broken.id} en échec`]);
  });

  it("donne un lot à un seul des processus qui le réclament en même temps", async () => {
    const { id } = await create();
    const seen = new Set<string>();
    // Each runner reports the jobs it runs, block by block.
    const runners = [1, 2, 3].map(
      (n) => new BatchRunner(deps(), { pollMs: 60_000, onBlock: (job) => seen.add(`${n}:${job}`) }),
    );
    for (const runner of runners) runner.start();
    await Promise.all(runners.map((r) => r.idle()));
    await Promise.all(runners.map((r) => r.stop()));
    expect((await findJob(ctx.db as BatchDb, id))?.statut).toBe("termine");
    const holders = new Set([...seen].filter((s) => s.endsWith(`:${id}`)).map((s) => s.split(":")[0]));
    expect(holders.size).toBe(1);
  });
});
