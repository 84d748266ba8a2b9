import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Provider } from "oidc-provider";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../../../shared/testing/test-databases.ts";
import { startTestServer, type TestServer } from "../../../shared/testing/test-server.ts";
import { SESSION_COOKIE } from "../sessions/session.service.ts";
import { sha256 } from "../shared/tokens.ts";
import { OIDC_CALLBACK_PATH, OIDC_START_PATH } from "./oidc.routes.ts";

// The address people use to reach the platform, as behind a reverse proxy. The app listens on a
// random loopback port known only once started; the test "browser" resolves this name to it (as a
// hosts file would). It also proves that the redirect_uri comes from the configured public address.
const PUBLIC_URL = "http://territoire.test";
const CLIENT_ID = "territoire-numerique";
const CLIENT_SECRET = "secret-de-test-suffisamment-long-pour-oidc-provider";

const ACCOUNTS: Record<string, Record<string, unknown>> = {
  agent: { email: "agent.oidc@region.test", email_verified: true, name: "Agent OIDC" },
  "non-verifie": { email: "pas.verifie@region.test", email_verified: false, name: "Non Vérifié" },
  "sans-courriel": { name: "Sans Courriel" },
  desactive: { email: "desactive.oidc@region.test", email_verified: true, name: "Compte Désactivé" },
};

interface IdentityProvider {
  issuer: string;
  close(): Promise<void>;
}

