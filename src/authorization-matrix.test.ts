import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { AccountsTables } from "./modules/accounts/accounts.tables.ts";
import { createApiKey } from "./modules/accounts/api-keys/api-keys.service.ts";
import { DEMO_ACCOUNTS, ensureDemoAccounts } from "./modules/accounts/demo-accounts/demo-accounts.ts";
import { hashPassword } from "./modules/accounts/shared/passwords.ts";
import {
  findUserByEmail,
  rolesOf as grantsOf,
  insertUser,
  replaceRoles,
} from "./modules/accounts/users/users.repository.ts";
import type { BroadbandTables } from "./modules/broadband/broadband.tables.ts";
import { ensureMatrixObservatory } from "./modules/broadband/observatory/observatory.test-fixture.ts";
import { insertAnomalyOf } from "./modules/eligibility/address-anomalies/address-anomalies.test-fixture.ts";
import type { CatalogueDb } from "./modules/eligibility/service-catalogues/catalogue-repository.ts";
import { createCatalogueService } from "./modules/eligibility/service-catalogues/catalogue-service.ts";
import { ensureDemoCatalogues } from "./modules/eligibility/service-catalogues/demo-catalogues.ts";
import { importTerritories } from "./modules/territory/import-territories/import-territories.service.ts";
import type { Role } from "./shared/http/access-control.ts";
import { TestClient } from "./shared/testing/http-client.ts";
import { describeEachDatabase } from "./shared/testing/test-databases.ts";
import { startTestServer, type TestServer } from "./shared/testing/test-server.ts";

/** Everyone the matrix tries: the anonymous public, one demo account per role, and an operator of another network. */
const PRINCIPALS = [
  "anonyme",
  "admin",
  "agent",
  "operateur",
  "gestionnaire",
  "partenaire",
  "operateur-etranger",
] as const;
type PrincipalName = (typeof PRINCIPALS)[number];

const FOREIGN_OPERATOR = {
  email: "operateur.etranger@region.test",
  motDePasse: "mot de passe etranger",
  network: "RIP14",
};
const PROBE_ACCOUNT = { email: "sonde@region.test", motDePasse: "mot de passe de la sonde" };

interface Call {
  path: string;
  body?: unknown;
}

interface Fixture {
  /** Who may call the route: the specification the policy is checked against. */
  allowed: "public" | "connecte" | Role[];
  /** Builds the request for one principal (may prepare data first). */
  call(principal: PrincipalName, db: Kysely<AccountsTables>): Promise<Call>;
  /** Status when access is granted (default 200). */
  granted?: number;
  /** Routes whose ownership rule refuses an operator of another network. */
  foreignOperator?: 403;
  /** Replaces or ends the caller's session: run on a session of its own. */
  ownSession?: true;
}

const fixed = (path: string, body?: unknown) => async () => ({ path, body });

async function throwawayUser(db: Kysely<AccountsTables>): Promise<string> {
  const user = await insertUser(db, {
    email: `jetable-${randomUUID()}@region.test`,
    nom: "Jetable",
    motDePasseHash: null,
  });
  return user.id;
}

async function keyOwnedBy(db: Kysely<AccountsTables>, email: string): Promise<string> {
  const owner = await findUserByEmail(db, email);
  if (!owner) throw new Error(email);
  const owned = { id: owner.id, email: owner.email, roles: await grantsOf(db, owner.id) };
  return (await createApiKey(db, owned, { nom: "matrice", portees: ["eligibilite:lire"] }, "")).id;
}

let draftQuarters = 0;
async function draftQuarter(db: Kysely<AccountsTables>): Promise<string> {
  const code = `${2090 + Math.floor(draftQuarters / 4)}T${(draftQuarters % 4) + 1}`;
  draftQuarters++;
  await (db as unknown as Kysely<BroadbandTables>)
    .insertInto("thd_trimestre")
    .values({
      code,
      statut: "brouillon",
      cree_le: new Date().toISOString(),
      publie_le: null,
      publie_par: null,
      simule: 0,
    })
    .execute();
  return code;
}

