import { sql } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import { body, TestClient } from "../../shared/testing/http-client.ts";
import { describeEachDatabase } from "../../shared/testing/test-databases.ts";
import { startTestServer, type TestServer } from "../../shared/testing/test-server.ts";
import { DEMO_ACCOUNTS, ensureDemoAccounts } from "./demo-accounts/demo-accounts.ts";

describeEachDatabase("Secrets : ni en base ni dans les journaux en clair", (ctx) => {
  let server: TestServer;
  const logLines: string[] = [];
  const secrets: string[] = [];

  beforeAll(async () => {
    await ensureDemoAccounts(ctx.db);
    server = await startTestServer(
      ctx.opened,
      {},
      {},
      { level: "trace", stream: { write: (line) => logLines.push(line) } },
    );
  });
  afterAll(() => server?.close());

  it("après connexions, clés, invitation et réinitialisation, aucun secret n'apparaît en clair", async () => {
    const admin = DEMO_ACCOUNTS[0];
    if (!admin) throw new Error("pas de compte admin de démo");
    secrets.push(admin.motDePasse);
    const client = new TestClient(server.baseUrl, { "user-agent": "test-secrets" });
    expect((await client.signIn(admin.email, admin.motDePasse)).status).toBe(200);
    await client.signIn(admin.email, "un-essai-de-mot-de-passe-faux");
    secrets.push("un-essai-de-mot-de-passe-faux");

    const key = await body(await client.request("POST", "/api/cles", { nom: "secret", portees: ["eligibilite:lire"] }));
    // The whole key, and its secret part alone (which may itself contain "_").
    secrets.push(key.cle, key.cle.slice(`tn_${key.prefixe}_`.length));
    expect(
      (await fetch(`${server.baseUrl}/api/health`, { headers: { authorization: `Bearer ${key.cle}` } })).status,
    ).toBe(200);

    await client.request("POST", "/api/utilisateurs", { email: "secret@region.test", nom: "Secret", roles: [] });
    const mail = await ctx.db
      .selectFrom("courriel_sortant")
      .select("corps")
      .where("destinataire", "=", "secret@region.test")
      .executeTakeFirstOrThrow();
    const token = decodeURIComponent(/jeton=([^\s&]+)/.exec(mail.corps)?.[1] ?? "");
    secrets.push(token);
    // The link as a browser opens it, then the form's submission.
    await fetch(`${server.baseUrl}/mot-de-passe/nouveau?jeton=${encodeURIComponent(token)}`);
    const newPassword = "le nouveau mot de passe secret";
    secrets.push(newPassword);
    expect(
      (await client.request("POST", "/api/mot-de-passe/nouveau", { jeton: token, motDePasse: newPassword })).status,
    ).toBe(204);
    const session = client.csrfToken as string;
    secrets.push(session);

    // Every row of every table, as text; the outbox is excluded only for the one-time link it
    // must carry to its recipient.
    const tables = await ctx.db.introspection.getTables();
    expect(tables.length).toBeGreaterThan(8);
    const dump: string[] = [];
    for (const table of tables) {
      const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table.name)}`.execute(ctx.db);
      if (table.name === "courriel_sortant") continue;
      dump.push(JSON.stringify(rows.rows));
    }
    const database = dump.join("\n");
    const logs = logLines.join("");
    expect(logs.length).toBeGreaterThan(1000);
    expect(secrets.every((s) => s.length >= 12)).toBe(true);
    for (const secret of secrets.filter((s) => s !== session)) {
      expect(database.includes(secret), `base : ${secret.slice(0, 6)}…`).toBe(false);
    }
    for (const secret of secrets) expect(logs.includes(secret), `journaux : ${secret.slice(0, 6)}…`).toBe(false);
    // What is stored instead: argon2id hashes for passwords.
    const hashes = await ctx.db
      .selectFrom("utilisateur")
      .select("mot_de_passe")
      .where("mot_de_passe", "is not", null)
      .execute();
    expect(hashes.every((h) => h.mot_de_passe?.startsWith("$argon2id$"))).toBe(true);
  });
});
