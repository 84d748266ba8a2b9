import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readXlsx } from "../../../shared/export/xlsx.ts";
import type { Role } from "../../../shared/http/access-control.ts";
import { body, TestClient } from "../../../shared/testing/http-client.ts";
import { describeEachDatabase } from "../../../shared/testing/test-databases.ts";
import { startTestServer, type TestServer } from "../../../shared/testing/test-server.ts";
import type { AccountsTables } from "../../accounts/accounts.tables.ts";
import { createApiKey } from "../../accounts/api-keys/api-keys.service.ts";
import { hashPassword } from "../../accounts/shared/passwords.ts";
import { insertUser, replaceRoles } from "../../accounts/users/users.repository.ts";
import { importBan } from "../../addresses/import-ban/import-ban.service.ts";
import { writeBanFile } from "../../addresses/test-fixtures.ts";
import { REPORTS_PER_HOUR } from "./address-anomalies.routes.ts";
import { type AnomalyDatabase, eraseExpiredContacts, scopeOf, sha256 } from "./address-anomalies.service.ts";
import {
  anomalyBanLines,
  COPPER_BUILDING,
  insertAnomalyFixture,
  MANCHE_ADDRESS,
  MANCHE_BUILDING,
  PRIVATE_ADDRESS,
} from "./address-anomalies.test-fixture.ts";

const PASSWORD = "mot de passe de test";
const PEOPLE: { email: string; role: Role; perimetre: string }[] = [
  { email: "operateur.manche@region.test", role: "operateur", perimetre: "RIP50" },
  { email: "operateur.calvados@region.test", role: "operateur", perimetre: "RIP14" },
  { email: "agente@region.test", role: "agent", perimetre: "" },
  { email: "gestionnaire@region.test", role: "gestionnaire", perimetre: "tiers-lieu" },
];

describe("périmètre d'un appelant", () => {
  it("donne tout aux agents, administrateurs et opérateurs non liés, ses réseaux à un opérateur", () => {
    expect(scopeOf([{ role: "agent", perimetre: "" }])).toEqual({ all: true });
    expect(scopeOf([{ role: "operateur", perimetre: "" }])).toEqual({ all: true });
    expect(
      scopeOf([
        { role: "operateur", perimetre: "RIP50" },
        { role: "operateur", perimetre: "RIP14" },
        { role: "gestionnaire", perimetre: "x" },
      ]),
    ).toEqual({ all: false, networks: ["RIP50", "RIP14"] });
    expect(scopeOf([{ role: "partenaire", perimetre: "x" }])).toEqual({ all: false, networks: [] });
  });
});

