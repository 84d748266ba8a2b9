import { afterAll, beforeAll, expect, it } from "vitest";
import { body, TestClient } from "../../shared/testing/http-client.ts";
import { describeEachDatabase } from "../../shared/testing/test-databases.ts";
import { startTestServer, type TestServer } from "../../shared/testing/test-server.ts";
import { createApiKey } from "./api-keys/api-keys.service.ts";
import { DEMO_ACCOUNTS, ensureDemoAccounts } from "./demo-accounts/demo-accounts.ts";
import { THROTTLE } from "./sessions/sign-in-throttle.ts";

const account = (role: string) => {
  const found = DEMO_ACCOUNTS.find((a) => a.roles[0]?.role === role);
  if (!found) throw new Error(role);
  return found;
};

describeEachDatabase("Comptes : connexion, CSRF, réinitialisation, clés d'API", (ctx) => {
  let server: TestServer;
  beforeAll(async () => {
    await ensureDemoAccounts(ctx.db);
    server = await startTestServer(ctx.opened);
  });
  afterAll(() => server?.close());
  const client = () => new TestClient(server.baseUrl);

  it("ouvre une session par cookie HttpOnly SameSite=Lax et la referme", async () => {
    const agent = client();
    const response = await agent.signIn(account("agent").email, account("agent").motDePasse);
    expect(response.status).toBe(200);
    const cookie = response.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^tn_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/); // plain HTTP on loopback; Secure is set behind HTTPS
    const session = await body(await agent.request("GET", "/api/session"));
    expect(session).toMatchObject({
      connecte: true,
      utilisateur: { email: account("agent").email, roles: [{ role: "agent" }] },
    });
    expect((await agent.request("DELETE", "/api/session")).status).toBe(204);
    expect(await body(await agent.request("GET", "/api/session"))).toMatchObject({ connecte: false });
  });

  it("pose un cookie Secure derrière un proxy HTTPS de confiance", async () => {
    const proxied = await startTestServer(ctx.opened, {}, { TERRITOIRE_DERRIERE_PROXY: "oui" });
    try {
      const response = await new TestClient(proxied.baseUrl, { "x-forwarded-proto": "https" }).signIn(
        account("agent").email,
        account("agent").motDePasse,
      );
      expect(response.headers.get("set-cookie")).toMatch(/; Secure/i);
    } finally {
      await proxied.close();
    }
  });

  it("refuse un mauvais mot de passe sans dire si le compte existe", async () => {
    const unknown = await client().signIn("personne@nulle-part.test", "mauvais-mot-de-passe");
    const wrong = await client().signIn(account("admin").email, "mauvais-mot-de-passe");
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(await body(unknown)).toEqual(await body(wrong));
  });

  it("freine les tentatives répétées sur un compte : 429 avec Retry-After", async () => {
    const target = account("partenaire");
    let last: Response | undefined;
    for (let i = 0; i < THROTTLE.perAccount; i++) last = await client().signIn(target.email, `essai-${i}-incorrect`);
    expect(last?.status).toBe(401);
    const blocked = await client().signIn(target.email, target.motDePasse);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another account from the same address is not blocked yet (the per-IP limit is higher).
    expect((await client().signIn(account("gestionnaire").email, account("gestionnaire").motDePasse)).status).toBe(200);
  });

  it("refuse une écriture sans jeton CSRF, ou venue d'un autre site, même avec le cookie", async () => {
    const admin = client();
    await admin.signIn(account("admin").email, account("admin").motDePasse);
    const invitation = { email: "csrf@region.test", nom: "Test CSRF", roles: [] };
    const noToken = await admin.request("POST", "/api/utilisateurs", invitation, { "x-csrf-token": "" });
    expect(noToken.status).toBe(403);
    expect((await body(noToken)).code).toBe("CSRF");
    const crossSite = await admin.request("POST", "/api/utilisateurs", invitation, {
      origin: "https://site-malveillant.example",
    });
    expect(crossSite.status).toBe(403);
    expect((await body(crossSite)).code).toBe("ORIGINE_REFUSEE");
    // A classic cross-site form post: urlencoded body, no custom header.
    const formPost = await fetch(`${server.baseUrl}/api/utilisateurs`, {
      method: "POST",
      headers: {
        cookie: (admin as unknown as { cookie: string }).cookie,
        "content-type": "application/x-www-form-urlencoded",
        origin: "https://site-malveillant.example",
      },
      body: "email=csrf%40region.test&nom=Test",
    });
    expect(formPost.status).toBe(403);
    const users = await body(await admin.request("GET", "/api/utilisateurs"));
    expect(users.results.map((u: { email: string }) => u.email)).not.toContain("csrf@region.test");
  });

  it("invite un utilisateur, qui choisit son mot de passe par un lien à usage unique", async () => {
    const admin = client();
    await admin.signIn(account("admin").email, account("admin").motDePasse);
    const created = await admin.request("POST", "/api/utilisateurs", {
      email: "Nouvelle.Agente@Region.test",
      nom: "Nouvelle Agente",
      roles: [{ role: "agent", perimetre: "" }],
    });
    expect(created.status).toBe(201);
    expect(await body(created)).toMatchObject({ email: "nouvelle.agente@region.test", roles: [{ role: "agent" }] });
    const mail = await ctx.db
      .selectFrom("courriel_sortant")
      .selectAll()
      .where("destinataire", "=", "nouvelle.agente@region.test")
      .executeTakeFirstOrThrow();
    const token = /jeton=([^\s&]+)/.exec(mail.corps)?.[1];
    expect(token).toBeDefined();
    const jeton = decodeURIComponent(token as string);
    const tooShort = await client().request("POST", "/api/mot-de-passe/nouveau", { jeton, motDePasse: "court" });
    expect(tooShort.status).toBe(400);
    const ok = await client().request("POST", "/api/mot-de-passe/nouveau", {
      jeton,
      motDePasse: "un mot de passe assez long",
    });
    expect(ok.status).toBe(204);
    const reused = await client().request("POST", "/api/mot-de-passe/nouveau", {
      jeton,
      motDePasse: "encore un autre mot de passe",
    });
    expect(reused.status).toBe(400);
    expect((await client().signIn("nouvelle.agente@region.test", "un mot de passe assez long")).status).toBe(200);
  });

  it("répond pareil à une demande de réinitialisation, que le compte existe ou non, et refuse un lien expiré", async () => {
    const known = await client().request("POST", "/api/mot-de-passe/demande", { email: account("agent").email });
    const unknown = await client().request("POST", "/api/mot-de-passe/demande", { email: "inconnu@region.test" });
    expect(known.status).toBe(202);
    expect(await body(known)).toEqual(await body(unknown));
    const mail = await ctx.db
      .selectFrom("courriel_sortant")
      .selectAll()
      .where("destinataire", "=", account("agent").email)
      .executeTakeFirstOrThrow();
    const jeton = decodeURIComponent(/jeton=([^\s&]+)/.exec(mail.corps)?.[1] ?? "");
    await ctx.db.updateTable("jeton_reinitialisation").set({ expire_le: "2000-01-01T00:00:00.000Z" }).execute();
    const expired = await client().request("POST", "/api/mot-de-passe/nouveau", {
      jeton,
      motDePasse: "un mot de passe assez long",
    });
    expect(expired.status).toBe(400);
    expect((await body(expired)).code).toBe("JETON_INVALIDE");
  });

  it("crée une clé d'API montrée une fois, l'accepte en Bearer ou X-API-Key, puis la refuse révoquée ou expirée", async () => {
    const operator = client();
    await operator.signIn(account("operateur").email, account("operateur").motDePasse);
    const created = await operator.request("POST", "/api/cles", {
      nom: "Intégration SI",
      portees: ["reseau:RIP50:ecrire"],
    });
    expect(created.status).toBe(201);
    const { cle, id, prefixe } = await body(created);
    expect(cle).toMatch(new RegExp(`^tn_${prefixe}_`));
    const listed = await body(await operator.request("GET", "/api/cles"));
    expect(JSON.stringify(listed)).not.toContain(cle);
    expect(listed.results.map((k: { id: string }) => k.id)).toContain(id);

    expect((await fetch(`${server.baseUrl}/api/health`, { headers: { authorization: `Bearer ${cle}` } })).status).toBe(
      200,
    );
    expect((await fetch(`${server.baseUrl}/api/health`, { headers: { "x-api-key": cle } })).status).toBe(200);
    // A key carries no role page rights: an admin-only route stays closed to it.
    expect((await fetch(`${server.baseUrl}/api/utilisateurs`, { headers: { "x-api-key": cle } })).status).toBe(403);
    // Another network than its own is refused to an operator.
    const foreign = await operator.request("POST", "/api/cles", { nom: "x", portees: ["reseau:RIP14:ecrire"] });
    expect(foreign.status).toBe(403);

    expect((await operator.request("DELETE", `/api/cles/${id}`)).status).toBe(204);
    const revoked = await fetch(`${server.baseUrl}/api/health`, { headers: { "x-api-key": cle } });
    expect(revoked.status).toBe(401);
    expect((await body(revoked)).code).toBe("CLE_INVALIDE");

    const second = await body(
      await operator.request("POST", "/api/cles", { nom: "Courte", portees: ["eligibilite:lire"] }),
    );
    await ctx.db
      .updateTable("cle_api")
      .set({ expire_le: "2000-01-01T00:00:00.000Z" })
      .where("id", "=", second.id)
      .execute();
    expect((await fetch(`${server.baseUrl}/api/health`, { headers: { "x-api-key": second.cle } })).status).toBe(401);
    expect((await fetch(`${server.baseUrl}/api/health`, { headers: { "x-api-key": "tn_inconnue" } })).status).toBe(401);
  });

  it("trace dans le journal d'audit les connexions, les droits et les clés, filtrable et exportable", async () => {
    const agent = client();
    await agent.signIn(account("agent").email, account("agent").motDePasse);
    const all = await body(await agent.request("GET", "/api/journal?limit=500"));
    const actions = new Set(all.results.map((e: { action: string }) => e.action));
    for (const action of [
      "connexion",
      "utilisateur.creation",
      "cle.creation",
      "cle.revocation",
      "mot-de-passe.changement",
    ]) {
      expect(actions, action).toContain(action);
    }
    const failures = await body(await agent.request("GET", "/api/journal?action=connexion&acteur=partenaire"));
    expect(failures.results.some((e: { resultat: string }) => e.resultat === "echec")).toBe(true);
    const keys = await body(await agent.request("GET", "/api/journal?action=cle.*"));
    expect(keys.results.every((e: { action: string }) => e.action.startsWith("cle."))).toBe(true);
    const csv = await agent.request("GET", "/api/journal?format=csv");
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(await csv.text()).toContain("quand;acteur;action;cible;resultat;ip;details");
  });
});

