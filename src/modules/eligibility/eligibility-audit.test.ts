import type { Kysely } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import { body, TestClient } from "../../shared/testing/http-client.ts";
import { describeEachDatabase } from "../../shared/testing/test-databases.ts";
import { startTestServer, type TestServer } from "../../shared/testing/test-server.ts";
import type { AccountsTables } from "../accounts/accounts.tables.ts";
import { createApiKey } from "../accounts/api-keys/api-keys.service.ts";
import { hashPassword } from "../accounts/shared/passwords.ts";
import { insertUser, replaceRoles } from "../accounts/users/users.repository.ts";
import { type AnomalyDatabase, reportAnomaly } from "./address-anomalies/address-anomalies.service.ts";
import { insertBatchFixture } from "./batch-eligibility/batch-eligibility.test-fixture.ts";
import { offer } from "./service-catalogues/catalogue.test-fixture.ts";

const PASSWORD = "mot de passe de test";
const OP61 = "operateur.orne@region.test";
const OP14 = "operateur.calvados@region.test";
const CONTACT = "declarant.secret@exemple.test";
const ENV = { TERRITOIRE_LIMITE_IP: "100000", TERRITOIRE_LOTS_IP: "1000" };

const version = (label: string, valideDu: string, valideAu: string | null = null) => ({
  version: label,
  valideDu,
  valideAu,
  offres: [offer("FTTO", "ftto", 400)],
});