/** The demo catalogues, once; the demo operator's network (RIP50) has one. */
async function matrixCatalogueNetwork(db: Kysely<AccountsTables>): Promise<string> {
  await ensureDemoCatalogues(db as unknown as CatalogueDb);
  return "RIP50";
}

// Each catalogue write of the matrix gets its own half-year, later than the previous one: never an overlap.
let catalogueWrites = 0;
function matrixCatalogueVersion() {
  catalogueWrites++;
  const year = 2100 + catalogueWrites;
  return {
    version: `M${catalogueWrites}`,
    valideDu: `${year}-01-01`,
    valideAu: `${year}-07-01`,
    offres: [
      {
        code: "FTTO",
        nom: "FttO",
        famille: "ftto" as const,
        debitDescendantMbps: 100,
        debitMontantMbps: 100,
        fraisAccesHt: 1000,
        mensuelHt: 300,
        engagementMois: 36,
      },
    ],
  };
}

/** A future version of RIP50 made directly, for the PUT and DELETE calls. */
async function futureCatalogueVersion(db: Kysely<AccountsTables>) {
  const version = matrixCatalogueVersion();
  await createCatalogueService(db as unknown as CatalogueDb).createVersion(
    await matrixCatalogueNetwork(db),
    version,
    null,
  );
  return version;
}

const OPERATOR_EMAIL = DEMO_ACCOUNTS.find((a) => a.roles[0]?.role === "operateur")?.email ?? "";
/** The demo operator's network (perimeter = thd_reseau code). */
const OPERATOR_NETWORK = DEMO_ACCOUNTS.find((a) => a.roles[0]?.role === "operateur")?.roles[0]?.perimetre ?? "";

/**
 * One entry per API route. A route added without an entry here fails the matrix: its access
 * must be checked like the others.
 */