describeEachDatabase("Comptes : limites de débit", (ctx) => {
  let server: TestServer;
  beforeAll(async () => {
    await ensureDemoAccounts(ctx.db);
    server = await startTestServer(ctx.opened, {}, { TERRITOIRE_LIMITE_IP: "5", TERRITOIRE_LIMITE_CLE: "3" });
  });
  afterAll(() => server?.close());

  it("répond 429 avec Retry-After par adresse IP, et par clé d'API indépendamment", async () => {
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 7; i++) {
      const response = await fetch(`${server.baseUrl}/api/health`);
      statuses.push(response.status);
      if (response.status === 429) limited = response;
    }
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    expect(Number(limited?.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await body(limited)).code).toBeDefined();

    // The address is spent; a key is counted on its own.
    const owner = await ctx.db
      .selectFrom("utilisateur")
      .select(["id", "email"])
      .where("email", "=", DEMO_ACCOUNTS[0]?.email ?? "")
      .executeTakeFirstOrThrow();
    const { key } = await createApiKey(
      ctx.db,
      { ...owner, roles: [] },
      { nom: "limite", portees: ["eligibilite:lire"] },
      "",
    );
    const keyStatuses: number[] = [];
    for (let i = 0; i < 4; i++)
      keyStatuses.push((await fetch(`${server.baseUrl}/api/health`, { headers: { "x-api-key": key } })).status);
    expect(keyStatuses).toEqual([200, 200, 200, 429]);
  });
});
