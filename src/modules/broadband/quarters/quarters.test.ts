import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import { body, TestClient } from "../../../shared/testing/http-client.ts";
import { describeEachDatabase } from "../../../shared/testing/test-databases.ts";
import { startTestServer, type TestServer } from "../../../shared/testing/test-server.ts";
import { DEMO_ACCOUNTS, ensureDemoAccounts } from "../../accounts/demo-accounts/demo-accounts.ts";
import type { BroadbandTables } from "../broadband.tables.ts";
import { runThdImport } from "../import-common/run-thd-import.ts";
import {
  ensureDraftQuarter,
  listQuarters,
  publishQuarter,
  QuarterNotFoundError,
  QuarterPublishedError,
} from "./quarters.service.ts";

const dir = mkdtempSync(path.join(tmpdir(), "thd-quarters-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const account = (role: string) => {
  const a = DEMO_ACCOUNTS.find((d) => d.roles[0]?.role === role);
  if (!a) throw new Error(role);
  return a;
};

describeEachDatabase("Trimestres de l'observatoire : brouillon, publication, immutabilité", (ctx) => {
  const db = () => ctx.db as Kysely<BroadbandTables>;
  let server: TestServer;
  beforeAll(async () => {
    await ensureDemoAccounts(ctx.db);
    server = await startTestServer(ctx.opened);
  });
  afterAll(() => server?.close());

  it("crée un brouillon une fois, le publie, puis refuse toute écriture et toute republication", async () => {
    const created = await ensureDraftQuarter(db(), "T3 2017");
    expect(created).toMatchObject({
      code: "2017T3",
      statut: "brouillon",
      simule: false,
      debut: "2017-07-01",
      fin: "2017-09-30",
    });
    await ensureDraftQuarter(db(), "2017T3", { simule: true });
    expect((await listQuarters(db(), { brouillons: true })).map((q) => [q.code, q.simule])).toEqual([["2017T3", true]]);
    expect(await listQuarters(db())).toEqual([]);

    const published = await publishQuarter(db(), "2017T3", "cli");
    expect(published).toMatchObject({ statut: "publie", publiePar: "cli" });
    await expect(ensureDraftQuarter(db(), "2017T3")).rejects.toThrow(QuarterPublishedError);
    await expect(ensureDraftQuarter(db(), "2017T3")).rejects.toThrow(
      /est publié : ses données ne peuvent plus être modifiées/,
    );
    await expect(publishQuarter(db(), "2017T3", "cli")).rejects.toThrow(QuarterPublishedError);
    await expect(publishQuarter(db(), "2030T1", "cli")).rejects.toThrow(QuarterNotFoundError);
    const audit = await ctx.db
      .selectFrom("journal_audit")
      .select(["acteur", "cible"])
      .where("action", "=", "trimestre.publication")
      .execute();
    expect(audit).toEqual([{ acteur: "cli", cible: "2017T3" }]);
  });

  it("refuse d'importer dans un trimestre publié, sans rien écrire", async () => {
    const file = path.join(dir, "f.csv");
    writeFileSync(file, "code_insee;nbr\n14118;3\n");
    const before = await ctx.db
      .selectFrom("thd_import")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    let applied = false;
    await expect(
      runThdImport(ctx.db, { trimestre: "2017T3", format: "mci-statistiques", fichier: file }, async () => {
        applied = true;
        return { lignes: 1, details: {} };
      }),
    ).rejects.toThrow(QuarterPublishedError);
    expect(applied).toBe(false);
    const after = await ctx.db
      .selectFrom("thd_import")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it("montre au public les trimestres publiés, aux agents aussi les brouillons ; un agent publie, une fois", async () => {
    await ensureDraftQuarter(db(), "2018T1");
    const anonymous = new TestClient(server.baseUrl);
    const publicList = await body(await anonymous.request("GET", "/api/observatoire/trimestres"));
    expect(publicList.trimestres.map((q: { code: string }) => q.code)).toEqual(["2017T3"]);
    expect(publicList.trimestres[0].publiePar).toBeUndefined();

    const agent = new TestClient(server.baseUrl);
    expect((await agent.signIn(account("agent").email, account("agent").motDePasse)).status).toBe(200);
    const internal = await agent.request("GET", "/api/observatoire/trimestres");
    expect(internal.headers.get("cache-control")).toContain("no-store");
    expect(
      (await body(internal)).trimestres.map((q: { code: string; statut: string }) => `${q.code}:${q.statut}`),
    ).toEqual(["2017T3:publie", "2018T1:brouillon"]);

    const partner = new TestClient(server.baseUrl);
    await partner.signIn(account("partenaire").email, account("partenaire").motDePasse);
    expect((await partner.request("POST", "/api/observatoire/trimestres/2018T1/publication")).status).toBe(403);
    expect((await anonymous.request("POST", "/api/observatoire/trimestres/2018T1/publication")).status).toBe(401);

    const published = await agent.request("POST", "/api/observatoire/trimestres/2018T1/publication");
    expect(published.status).toBe(200);
    expect(await body(published)).toMatchObject({
      code: "2018T1",
      statut: "publie",
      publiePar: `utilisateur:${account("agent").email}`,
    });
    const again = await agent.request("POST", "/api/observatoire/trimestres/2018T1/publication");
    expect(again.status).toBe(409);
    expect((await body(again)).message).toMatch(/publié/);
    expect((await agent.request("POST", "/api/observatoire/trimestres/2031T2/publication")).status).toBe(404);
    expect((await agent.request("POST", "/api/observatoire/trimestres/2031T5/publication")).status).toBe(400);
    const now = await body(await anonymous.request("GET", "/api/observatoire/trimestres"));
    expect(now.trimestres.map((q: { code: string }) => q.code)).toEqual(["2017T3", "2018T1"]);
  });
});