describeEachDatabase("Signalements d'anomalies d'adresse (/api/anomalies)", (ctx) => {
  let server: TestServer;
  const clients = new Map<string, TestClient>();
  let ipCounter = 0;
  /** Each scenario reports from an address of its own: the hourly limit is per IP. */
  const freshIp = () => `198.51.100.${++ipCounter}`;

  beforeAll(async () => {
    await insertAnomalyFixture(ctx.db);
    const report = await importBan(ctx.db, [writeBanFile(anomalyBanLines())]);
    expect(report.rejets).toBe(0);
    const accounts = ctx.db as Kysely<AccountsTables>;
    const hash = await hashPassword(PASSWORD);
    for (const person of PEOPLE) {
      const user = await insertUser(accounts, { email: person.email, nom: person.email, motDePasseHash: hash });
      await replaceRoles(accounts, user.id, [{ role: person.role, perimetre: person.perimetre }]);
    }
    // Behind a proxy, X-Forwarded-For gives each scenario its own client address.
    server = await startTestServer(ctx.opened, { behindProxy: true }, { TERRITOIRE_LIMITE_IP: "100000" });
    for (const person of PEOPLE) {
      const client = new TestClient(server.baseUrl, { "x-forwarded-for": freshIp() });
      expect((await client.signIn(person.email, PASSWORD)).status).toBe(200);
      clients.set(person.email, client);
    }
  });
  afterAll(() => server?.close());

  const as = (email: string) => clients.get(email) as TestClient;
  const manche = () => as("operateur.manche@region.test");
  const calvados = () => as("operateur.calvados@region.test");
  const agent = () => as("agente@region.test");

  async function report(payload: unknown, ip = freshIp()) {
    const response = await new TestClient(server.baseUrl).request("POST", "/api/anomalies", payload, {
      "x-forwarded-for": ip,
    });
    return { status: response.status, body: await body(response) };
  }
  async function reported(payload: Record<string, unknown>) {
    const answer = await report({ type: "autre", description: "Un problème", ...payload });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body;
  }
  const count = async () =>
    Number(
      (
        await (ctx.db as AnomalyDatabase)
          .selectFrom("anomalie_adresse")
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const idOf = async (jeton: string) =>
    (
      await (ctx.db as AnomalyDatabase)
        .selectFrom("anomalie_adresse")
        .select("id")
        .where("jeton_empreinte", "=", sha256(jeton))
        .executeTakeFirstOrThrow()
    ).id;

  it("transmet chaque signalement au réseau responsable : immeuble, adresse, texte géocodé, proximité, RIP du département, aucun", async () => {
    const byBuilding = await reported({ type: "etat_errone", immeuble: MANCHE_BUILDING });
    expect(byBuilding).toMatchObject({
      statut: "nouvelle",
      reseau: { code: "RIP50", nom: "Manche Fibre (RIP de la Manche)" },
      rattachement: "immeuble",
    });
    expect(byBuilding.jeton).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(byBuilding.lien).toBe(`/signalements/${byBuilding.jeton}`);

    expect(await reported({ id: PRIVATE_ADDRESS })).toMatchObject({
      reseau: { code: "PRV-FRTE" },
      rattachement: "adresse",
    });
    // Typed as a person would: geocoded, then the building at that address.
    expect(await reported({ type: "position_erronee", adresse: "12 rue des halles coutances" })).toMatchObject({
      reseau: { code: "RIP50" },
      rattachement: "adresse",
    });
    // About 45 m from the Manche building (the draft's building, closer, does not count).
    const near = await reported({ lat: 49.0482, lon: -1.4449 });
    expect(near).toMatchObject({ reseau: { code: "RIP50" }, rattachement: "proximite" });
    // Positions keep their precision on both engines (double precision, not real).
    expect(
      await (ctx.db as AnomalyDatabase)
        .selectFrom("anomalie_adresse")
        .select(["lat", "lon", "code_insee"])
        .where("id", "=", await idOf(near.jeton))
        .executeTakeFirstOrThrow(),
    ).toEqual({ lat: 49.0482, lon: -1.4449, code_insee: "50147" });
    // A copper-only building: the Calvados RIP answers.
    expect(await reported({ immeuble: COPPER_BUILDING })).toMatchObject({
      reseau: { code: "RIP14" },
      rattachement: "departement",
    });
    // A missing address in the Eure: its commune from the BAN id, no RIP known there → the Région dispatches.
    const unassigned = await reported({ type: "adresse_absente", id: "27229_0001_00001", adresse: "Le Bourg" });
    expect(unassigned).toMatchObject({ reseau: null, rattachement: "aucun" });

    const stored = await (ctx.db as AnomalyDatabase)
      .selectFrom("anomalie_adresse")
      .selectAll()
      .where("jeton_empreinte", "=", sha256(byBuilding.jeton))
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ code_insee: "50147", immeuble_id: MANCHE_BUILDING, statut: "nouvelle" });
    // The token itself is stored nowhere.
    const all = JSON.stringify(await (ctx.db as AnomalyDatabase).selectFrom("anomalie_adresse").selectAll().execute());
    expect(all).not.toContain(byBuilding.jeton);
    expect(
      (
        await (ctx.db as AnomalyDatabase)
          .selectFrom("anomalie_adresse")
          .select("code_insee")
          .where("id", "=", await idOf(unassigned.jeton))
          .executeTakeFirstOrThrow()
      ).code_insee,
    ).toBe("27229");
  });

  it("refuse une saisie invalide par un 400 qui nomme le paramètre, sans rien enregistrer", async () => {
    const before = await count();
    const cases: [Record<string, unknown>, string, string?][] = [
      [{ description: "x", immeuble: "I" }, "type"],
      [{ type: "inconnu", description: "x", immeuble: "I" }, "type"],
      [{ type: "autre", immeuble: "I" }, "description"],
      [{ type: "autre", description: "   ", immeuble: "I" }, "description"],
      [{ type: "autre", description: "x".repeat(2001), immeuble: "I" }, "description"],
      [{ type: "autre", description: "x" }, "adresse, id, immeuble, lat, lon", "LIEU_REQUIS"],
      [{ type: "autre", description: "x", lat: 49 }, "lon"],
      [{ type: "autre", description: "x", lat: 95, lon: 0 }, "lat"],
      [{ type: "autre", description: "x", immeuble: "I", contact: "pas-un-courriel" }, "contact"],
      [{ type: "autre", description: "x", immeuble: "I", commune: "123" }, "commune"],
    ];
    for (const [payload, parametre, code] of cases) {
      const answer = await report(payload);
      expect(answer.status, JSON.stringify(payload)).toBe(400);
      expect(answer.body.parametre, JSON.stringify(payload)).toBe(parametre);
      expect(answer.body.code).toBe(code ?? "PARAMETRE_INVALIDE");
      expect(answer.body.message).toMatch(/«|Indiquer/);
    }
    expect(await count()).toBe(before);
  });

  it(`limite les signalements à ${REPORTS_PER_HOUR} par heure et par adresse IP (429 avec Retry-After)`, async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i <= REPORTS_PER_HOUR; i++) {
      statuses.push((await report({ type: "autre", description: `n° ${i}`, immeuble: MANCHE_BUILDING }, ip)).status);
    }
    expect(statuses).toEqual([...Array(REPORTS_PER_HOUR).fill(201), 429]);
    const limited = await new TestClient(server.baseUrl).request(
      "POST",
      "/api/anomalies",
      { type: "autre", description: "encore", immeuble: MANCHE_BUILDING },
      { "x-forwarded-for": ip },
    );
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(3000);
    expect((await body(limited)).message).toContain("Trop de requêtes");
    // Another address is not affected; reading is not limited by the reports' counter.
    expect((await report({ type: "autre", description: "ailleurs", immeuble: MANCHE_BUILDING })).status).toBe(201);
  });

  it("suit un signalement par son jeton : statut, jamais le contact ; jeton mal formé 400, inconnu 404", async () => {
    const { jeton } = await reported({
      type: "adresse_absente",
      description: "Ma maison n'existe pas",
      adresse: "Lieu-dit La Croix, Coutances",
      commune: "50147",
      contact: "habitant@exemple.fr",
    });
    const response = await server.get(`/api/anomalies/suivi/${jeton}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    const followed = await body(response);
    expect(followed).toMatchObject({
      type: "adresse_absente",
      description: "Ma maison n'existe pas",
      adresse: "Lieu-dit La Croix, Coutances",
      commune: "50147",
      reseau: { code: "RIP50" },
      statut: "nouvelle",
      closLe: null,
      evenements: [{ statut: "nouvelle", message: null, auteur: "Vous" }],
    });
    expect(JSON.stringify(followed)).not.toContain("habitant@exemple.fr");

    const malformed = await server.get("/api/anomalies/suivi/trop-court");
    expect(malformed.status).toBe(400);
    expect((await body(malformed)).parametre).toBe("jeton");
    const unknown = await server.get(`/api/anomalies/suivi/${"A".repeat(43)}`);
    expect(unknown.status).toBe(404);
    expect((await body(unknown)).code).toBe("SIGNALEMENT_INTROUVABLE");
  });

  it("l'opérateur du réseau voit, répond et clôt ; le suivi montre la réponse publique, pas la note interne", async () => {
    const { jeton } = await reported({
      type: "position_erronee",
      description: "L'immeuble est placé de l'autre côté de la rue",
      immeuble: MANCHE_BUILDING,
      contact: "voisin@exemple.fr",
    });
    const id = await idOf(jeton);

    const inbox = await body(await manche().request("GET", "/api/anomalies?limit=500"));
    expect(inbox.results.length).toBeGreaterThan(0);
    expect(new Set(inbox.results.map((a: { reseau: { code: string } }) => a.reseau?.code))).toEqual(new Set(["RIP50"]));
    expect(inbox.total).toBe(inbox.results.length);
    expect(inbox.reseaux).toEqual([{ code: "RIP50", nom: "Manche Fibre (RIP de la Manche)" }]);
    const mine = inbox.results.find((a: { id: string }) => a.id === id);
    expect(mine).toMatchObject({
      statut: "nouvelle",
      statutInterop: "ACKNOWLEDGED",
      typeInterop: "AnomalieAdresseUpdateImb",
      contact: "voisin@exemple.fr",
      immeuble: MANCHE_BUILDING,
      commune: "50147",
      rattachement: "immeuble",
    });

    const note = await manche().request("POST", `/api/anomalies/${id}/reponse`, {
      message: "Vérifier le relevé du géomètre",
      statut: "en_cours",
      public: false,
    });
    expect(note.status).toBe(200);
    expect((await body(note)).statut).toBe("en_cours");
    const closed = await manche().request("POST", `/api/anomalies/${id}/reponse`, {
      message: "Position corrigée ; elle sera publiée au prochain trimestre.",
      statut: "resolue",
    });
    expect(closed.status).toBe(200);
    const detail = await body(closed);
    expect(detail).toMatchObject({ statut: "resolue", statutInterop: "RESOLVED" });
    expect(detail.closLe).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(
      detail.evenements.map((e: Record<string, unknown>) => [e.nature, e.auteurRole, e.statutApres, e.public]),
    ).toEqual([
      ["signalement", "public", "nouvelle", true],
      ["reponse", "operateur", "en_cours", false],
      ["reponse", "operateur", "resolue", true],
    ]);
    expect(detail.evenements[1].auteur).toBe("operateur.manche@region.test");
    expect(await body(await manche().request("GET", `/api/anomalies/${id}`))).toEqual(detail);

    const followed = await body(await server.get(`/api/anomalies/suivi/${jeton}`));
    expect(followed.statut).toBe("resolue");
    expect(followed.evenements).toEqual([
      expect.objectContaining({ statut: "nouvelle", auteur: "Vous", message: null }),
      // The internal note's status change shows, its text does not.
      expect.objectContaining({ statut: "en_cours", auteur: "Opérateur du réseau", message: null }),
      expect.objectContaining({
        statut: "resolue",
        auteur: "Opérateur du réseau",
        message: "Position corrigée ; elle sera publiée au prochain trimestre.",
      }),
    ]);
    expect(JSON.stringify(followed)).not.toContain("géomètre");
    expect(JSON.stringify(followed)).not.toContain("operateur.manche");

    // Bad answers: 400 naming the field, nothing written.
    for (const [payload, parametre] of [
      [{ message: "", statut: "resolue" }, "message"],
      [{ message: "  " }, "message"],
      [{ message: "x", statut: "nouvelle" }, "statut"],
      [{ message: "x".repeat(2001) }, "message"],
    ] as const) {
      const refused = await manche().request("POST", `/api/anomalies/${id}/reponse`, payload);
      expect(refused.status, JSON.stringify(payload)).toBe(400);
      expect((await body(refused)).parametre).toBe(parametre);
    }
    expect((await body(await manche().request("GET", `/api/anomalies/${id}`))).evenements).toHaveLength(3);
  });

  it("un opérateur d'un autre réseau ne voit ni ne répond (403), rien n'est écrit ; identifiant inconnu 404", async () => {
    const { jeton } = await reported({ immeuble: MANCHE_BUILDING, contact: "secret@exemple.fr" });
    const id = await idOf(jeton);
    const list = await body(await calvados().request("GET", "/api/anomalies?limit=500&reseau=RIP50"));
    expect(list).toMatchObject({ total: 0, results: [] });
    const all = await body(await calvados().request("GET", "/api/anomalies?limit=500"));
    expect(all.results.every((a: { reseau: { code: string } | null }) => a.reseau?.code === "RIP14")).toBe(true);
    expect(JSON.stringify(all)).not.toContain("secret@exemple.fr");
    for (const format of ["csv", "xlsx"]) {
      const exported = await calvados().request("GET", `/api/anomalies?format=${format}`);
      expect(exported.status).toBe(200);
      expect(Buffer.from(await exported.arrayBuffer()).toString("latin1")).not.toContain("secret@exemple.fr");
    }

    const read = await calvados().request("GET", `/api/anomalies/${id}`);
    expect(read.status).toBe(403);
    expect((await body(read)).code).toBe("ACCES_REFUSE");
    const answer = await calvados().request("POST", `/api/anomalies/${id}/reponse`, {
      message: "Pas chez nous",
      statut: "rejetee",
    });
    expect(answer.status).toBe(403);
    const untouched = await body(await agent().request("GET", `/api/anomalies/${id}`));
    expect(untouched).toMatchObject({ statut: "nouvelle" });
    expect(untouched.evenements).toHaveLength(1);

    // Unassigned anomalies belong to no operator.
    const { jeton: orphan } = await reported({ id: "27229_0002_00002" });
    expect((await manche().request("GET", `/api/anomalies/${await idOf(orphan)}`)).status).toBe(403);

    expect((await manche().request("GET", "/api/anomalies/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    const badId = await manche().request("GET", "/api/anomalies/pas-un-uuid");
    expect(badId.status).toBe(400);
    expect((await body(badId)).parametre).toBe("id");
    // Other roles and the public: refused by the route's policy.
    expect((await as("gestionnaire@region.test").request("GET", "/api/anomalies")).status).toBe(403);
    expect((await server.get("/api/anomalies")).status).toBe(401);
  });

  it("l'agente voit tous les signalements, ceux sans réseau compris, et filtre par statut, réseau, type, commune, page", async () => {
    const everything = await body(await agent().request("GET", "/api/anomalies?limit=500"));
    const codes = new Set(everything.results.map((a: { reseau: { code: string } | null }) => a.reseau?.code ?? null));
    expect(codes).toEqual(new Set(["RIP50", "RIP14", "PRV-FRTE", null]));
    expect(everything.reseaux.map((r: { code: string }) => r.code)).toEqual(["PRV-FRTE", "RIP14", "RIP50"]);
    // Newest first.
    const dates = everything.results.map((a: { creeLe: string }) => a.creeLe);
    expect(dates).toEqual([...dates].sort().reverse());

    const unassigned = await body(await agent().request("GET", "/api/anomalies?reseau=aucun&limit=500"));
    expect(unassigned.total).toBeGreaterThanOrEqual(2);
    expect(unassigned.results.every((a: { reseau: unknown }) => a.reseau === null)).toBe(true);
    const resolved = await body(await agent().request("GET", "/api/anomalies?statut=resolue"));
    expect(resolved.total).toBe(1);
    const missing = await body(await agent().request("GET", "/api/anomalies?type=adresse_absente&commune=27229"));
    expect(missing.total).toBe(1);
    expect(missing.results[0]).toMatchObject({ type: "adresse_absente", commune: "27229", adresse: "Le Bourg" });

    const second = await body(await agent().request("GET", "/api/anomalies?limit=1&offset=1"));
    expect(second.total).toBe(everything.total);
    expect(second.results.map((a: { id: string }) => a.id)).toEqual([everything.results[1].id]);

    for (const [query, parametre] of [
      ["statut=ferme", "statut"],
      ["limit=0", "limit"],
      ["format=pdf", "format"],
      ["commune=abc", "commune"],
    ]) {
      const refused = await agent().request("GET", `/api/anomalies?${query}`);
      expect(refused.status, query).toBe(400);
      expect((await body(refused)).parametre).toBe(parametre);
    }
  });

  it("exporte la boîte en CSV et XLSX, contact compris pour l'opérateur responsable, formules neutralisées", async () => {
    await reported({ description: '=HYPERLINK("http://x")', immeuble: MANCHE_BUILDING, contact: "csv@exemple.fr" });
    const csvResponse = await manche().request("GET", "/api/anomalies?format=csv&statut=nouvelle");
    expect(csvResponse.status).toBe(200);
    expect(csvResponse.headers.get("content-type")).toContain("text/csv");
    expect(csvResponse.headers.get("content-disposition")).toContain("signalements-adresses.csv");
    const csv = await csvResponse.text();
    const [header, ...lines] = csv
      .replace(/^\uFEFF/, "")
      .trimEnd()
      .split("\r\n");
    expect(header?.split(";")).toEqual([
      "id",
      "cree_le",
      "type",
      "type_interop_fibre",
      "statut",
      "statut_interop_fibre",
      "reseau",
      "reseau_nom",
      "rattachement",
      "commune",
      "adresse",
      "adresse_id",
      "immeuble",
      "lat",
      "lon",
      "description",
      "contact",
      "modifie_le",
      "clos_le",
    ]);
    const json = await body(await manche().request("GET", "/api/anomalies?statut=nouvelle&limit=500"));
    expect(lines).toHaveLength(json.total);
    const line = lines.find((l) => l.includes("csv@exemple.fr")) ?? "";
    expect(line).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(line).toContain(";RIP50;");

    const xlsxResponse = await manche().request("GET", "/api/anomalies?format=xlsx&statut=nouvelle");
    expect(xlsxResponse.status).toBe(200);
    expect(xlsxResponse.headers.get("content-type")).toBe(
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    const [sheet, about] = readXlsx(Buffer.from(await xlsxResponse.arrayBuffer()));
    expect(sheet?.rows[0]?.[16]).toBe("contact");
    expect(sheet?.rows).toHaveLength(json.total + 1);
    const row = sheet?.rows.find((r) => r[16] === "csv@exemple.fr");
    // A spreadsheet cell holds text, not a formula: no escaping there.
    expect(row?.[15]).toBe('=HYPERLINK("http://x")');
    expect(about?.name).toBe("À propos");
  });

  it("ouvre la boîte à une clé d'API de portée « anomalies:traiter » dans le périmètre de son opérateur", async () => {
    const owner = await (ctx.db as Kysely<AccountsTables>)
      .selectFrom("utilisateur")
      .select(["id", "email"])
      .where("email", "=", "operateur.manche@region.test")
      .executeTakeFirstOrThrow();
    const roles = [{ role: "operateur" as const, perimetre: "RIP50" }];
    const scoped = await createApiKey(
      ctx.db,
      { ...owner, roles },
      { nom: "boite", portees: ["anomalies:traiter"] },
      "",
    );
    const other = await createApiKey(ctx.db, { ...owner, roles }, { nom: "autre", portees: ["eligibilite:lire"] }, "");
    const withKey = await fetch(`${server.baseUrl}/api/anomalies?limit=500`, { headers: { "x-api-key": scoped.key } });
    expect(withKey.status).toBe(200);
    const list = await body(withKey);
    expect(list.total).toBeGreaterThan(0);
    expect(list.results.every((a: { reseau: { code: string } }) => a.reseau.code === "RIP50")).toBe(true);
    const refused = await fetch(`${server.baseUrl}/api/anomalies`, { headers: { "x-api-key": other.key } });
    expect(refused.status).toBe(403);
  });

  it(`efface le contact des signalements clos depuis plus de 90 jours, pas des autres`, async () => {
    const db = ctx.db as AnomalyDatabase;
    const contactOf = async (jeton: string) =>
      (
        await db
          .selectFrom("anomalie_adresse")
          .select("contact_email")
          .where("jeton_empreinte", "=", sha256(jeton))
          .executeTakeFirstOrThrow()
      ).contact_email;
    const old = await reported({ immeuble: MANCHE_BUILDING, contact: "ancien@exemple.fr" });
    const open = await reported({ immeuble: MANCHE_BUILDING, contact: "ouvert@exemple.fr" });
    await manche().request("POST", `/api/anomalies/${await idOf(old.jeton)}/reponse`, {
      message: "Corrigé",
      statut: "resolue",
    });
    expect(await eraseExpiredContacts(db, new Date(Date.now() + 89 * 24 * 3600 * 1000))).toBe(0);
    expect(await contactOf(old.jeton)).toBe("ancien@exemple.fr");
    expect(await eraseExpiredContacts(db, new Date(Date.now() + 91 * 24 * 3600 * 1000))).toBeGreaterThanOrEqual(1);
    expect(await contactOf(old.jeton)).toBeNull();
    expect(await contactOf(open.jeton)).toBe("ouvert@exemple.fr");
  });

  it("fixture : l'adresse de la Manche est bien géocodable (sinon le test du texte libre ne prouve rien)", async () => {
    const search = await body(await server.get("/api/adresse/search?q=12+rue+des+halles+coutances&limit=1"));
    expect(search.features[0]?.properties.id).toBe(MANCHE_ADDRESS);
  });
});