describeEachDatabase("journal d'audit des écritures de l'éligibilité", (ctx) => {
  let server: TestServer;
  const op61 = () => clients.get(OP61) as TestClient;
  const op14 = () => clients.get(OP14) as TestClient;
  const clients = new Map<string, TestClient>();
  let key = { key: "", prefixe: "" };
  /** Secrets handed out during the tests: none may reach any column of the journal. */
  const secrets: string[] = [CONTACT];

  const journal = async (action: string) => {
    const accounts = ctx.db as Kysely<AccountsTables>;
    return accounts.selectFrom("journal_audit").selectAll().where("action", "=", action).orderBy("quand").execute();
  };

  beforeAll(async () => {
    await insertBatchFixture(ctx.db);
    const accounts = ctx.db as Kysely<AccountsTables>;
    const hash = await hashPassword(PASSWORD);
    for (const [email, perimetre] of [
      [OP61, "RIP61"],
      [OP14, "RIP14"],
    ] as const) {
      const user = await insertUser(accounts, { email, nom: email, motDePasseHash: hash });
      await replaceRoles(accounts, user.id, [{ role: "operateur", perimetre }]);
      if (email === OP61) {
        const owner = { ...user, roles: [{ role: "operateur" as const, perimetre }] };
        key = await createApiKey(accounts, owner, { nom: "SI", portees: ["catalogues:ecrire"] }, "");
        secrets.push(key.key);
      }
    }
    server = await startTestServer(ctx.opened, {}, ENV);
    for (const email of [OP61, OP14]) {
      const client = new TestClient(server.baseUrl);
      expect((await client.signIn(email, PASSWORD)).status).toBe(200);
      clients.set(email, client);
    }
  });
  afterAll(() => server?.close());

  it("journalise création, modification et suppression d'une version à venir ; pas de ligne pour un 409", async () => {
    const created = await op61().request("POST", "/api/catalogues/RIP61/versions", version("V2040", "2040-01-01"));
    expect(created.status, await created.clone().text()).toBe(201);
    const updated = await op61().request("PUT", "/api/catalogues/RIP61/versions/V2040", version("V2040", "2040-02-01"));
    expect(updated.status, await updated.clone().text()).toBe(200);

    // Refused writes roll back with their journal line: same label again, then dates overlapping V2040.
    const duplicate = await op61().request("POST", "/api/catalogues/RIP61/versions", version("V2040", "2041-01-01"));
    expect(duplicate.status).toBe(409);
    const overlap = await op61().request(
      "POST",
      "/api/catalogues/RIP61/versions",
      version("CHEVAUCHE", "2039-01-01", "2040-06-01"),
    );
    expect((await body(overlap)).code).toBe("CHEVAUCHEMENT");

    const deleted = await op61().request("DELETE", "/api/catalogues/RIP61/versions/V2040");
    expect(deleted.status).toBe(204);

    const line = { acteur: `utilisateur:${OP61}`, cible: "catalogue:RIP61/V2040", resultat: "succes", ip: "127.0.0.1" };
    expect(await journal("catalogue.version.creation")).toEqual([expect.objectContaining(line)]);
    expect(await journal("catalogue.version.modification")).toEqual([expect.objectContaining(line)]);
    expect(await journal("catalogue.version.suppression")).toEqual([expect.objectContaining(line)]);
  });

  it("journalise l'import d'une version par clé d'API sous le préfixe de la clé", async () => {
    const form = new FormData();
    form.append("version", "IMPORT-2042");
    form.append("valideDu", "2042-01-01");
    const csv =
      "code;nom;famille;debit_descendant_mbps;debit_montant_mbps;mensuel_ht;frais_acces_ht;engagement_mois\r\nPRO;FttH Pro;ftth_pro;1000;500;45;450;12";
    form.append("fichier", new Blob([csv]), "catalogue.csv");
    const response = await server.get("/api/catalogues/RIP61/versions/import", {
      method: "POST",
      headers: { "x-api-key": key.key },
      body: form,
    });
    expect(response.status, await response.clone().text()).toBe(201);
    expect(await journal("catalogue.version.import")).toEqual([
      expect.objectContaining({
        acteur: `cle:${key.prefixe}`,
        cible: "catalogue:RIP61/IMPORT-2042",
        resultat: "succes",
      }),
    ]);
  });

  it("journalise la réponse à un signalement (statuts, jamais le message ni le contact) et un refus hors périmètre", async () => {
    const { id, jeton } = await reportAnomaly(ctx.db as AnomalyDatabase, () => [], {
      type: "autre",
      description: "Immeuble absent",
      immeuble: "IMB-AUDIT",
      contact: CONTACT,
    });
    secrets.push(jeton);
    await (ctx.db as AnomalyDatabase)
      .updateTable("anomalie_adresse")
      .set({ reseau: "RIP61", rattachement: "immeuble" })
      .where("id", "=", id)
      .execute();

    const refused = await op14().request("POST", `/api/anomalies/${id}/reponse`, { message: "Vu", statut: "resolue" });
    expect(refused.status).toBe(403);
    const answer = { message: `Pris en charge, nous écrivons à ${CONTACT}`, statut: "en_cours", public: true };
    expect((await op61().request("POST", `/api/anomalies/${id}/reponse`, answer)).status).toBe(200);

    const lines = await journal("anomalie.reponse");
    expect(lines).toEqual([
      expect.objectContaining({ acteur: `utilisateur:${OP14}`, cible: `anomalie:${id}`, resultat: "echec" }),
      expect.objectContaining({ acteur: `utilisateur:${OP61}`, cible: `anomalie:${id}`, resultat: "succes" }),
    ]);
    expect(JSON.parse(lines[1]?.details ?? "")).toEqual({
      statutAvant: "nouvelle",
      statutApres: "en_cours",
      public: true,
    });
  });

  it("journalise la création et l'annulation d'un lot sous le préfixe de son jeton", async () => {
    const form = new FormData();
    form.append("lat", "lat");
    form.append("lon", "lon");
    form.append("fichier", new Blob(["nom,lat,lon\nA,48.43,0.09\n"], { type: "text/csv" }), "sites.csv");
    const response = await server.get("/api/eligibilite/lots", { method: "POST", body: form });
    expect(response.status, await response.clone().text()).toBe(202);
    const { id } = await body(response);
    secrets.push(id);
    expect((await server.get(`/api/eligibilite/lots/${id}`, { method: "DELETE" })).status).toBe(204);
    // An unknown job: nothing to cancel, nothing journalled.
    expect((await server.get(`/api/eligibilite/lots/${"x".repeat(24)}`, { method: "DELETE" })).status).toBe(404);

    const line = { acteur: "anonyme", cible: `lot:${id.slice(0, 6)}`, resultat: "succes", ip: "127.0.0.1" };
    expect(await journal("lot.creation")).toEqual([expect.objectContaining(line)]);
    expect(await journal("lot.annulation")).toEqual([expect.objectContaining(line)]);
  });

  it("ne laisse aucun secret (jeton, contact, clé) dans le journal", async () => {
    const accounts = ctx.db as Kysely<AccountsTables>;
    const rows = await accounts.selectFrom("journal_audit").selectAll().execute();
    const text = JSON.stringify(rows);
    expect(secrets.length).toBeGreaterThanOrEqual(4);
    for (const secret of secrets) expect(text).not.toContain(secret);
  });
});