const FIXTURES: Record<string, Fixture> = {
  "GET /api/health": {
    allowed: "public",
    call: fixed("/api/health"),
  },
  "GET /api/configuration": {
    allowed: "public",
    call: fixed("/api/configuration"),
  },
  "GET /api/configuration/logo": {
    allowed: "public",
    call: fixed("/api/configuration/logo"),
  },
  "GET /api/territoires/:niveau": {
    allowed: "public",
    call: fixed("/api/territoires/departements?region=28"),
  },
  "GET /api/territoires/:niveau/contours": {
    allowed: "public",
    call: fixed("/api/territoires/departements/contours?region=28"),
  },
  "GET /api/territoires/:niveau/:code": {
    allowed: "public",
    call: fixed("/api/territoires/communes/14118"),
  },
  "GET /api/territoires/:niveau/:code/contour": {
    allowed: "public",
    call: fixed("/api/territoires/communes/14118/contour"),
  },
  "GET /api/adresse/search": { allowed: "public", call: fixed("/api/adresse/search?q=rue+de+la+paix") },
  "GET /api/adresse/reverse": { allowed: "public", call: fixed("/api/adresse/reverse?lat=49.18&lon=-0.37") },
  // A JSON body instead of a multipart file: granted means "reaches the handler", which answers 400.
  "POST /api/adresse/search/csv": { allowed: "public", call: fixed("/api/adresse/search/csv", {}), granted: 400 },
  "GET /api/session": {
    allowed: "public",
    call: fixed("/api/session"),
  },
  "POST /api/session": {
    allowed: "public",
    call: fixed("/api/session", { email: PROBE_ACCOUNT.email, motDePasse: PROBE_ACCOUNT.motDePasse }),
    ownSession: true,
  },
  "DELETE /api/session": {
    allowed: "connecte",
    call: fixed("/api/session"),
    granted: 204,
    ownSession: true,
  },
  "POST /api/mot-de-passe/demande": {
    allowed: "public",
    call: fixed("/api/mot-de-passe/demande", { email: "inconnu@region.test" }),
    granted: 202,
  },
  // An unknown token: granted means "reaches the check", which answers 400.
  "POST /api/mot-de-passe/nouveau": {
    allowed: "public",
    call: fixed("/api/mot-de-passe/nouveau", {
      jeton: "jeton-inconnu-0123456789",
      motDePasse: "un mot de passe assez long",
    }),
    granted: 400,
  },
  "GET /api/utilisateurs": {
    allowed: ["admin"],
    call: fixed("/api/utilisateurs"),
  },
  "POST /api/utilisateurs": {
    allowed: ["admin"],
    call: async () => ({
      path: "/api/utilisateurs",
      body: { email: `invite-${randomUUID()}@region.test`, nom: "Invité", roles: [] },
    }),
    granted: 201,
  },
  "PUT /api/utilisateurs/:id/roles": {
    allowed: ["admin"],
    call: async (_p, db) => ({ path: `/api/utilisateurs/${await throwawayUser(db)}/roles`, body: { roles: [] } }),
  },
  "PATCH /api/utilisateurs/:id": {
    allowed: ["admin"],
    call: async (_p, db) => ({ path: `/api/utilisateurs/${await throwawayUser(db)}`, body: { actif: true } }),
  },
  "GET /api/cles": {
    allowed: ["admin", "operateur"],
    call: fixed("/api/cles"),
  },
  "POST /api/cles": {
    allowed: ["admin", "operateur"],
    call: fixed("/api/cles", { nom: "matrice", portees: ["eligibilite:lire"] }),
    granted: 201,
  },
  // The key belongs to the RIP50 operator: its owner and admins may revoke it, not another operator.
  "DELETE /api/cles/:id": {
    allowed: ["admin", "operateur"],
    call: async (_p, db) => ({ path: `/api/cles/${await keyOwnedBy(db, OPERATOR_EMAIL)}` }),
    granted: 204,
    foreignOperator: 403,
  },
  "GET /api/journal": {
    allowed: ["admin", "agent"],
    call: fixed("/api/journal"),
  },
  // No building in the matrix's data: granted means "reaches the lookup", which answers 404.
  "GET /api/eligibilite": { allowed: "public", call: fixed("/api/eligibilite?immeuble=IMB-MATRICE"), granted: 404 },
  "GET /api/eligibilite/index": { allowed: "public", call: fixed("/api/eligibilite/index") },
  // Multi-site batch: a JSON body instead of a multipart file reaches the handler (400); an unknown job id, 404.
  "POST /api/eligibilite/lots": { allowed: "public", call: fixed("/api/eligibilite/lots", {}), granted: 400 },
  "GET /api/eligibilite/lots/:id": {
    allowed: "public",
    call: fixed("/api/eligibilite/lots/lot-inconnu-de-la-matrice"),
    granted: 404,
  },
  "GET /api/eligibilite/lots/:id/resultat": {
    allowed: "public",
    call: fixed("/api/eligibilite/lots/lot-inconnu-de-la-matrice/resultat"),
    granted: 404,
  },
  "DELETE /api/eligibilite/lots/:id": {
    allowed: "public",
    call: fixed("/api/eligibilite/lots/lot-inconnu-de-la-matrice"),
    granted: 404,
  },
  // Service catalogues: public reads; writes by admins and the operators of the network in the URL
  // (the demo operator's RIP50), each call on a fresh future version. The foreign operator (RIP14) gets 403.
  "GET /api/catalogues": { allowed: "public", call: fixed("/api/catalogues") },
  "GET /api/catalogues/comparaison": { allowed: "public", call: fixed("/api/catalogues/comparaison?famille=ftto") },
  "GET /api/catalogues/:reseau": {
    allowed: "public",
    call: async (_p, db) => ({ path: `/api/catalogues/${await matrixCatalogueNetwork(db)}` }),
  },
  "GET /api/catalogues/:reseau/versions/:version": {
    allowed: "public",
    call: async (_p, db) => ({ path: `/api/catalogues/${await matrixCatalogueNetwork(db)}/versions/2026` }),
  },
  "POST /api/catalogues/:reseau/versions": {
    allowed: ["admin", "operateur"],
    call: async (_p, db) => {
      const version = matrixCatalogueVersion();
      return { path: `/api/catalogues/${await matrixCatalogueNetwork(db)}/versions`, body: version };
    },
    granted: 201,
    foreignOperator: 403,
  },
  "PUT /api/catalogues/:reseau/versions/:version": {
    allowed: ["admin", "operateur"],
    call: async (_p, db) => {
      const { version, ...fields } = await futureCatalogueVersion(db);
      return { path: `/api/catalogues/${OPERATOR_NETWORK}/versions/${version}`, body: fields };
    },
    foreignOperator: 403,
  },
  "DELETE /api/catalogues/:reseau/versions/:version": {
    allowed: ["admin", "operateur"],
    call: async (_p, db) => ({
      path: `/api/catalogues/${OPERATOR_NETWORK}/versions/${(await futureCatalogueVersion(db)).version}`,
    }),
    granted: 204,
    foreignOperator: 403,
  },
  // A JSON body instead of a multipart file: granted means "reaches the handler", which answers 400.
  "POST /api/catalogues/:reseau/versions/import": {
    allowed: ["admin", "operateur"],
    call: async (_p, db) => ({ path: `/api/catalogues/${await matrixCatalogueNetwork(db)}/versions/import`, body: {} }),
    granted: 400,
    foreignOperator: 403,
  },
  // Address anomalies: reporting and following are public; the inbox is the operators' (their networks) and agents'.
  "POST /api/anomalies": {
    allowed: "public",
    call: fixed("/api/anomalies", { type: "autre", description: "Matrice", immeuble: "IMB-MATRICE" }),
    granted: 201,
  },
  "GET /api/anomalies/suivi/:jeton": {
    allowed: "public",
    call: async (_p, db) => ({ path: `/api/anomalies/suivi/${(await insertAnomalyOf(db, OPERATOR_NETWORK)).jeton}` }),
  },
  "GET /api/anomalies": { allowed: ["admin", "agent", "operateur"], call: fixed("/api/anomalies") },
  // Each anomaly is routed to the demo operator's network: another network's operator is refused.
  "GET /api/anomalies/:id": {
    allowed: ["admin", "agent", "operateur"],
    call: async (_p, db) => ({ path: `/api/anomalies/${(await insertAnomalyOf(db, OPERATOR_NETWORK)).id}` }),
    foreignOperator: 403,
  },
  "POST /api/anomalies/:id/reponse": {
    allowed: ["admin", "agent", "operateur"],
    call: async (_p, db) => ({
      path: `/api/anomalies/${(await insertAnomalyOf(db, OPERATOR_NETWORK)).id}/reponse`,
      body: { message: "Pris en compte", statut: "en_cours" },
    }),
    foreignOperator: 403,
  },
  "GET /api/observatoire/trimestres": { allowed: "public", call: fixed("/api/observatoire/trimestres") },
  // A fresh draft quarter for each call: publishing it is what access grants.
  "POST /api/observatoire/trimestres/:code/publication": {
    allowed: ["admin", "agent"],
    call: async (_p, db) => ({ path: `/api/observatoire/trimestres/${await draftQuarter(db)}/publication` }),
  },
  // The observatory reads one published quarter (2018T1) with Caen's figures, made once.
  ...Object.fromEntries(
    [
      ["GET /api/observatoire/:niveau/:code", "/api/observatoire/communes/14118?trimestre=2018T1"],
      ["GET /api/observatoire/:niveau/:code/series", "/api/observatoire/departements/14/series"],
      ["GET /api/observatoire/:niveau/:code/equite", "/api/observatoire/departements/14/equite?trimestre=2018T1"],
      [
        "GET /api/observatoire/:niveau/:code/zone-fibree",
        "/api/observatoire/epci/200065597/zone-fibree?trimestre=2018T1",
      ],
      [
        "GET /api/observatoire/:niveau/:code/fermeture-cuivre",
        "/api/observatoire/epci/200065597/fermeture-cuivre?trimestre=2018T1",
      ],
      [
        "GET /api/observatoire/:niveau/:code/sites-strategiques",
        "/api/observatoire/departements/14/sites-strategiques?trimestre=2018T1",
      ],
      ["GET /api/observatoire/:niveau/:code/carte", "/api/observatoire/regions/28/carte?trimestre=2018T1"],
    ].map(([route, path]): [string, Fixture] => [
      route as string,
      {
        allowed: "public",
        call: async (_p, db) => {
          await ensureMatrixObservatory(db);
          return { path: path as string };
        },
      },
    ]),
  ),
};