/** A real OpenID Connect provider on a random loopback port (its issuer must contain the port). */
async function startIdentityProvider(): Promise<IdentityProvider> {
  let handle: ReturnType<Provider["callback"]> | undefined;
  const server: Server = createServer((req, res) => handle?.(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [`${PUBLIC_URL}${OIDC_CALLBACK_PATH}`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    pkce: { required: () => true },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    // The dev login form takes any login: it is the account id (the `sub`).
    findAccount: (_ctx: unknown, sub: string) =>
      ACCOUNTS[sub] ? { accountId: sub, claims: () => ({ sub, ...ACCOUNTS[sub] }) } : undefined,
    cookies: { keys: ["cle-de-cookies-du-fournisseur-de-test"] },
  });
  handle = provider.callback();
  return {
    issuer,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A browser without redirects: keeps cookies per origin, resolves PUBLIC_URL to the app. */
class Browser {
  private readonly jars = new Map<string, Map<string, string>>();

  constructor(private readonly appBaseUrl: string) {}

  async request(url: string, init: { method?: string; body?: URLSearchParams } = {}): Promise<Response> {
    const logical = new URL(url);
    const jar = this.jars.get(logical.origin) ?? new Map<string, string>();
    this.jars.set(logical.origin, jar);
    const physical = logical.origin === PUBLIC_URL ? `${this.appBaseUrl}${logical.pathname}${logical.search}` : url;
    const response = await fetch(physical, {
      method: init.method ?? "GET",
      redirect: "manual",
      headers: jar.size > 0 ? { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; ") } : {},
      body: init.body,
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const name = pair.slice(0, pair.indexOf("="));
      const value = pair.slice(pair.indexOf("=") + 1);
      const expired = attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a) || /^\s*max-age=0$/i.test(a));
      if (value === "" || expired) jar.delete(name);
      else jar.set(name, value);
    }
    return response;
  }

  cookie(origin: string, name: string): string | undefined {
    return this.jars.get(origin)?.get(name);
  }
}

const locationOf = (response: Response, base: string) => {
  const location = response.headers.get("location");
  if (!location) throw new Error(`pas de redirection (${response.status})`);
  return new URL(location, base).href;
};

describeEachDatabase("Connexion OpenID Connect", (ctx) => {
  let idp: IdentityProvider;
  let server: TestServer;

  beforeAll(async () => {
    idp = await startIdentityProvider();
    server = await startTestServer(ctx.opened, {
      oidc: { issuer: idp.issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, label: "ProConnect" },
      publicUrl: PUBLIC_URL,
    });
  });
  afterAll(async () => {
    await server?.close();
    await idp?.close();
  });

  /**
   * Starts a sign-in at the app and goes through the provider (login form, then consent) as a
   * person would; returns the callback URL the provider sends the browser back to, not yet visited.
   */
  async function throughProvider(
    browser: Browser,
    login: string,
    options: { retour?: string; abort?: boolean } = {},
  ): Promise<string> {
    const query = options.retour ? `?retour=${encodeURIComponent(options.retour)}` : "";
    const start = await browser.request(`${PUBLIC_URL}${OIDC_START_PATH}${query}`);
    expect(start.status).toBe(302);
    let url = locationOf(start, PUBLIC_URL);
    expect(url.startsWith(`${idp.issuer}/auth?`)).toBe(true);
    for (let step = 0; step < 12; step++) {
      if (url.startsWith(`${PUBLIC_URL}${OIDC_CALLBACK_PATH}`)) return url;
      const response = await browser.request(url);
      if (response.status >= 300 && response.status < 400) {
        url = locationOf(response, url);
        continue;
      }
      const html = await response.text();
      if (response.status !== 200 || !url.includes("/interaction/")) {
        throw new Error(`réponse inattendue du fournisseur ${response.status} à ${url} : ${html.slice(0, 500)}`);
      }
      if (options.abort) {
        url = locationOf(await browser.request(`${url}/abort`), url);
        continue;
      }
      const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1] ?? "";
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1] ?? "";
      const body = new URLSearchParams({ prompt });
      if (prompt === "login") {
        body.set("login", login);
        body.set("password", "peu-importe");
      }
      const submitted = await browser.request(new URL(action, url).href, { method: "POST", body });
      url = locationOf(submitted, url);
    }
    throw new Error("le parcours chez le fournisseur ne se termine pas");
  }

  async function sessionOf(browser: Browser) {
    const response = await browser.request(`${PUBLIC_URL}/api/session`);
    return (await response.json()) as { connecte: boolean; utilisateur?: { email: string; nom: string; roles: [] } };
  }

  const pendingCount = async () =>
    Number(
      (
        await ctx.db
          .selectFrom("oidc_attente")
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

  const auditOf = (acteur: string) =>
    ctx.db
      .selectFrom("journal_audit")
      .selectAll()
      .where("acteur", "=", acteur)
      .where("action", "=", "connexion")
      .orderBy("quand")
      .execute() as Promise<{ resultat: string; details: string }[]>;

  it("connecte par le fournisseur, crée le compte sans rôle ni mot de passe et revient sur /compte", async () => {
    const browser = new Browser(server.baseUrl);
    const callback = await throughProvider(browser, "agent");
    const params = new URL(callback).searchParams;
    expect(params.get("code")).toBeTruthy();
    expect(params.get("state")).toBeTruthy();
    // Only the hash of the state is stored.
    const pending = await ctx.db.selectFrom("oidc_attente").selectAll().execute();
    expect(pending.map((p) => p.id)).toContain(sha256(params.get("state") ?? ""));

    const done = await browser.request(callback);
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe("/compte");
    expect(browser.cookie(PUBLIC_URL, SESSION_COOKIE)).toBeTruthy();

    expect(await sessionOf(browser)).toMatchObject({
      connecte: true,
      utilisateur: { email: "agent.oidc@region.test", nom: "Agent OIDC", roles: [] },
    });
    const user = await ctx.db
      .selectFrom("utilisateur")
      .selectAll()
      .where("email", "=", "agent.oidc@region.test")
      .executeTakeFirstOrThrow();
    expect(user).toMatchObject({ nom: "Agent OIDC", mot_de_passe: null, actif: 1 });
    const roles = await ctx.db
      .selectFrom("utilisateur_role")
      .selectAll()
      .where("utilisateur_id", "=", user.id)
      .execute();
    expect(roles).toEqual([]);
    const audit = await auditOf("utilisateur:agent.oidc@region.test");
    expect(audit.at(-1)?.resultat).toBe("succes");
    expect(JSON.parse(audit.at(-1)?.details ?? "{}")).toEqual({ methode: "oidc" });
    expect(await pendingCount()).toBe(0);
  });

  it("retrouve le compte existant par son e-mail sans en créer un second", async () => {
    const browser = new Browser(server.baseUrl);
    const done = await browser.request(await throughProvider(browser, "agent"));
    expect(done.status).toBe(302);
    const users = await ctx.db
      .selectFrom("utilisateur")
      .select("id")
      .where("email", "=", "agent.oidc@region.test")
      .execute();
    expect(users).toHaveLength(1);
    expect((await sessionOf(browser)).connecte).toBe(true);
  });

  it("revient sur la page demandée, et refuse un retour vers un autre site", async () => {
    const browser = new Browser(server.baseUrl);
    const done = await browser.request(await throughProvider(browser, "agent", { retour: "/tiers-lieux?reseau=2" }));
    expect(done.headers.get("location")).toBe("/tiers-lieux?reseau=2");
    for (const retour of [
      "//evil.example/",
      "/\\evil.example",
      "https://evil.example/",
      "compte",
      "/\t/evil.example",
    ]) {
      const refused = await browser.request(`${PUBLIC_URL}${OIDC_START_PATH}?retour=${encodeURIComponent(retour)}`);
      expect(refused.status, retour).toBe(400);
    }
  });

  it("refuse un state modifié dans l'URL de retour (400, pas de session)", async () => {
    const browser = new Browser(server.baseUrl);
    const callback = new URL(await throughProvider(browser, "agent"));
    const genuineState = callback.searchParams.get("state") ?? "";
    callback.searchParams.set("state", `${genuineState.slice(0, -2)}xy`);
    const refused = await browser.request(callback.href);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { code: string }).code).toBe("OIDC_ETAT_INVALIDE");
    expect(refused.headers.getSetCookie().some((c) => c.startsWith(`${SESSION_COOKIE}=`))).toBe(false);
    expect((await sessionOf(browser)).connecte).toBe(false);
    // Without state at all: refused the same way, never a 500.
    const withoutState = new URL(callback);
    withoutState.searchParams.delete("state");
    expect((await browser.request(withoutState.href)).status).toBe(400);
    // The refusal was the state's doing: the untouched callback still signs in.
    callback.searchParams.set("state", genuineState);
    expect((await browser.request(callback.href)).status).toBe(302);
    expect((await sessionOf(browser)).connecte).toBe(true);
  });

  it("refuse un nonce qui ne correspond pas à celui du jeton d'identité (400, pas de session)", async () => {
    const browser = new Browser(server.baseUrl);
    const callback = await throughProvider(browser, "agent");
    const state = new URL(callback).searchParams.get("state") ?? "";
    // As if the ID token had been issued for another sign-in: the stored nonce no longer matches.
    const updated = await ctx.db
      .updateTable("oidc_attente")
      .set({ nonce: "nonce-falsifie" })
      .where("id", "=", sha256(state))
      .executeTakeFirst();
    expect(Number(updated.numUpdatedRows)).toBe(1);
    const refused = await browser.request(callback);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { code: string }).code).toBe("OIDC_JETON_INVALIDE");
    expect(browser.cookie(PUBLIC_URL, SESSION_COOKIE)).toBeUndefined();
    expect((await sessionOf(browser)).connecte).toBe(false);
    // Consumed all the same: the code cannot be tried again.
    const left = await ctx.db.selectFrom("oidc_attente").select("id").where("id", "=", sha256(state)).execute();
    expect(left).toEqual([]);
  });

  it("refuse un code présenté avec un autre vérificateur PKCE (400, pas de session)", async () => {
    const browser = new Browser(server.baseUrl);
    const callback = await throughProvider(browser, "agent");
    const state = new URL(callback).searchParams.get("state") ?? "";
    await ctx.db
      .updateTable("oidc_attente")
      .set({ code_verifier: "v".repeat(64) })
      .where("id", "=", sha256(state))
      .execute();
    const refused = await browser.request(callback);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { code: string }).code).toBe("OIDC_JETON_INVALIDE");
    expect((await sessionOf(browser)).connecte).toBe(false);
  });

  it("refuse de rejouer un retour déjà utilisé", async () => {
    const first = new Browser(server.baseUrl);
    const callback = await throughProvider(first, "agent");
    expect((await first.request(callback)).status).toBe(302);
    const attacker = new Browser(server.baseUrl);
    const replayed = await attacker.request(callback);
    expect(replayed.status).toBe(400);
    expect(((await replayed.json()) as { code: string }).code).toBe("OIDC_ETAT_INVALIDE");
    expect((await sessionOf(attacker)).connecte).toBe(false);
  });

  it("refuse une adresse e-mail non vérifiée ou absente (403), et l'inscrit au journal", async () => {
    for (const login of ["non-verifie", "sans-courriel"]) {
      const browser = new Browser(server.baseUrl);
      const refused = await browser.request(await throughProvider(browser, login));
      expect(refused.status, login).toBe(403);
      expect(((await refused.json()) as { code: string }).code).toBe("OIDC_COURRIEL_NON_VERIFIE");
      expect((await sessionOf(browser)).connecte).toBe(false);
    }
    const unverified = await ctx.db
      .selectFrom("utilisateur")
      .select("id")
      .where("email", "=", "pas.verifie@region.test")
      .execute();
    expect(unverified).toEqual([]);
    const audit = await auditOf("utilisateur:pas.verifie@region.test");
    expect(audit.map((a) => a.resultat)).toEqual(["echec"]);
  });

  it("refuse un compte désactivé (403, pas de session)", async () => {
    const first = new Browser(server.baseUrl);
    expect((await first.request(await throughProvider(first, "desactive"))).status).toBe(302);
    await ctx.db
      .updateTable("utilisateur")
      .set({ actif: 0 })
      .where("email", "=", "desactive.oidc@region.test")
      .execute();
    const browser = new Browser(server.baseUrl);
    const refused = await browser.request(await throughProvider(browser, "desactive"));
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe("COMPTE_DESACTIVE");
    expect((await sessionOf(browser)).connecte).toBe(false);
    expect((await auditOf("utilisateur:desactive.oidc@region.test")).map((a) => a.resultat)).toEqual([
      "succes",
      "echec",
    ]);
  });

  it("répond 502, jamais 500, quand le fournisseur est injoignable", async () => {
    const unreachable = await startTestServer(ctx.opened, {
      // Port 1 on loopback: nothing listens there, the connection is refused at once.
      oidc: { issuer: "http://127.0.0.1:1", clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, label: "ProConnect" },
      publicUrl: PUBLIC_URL,
    });
    try {
      const response = await unreachable.get(OIDC_START_PATH);
      expect(response.status).toBe(502);
      expect(((await response.json()) as { code: string }).code).toBe("OIDC_INDISPONIBLE");
    } finally {
      await unreachable.close();
    }
  });

  it("renvoie vers la page de connexion quand la personne abandonne chez le fournisseur", async () => {
    const browser = new Browser(server.baseUrl);
    const callback = await throughProvider(browser, "agent", { abort: true });
    expect(new URL(callback).searchParams.get("error")).toBe("access_denied");
    const back = await browser.request(callback);
    expect(back.status).toBe(302);
    expect(back.headers.get("location")).toBe("/connexion?erreur=oidc");
    expect((await sessionOf(browser)).connecte).toBe(false);
    const audit = await auditOf("anonyme");
    expect(audit.some((a) => a.resultat === "echec" && JSON.parse(a.details).erreur === "access_denied")).toBe(true);
  });
});