function rolesOf(principal: PrincipalName): Role[] {
  if (principal === "anonyme") return [];
  if (principal === "operateur-etranger") return ["operateur"];
  return [principal];
}

describeEachDatabase("Matrice d'autorisation : chaque route × chaque rôle", (ctx) => {
  let server: TestServer;
  const clients = new Map<PrincipalName, TestClient>();

  const signedInClient = async (principal: PrincipalName): Promise<TestClient> => {
    const client = new TestClient(server.baseUrl);
    if (principal === "anonyme") return client;
    const credentials =
      principal === "operateur-etranger" ? FOREIGN_OPERATOR : DEMO_ACCOUNTS.find((a) => a.roles[0]?.role === principal);
    if (!credentials) throw new Error(principal);
    const response = await client.signIn(credentials.email, credentials.motDePasse);
    expect(response.status, `connexion ${principal}`).toBe(200);
    return client;
  };

  beforeAll(async () => {
    await importTerritories(ctx.db, "28");
    await ensureDemoAccounts(ctx.db);
    const foreign = await insertUser(ctx.db, {
      email: FOREIGN_OPERATOR.email,
      nom: "Opérateur étranger",
      motDePasseHash: await hashPassword(FOREIGN_OPERATOR.motDePasse),
    });
    await replaceRoles(ctx.db, foreign.id, [{ role: "operateur", perimetre: FOREIGN_OPERATOR.network }]);
    await insertUser(ctx.db, {
      email: PROBE_ACCOUNT.email,
      nom: "Sonde",
      motDePasseHash: await hashPassword(PROBE_ACCOUNT.motDePasse),
    });
    server = await startTestServer(ctx.opened, {}, { TERRITOIRE_LIMITE_IP: "100000" });
    for (const principal of PRINCIPALS) clients.set(principal, await signedInClient(principal));
  });
  afterAll(() => server?.close());

  it("a une entrée de matrice pour chaque route de l'API, et chaque route une politique d'accès", () => {
    const routes = server.app.accessRoutes.map((r) => `${r.method} ${r.url}`).sort();
    expect(routes.length).toBeGreaterThan(15);
    expect(routes).toEqual(Object.keys(FIXTURES).sort());
  });

  it("déclare sur chaque route la politique que la matrice spécifie", () => {
    for (const route of server.app.accessRoutes) {
      const fixture = FIXTURES[`${route.method} ${route.url}`];
      const declared = route.policy.allows;
      const normalized = Array.isArray(declared)
        ? ["admin", ...declared.filter((r) => r !== "admin")].sort()
        : declared;
      const specified = Array.isArray(fixture?.allowed) ? [...fixture.allowed].sort() : fixture?.allowed;
      expect(normalized, `${route.method} ${route.url}`).toEqual(specified);
    }
  });

  it("donne à chacun, par HTTP, exactement l'accès que la matrice spécifie", async () => {
    const failures: string[] = [];
    for (const route of server.app.accessRoutes) {
      const key = `${route.method} ${route.url}`;
      const fixture = FIXTURES[key];
      if (!fixture) continue; // reported by the previous test
      for (const principal of PRINCIPALS) {
        const allows = fixture.allowed;
        const granted =
          allows === "public" ||
          (allows === "connecte" && principal !== "anonyme") ||
          (Array.isArray(allows) && rolesOf(principal).some((r) => allows.includes(r)));
        let expected = principal === "anonyme" && allows !== "public" ? 401 : granted ? (fixture.granted ?? 200) : 403;
        if (principal === "operateur-etranger" && fixture.foreignOperator && granted)
          expected = fixture.foreignOperator;
        const client = fixture.ownSession ? await signedInClient(principal) : (clients.get(principal) as TestClient);
        const { path, body } = await fixture.call(principal, ctx.db);
        const response = await client.request(route.method, path, body);
        await response.arrayBuffer();
        if (response.status !== expected)
          failures.push(`${key} en ${principal} : ${response.status} au lieu de ${expected}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
