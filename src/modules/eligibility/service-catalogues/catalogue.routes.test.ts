import { afterAll, beforeAll, expect, it } from "vitest";
import { readXlsx } from "../../../shared/export/xlsx.ts";
import { body, TestClient } from "../../../shared/testing/http-client.ts";
import { describeEachDatabase } from "../../../shared/testing/test-databases.ts";
import { startTestServer, type TestServer } from "../../../shared/testing/test-server.ts";
import { createApiKey } from "../../accounts/api-keys/api-keys.service.ts";
import { DEMO_ACCOUNTS, ensureDemoAccounts } from "../../accounts/demo-accounts/demo-accounts.ts";
import { findUserByEmail, rolesOf } from "../../accounts/users/users.repository.ts";
import { ensureDemoCatalogues } from "./demo-catalogues.ts";

const account = (role: string) => {
  const found = DEMO_ACCOUNTS.find((a) => a.roles[0]?.role === role);
  if (!found) throw new Error(role);
  return found;
};

const OFFER = {
  code: "FTTO-200",
  nom: "FttO 200 Mbit/s",
  famille: "ftto",
  debitDescendantMbps: 200,
  debitMontantMbps: 200,
  debitGarantiMbps: 200,
  symetrique: true,
  gtrHeures: 4,
  gtrLabel: "4 h ouvrées",
  fraisAccesHt: 1200,
  mensuelHt: 333,
  engagementMois: 36,
};

const CSV = [
  "code;nom;famille;debit_descendant_mbps;debit_montant_mbps;debit_garanti_mbps;symetrique;gtr_heures;frais_acces_ht;mensuel_ht;engagement_mois;options;sur_devis;raison",
  "PRO;FttH Pro 1 Gbit/s;ftth_pro;1000;500;;non;24;150;44,50;12;Adresse IP fixe=5;non;",
  "FTTO-1G;FttO 1 Gbit/s;FttO;1000;1000;1000;oui;4;2 500;790;36;GTR 4 h 24/7=120|Double adduction=sur devis;non;",
  "FTTO-10G;FttO 10 Gbit/s;ftto;10000;10000;10000;oui;4;;;36;;oui;Selon la distance",
].join("\r\n");

describeEachDatabase("catalogues de services : API", (ctx) => {
  let server: TestServer;
  let key = "";
  let foreignKey = "";
  const client = () => new TestClient(server.baseUrl);
  const signedIn = async (role: string) => {
    const c = client();
    expect((await c.signIn(account(role).email, account(role).motDePasse)).status).toBe(200);
    return c;
  };
  const upload = (
    reseau: string,
    parts: Record<string, string>,
    file: { name: string; text: string; encoding?: BufferEncoding },
    apiKey = key,
  ) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(parts)) form.append(name, value);
    form.append("fichier", new Blob([Buffer.from(file.text, file.encoding ?? "utf8")]), file.name);
    return fetch(`${server.baseUrl}/api/catalogues/${reseau}/versions/import`, {
      method: "POST",
      headers: { "x-api-key": apiKey },
      body: form,
    });
  };

  beforeAll(async () => {
    await ensureDemoAccounts(ctx.db);
    await ensureDemoCatalogues(ctx.db);
    const owner = await findUserByEmail(ctx.db, account("operateur").email);
    if (!owner) throw new Error("opérateur de démo");
    const grants = await rolesOf(ctx.db, owner.id);
    key = (await createApiKey(ctx.db, { ...owner, roles: grants }, { nom: "SI", portees: ["catalogues:ecrire"] }, ""))
      .key;
    foreignKey = (
      await createApiKey(ctx.db, { ...owner, roles: grants }, { nom: "lecture", portees: ["eligibilite:lire"] }, "")
    ).key;
    server = await startTestServer(ctx.opened);
  });
  afterAll(() => server?.close());

  it("lists the networks with the version in force, the demo notice, and each network's versions", async () => {
    const list = await body(await server.get("/api/catalogues"));
    expect(list.reseaux.map((r: { reseau: string }) => r.reseau)).toEqual([
      "RIP14",
      "RIP27",
      "RIP50",
      "RIP61",
      "RIP76",
    ]);
    expect(list.reseaux[2]).toMatchObject({
      exemple: true,
      nbVersions: 2,
      enVigueur: { version: "2026", nbOffres: 7 },
    });
    expect(list.avertissement).toContain("exemple");
    const rip50 = await body(await server.get("/api/catalogues/RIP50"));
    expect(rip50.versions.map((v: { version: string; statut: string }) => [v.version, v.statut])).toEqual([
      ["2024", "passee"],
      ["2026", "en_vigueur"],
    ]);
    const unknown = await server.get("/api/catalogues/RIP99");
    expect(unknown.status).toBe(404);
    expect((await body(unknown)).code).toBe("RESEAU_INCONNU");
  });

  it("serves a version as JSON, CSV and XLSX in the import's columns", async () => {
    const json = await body(await server.get("/api/catalogues/RIP50/versions/2026"));
    expect(json.offres).toHaveLength(7);
    expect(json.modifiable).toBe(false);
    const csv = await server.get("/api/catalogues/RIP50/versions/2026?format=csv");
    expect(csv.headers.get("content-disposition")).toContain("catalogue-RIP50-2026.csv");
    const text = await csv.text();
    expect(text.split("\r\n")[0]).toMatch(/^code;nom;famille;debit_descendant_mbps/);
    expect(text).toContain("GTR 4 h 24/7=");
    const xlsx = await server.get("/api/catalogues/RIP50/versions/2026?format=xlsx");
    const sheets = readXlsx(Buffer.from(await xlsx.arrayBuffer()));
    expect(sheets[0]?.rows).toHaveLength(8);
    expect((await server.get("/api/catalogues/RIP50/versions/1999")).status).toBe(404);
  });

  it("compares the offers in force at a date, filtered, sorted by family then price, downloadable", async () => {
    const ftto = await body(await server.get("/api/catalogues/comparaison?famille=ftto&date=2026-06-01"));
    expect(ftto.offres).toHaveLength(15);
    const priced = ftto.offres.filter((o: { surDevis: boolean }) => !o.surDevis);
    const prices = priced.map((o: { mensuelHt: number }) => o.mensuelHt);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    expect(ftto.offres.slice(-5).every((o: { surDevis: boolean }) => o.surDevis)).toBe(true);
    const old = await body(await server.get("/api/catalogues/comparaison?date=2025-06-01&reseau=RIP14"));
    expect(old.offres.every((o: { version: string }) => o.version === "2024")).toBe(true);
    expect(old.offres).toHaveLength(6);
    const csv = await (await server.get("/api/catalogues/comparaison?format=csv&famille=ftte_active")).text();
    expect(csv.split("\r\n")[0]).toMatch(/^reseau;reseau_nom;version;valide_du;valide_au;exemple;code/);
    const bad = await server.get("/api/catalogues/comparaison?date=2026-02-30");
    expect(bad.status).toBe(400);
    expect((await body(bad)).parametre).toBe("date");
    expect((await server.get("/api/catalogues/comparaison?famille=adsl")).status).toBe(400);
  });

  it("the network's operator publishes, edits and deletes a future version; in force it is immutable", async () => {
    const operator = await signedIn("operateur");
    const created = await operator.request("POST", "/api/catalogues/RIP50/versions", {
      version: "2030",
      valideDu: "2030-01-01",
      couvertureDepartements: ["50"],
      offres: [OFFER],
    });
    expect(created.status).toBe(201);
    expect(await body(created)).toMatchObject({ version: "2030", statut: "a_venir", modifiable: true, exemple: false });
    // Seen at once by this process: the comparison at that date shows it.
    const at2030 = await body(await server.get("/api/catalogues/comparaison?date=2030-02-01&reseau=RIP50"));
    expect(at2030.offres.map((o: { code: string }) => o.code)).toEqual(["FTTO-200"]);
    expect(at2030.avertissement).toBeNull();
    const versions = await body(await server.get("/api/catalogues/RIP50"));
    expect(versions.versions[1]).toMatchObject({ version: "2026", valideAu: "2030-01-01" });

    const edited = await operator.request("PUT", "/api/catalogues/RIP50/versions/2030", {
      valideDu: "2030-01-01",
      offres: [{ ...OFFER, mensuelHt: 320 }],
    });
    expect(edited.status).toBe(200);
    expect((await body(edited)).offres[0].mensuelHt).toBe(320);

    const overlap = await operator.request("POST", "/api/catalogues/RIP50/versions", {
      version: "2029",
      valideDu: "2029-06-01",
      valideAu: "2030-06-01",
      offres: [OFFER],
    });
    expect(overlap.status).toBe(409);
    expect(await body(overlap)).toMatchObject({ code: "CHEVAUCHEMENT", versions: ["2026", "2030"] });

    const inForce = await operator.request("PUT", "/api/catalogues/RIP50/versions/2026", {
      valideDu: "2030-01-01",
      offres: [OFFER],
    });
    expect(inForce.status).toBe(409);
    expect((await body(inForce)).code).toBe("VERSION_EN_VIGUEUR");
    expect((await operator.request("DELETE", "/api/catalogues/RIP50/versions/2026")).status).toBe(409);

    expect((await operator.request("DELETE", "/api/catalogues/RIP50/versions/2030")).status).toBe(204);
    const after = await body(await server.get("/api/catalogues/RIP50"));
    expect(after.versions.map((v: { version: string; valideAu: string | null }) => [v.version, v.valideAu])).toEqual([
      ["2024", "2026-01-01"],
      ["2026", null],
    ]);
  });

  it("bad bodies: 400 naming the parameter, nothing written", async () => {
    const operator = await signedIn("operateur");
    const missing = await operator.request("POST", "/api/catalogues/RIP50/versions", {
      version: "2031",
      valideDu: "2031-01-01",
      offres: [{ ...OFFER, engagementMois: undefined }],
    });
    expect(missing.status).toBe(400);
    expect((await body(missing)).parametre).toBe("engagementMois");
    const unpriced = await operator.request("POST", "/api/catalogues/RIP50/versions", {
      version: "2031",
      valideDu: "2031-01-01",
      offres: [{ ...OFFER, mensuelHt: null }, OFFER],
    });
    expect(unpriced.status).toBe(400);
    const report = await body(unpriced);
    expect(report).toMatchObject({ code: "CATALOGUE_INVALIDE", parametre: "offres[0].mensuelHt" });
    expect(report.erreurs.map((e: { message: string }) => e.message)).toContain(
      "offres[1].code : le code « FTTO-200 » est déjà celui d'une autre offre",
    );
    const past = await operator.request("POST", "/api/catalogues/RIP50/versions", {
      version: "2031",
      valideDu: "2020-01-01",
      offres: [OFFER],
    });
    expect((await body(past)).parametre).toBe("valideDu");
    expect((await body(await server.get("/api/catalogues/RIP50"))).versions).toHaveLength(2);
  });

  it("operators write only their own networks; keys need the catalogues:ecrire scope", async () => {
    const operator = await signedIn("operateur");
    const foreign = await operator.request("POST", "/api/catalogues/RIP14/versions", {
      version: "2031",
      valideDu: "2031-01-01",
      offres: [OFFER],
    });
    expect(foreign.status).toBe(403);
    const agent = await signedIn("agent");
    expect((await agent.request("DELETE", "/api/catalogues/RIP50/versions/2026")).status).toBe(403);
    const anonymous = await client().request("POST", "/api/catalogues/RIP50/versions", {});
    expect(anonymous.status).toBe(401);
    const viaKey = (reseau: string, apiKey: string) =>
      fetch(`${server.baseUrl}/api/catalogues/${reseau}/versions`, {
        method: "POST",
        headers: { "x-api-key": apiKey, "content-type": "application/json" },
        body: JSON.stringify({ version: "2040", valideDu: "2040-01-01", valideAu: "2041-01-01", offres: [OFFER] }),
      });
    expect((await viaKey("RIP14", key)).status).toBe(403);
    expect((await viaKey("RIP50", foreignKey)).status).toBe(403);
    const created = await viaKey("RIP50", key);
    expect(created.status).toBe(201);
    expect(await body(created)).toMatchObject({ version: "2040", couvertureDepartements: ["50"] });
  });

  it("imports a CSV all or nothing, with a report naming line and column", async () => {
    const bad = CSV.replace("44,50", "quarante").replace("FttO 1 Gbit/s;FttO", "FttO 1 Gbit/s;fibre");
    const refused = await upload(
      "RIP50",
      { version: "2050", valideDu: "2050-01-01" },
      { name: "offres.csv", text: bad },
    );
    expect(refused.status).toBe(400);
    const report = await body(refused);
    expect(report.code).toBe("IMPORT_REFUSE");
    expect(report.message).toContain("rien n'a été enregistré");
    expect(report.erreurs).toEqual([
      { ligne: 2, champ: "mensuel_ht", message: "« quarante » n'est pas un nombre" },
      { ligne: 3, champ: "famille", message: expect.stringContaining("« fibre » n'est pas une famille") },
    ]);
    const unpriced = await upload(
      "RIP50",
      { version: "2050", valideDu: "2050-01-01" },
      {
        name: "offres.csv",
        text: CSV.replace(
          "FTTO-10G;FttO 10 Gbit/s;ftto;10000;10000;10000;oui;4;;;36;;oui",
          "FTTO-10G;FttO 10 Gbit/s;ftto;10000;10000;10000;oui;4;;;36;;non",
        ),
      },
    );
    expect((await body(unpriced)).erreurs[0]).toMatchObject({ ligne: 4, champ: "frais_acces_ht" });
    expect(
      (await body(await server.get("/api/catalogues/RIP50"))).versions.map((v: { version: string }) => v.version),
    ).not.toContain("2050");

    const imported = await upload(
      "RIP50",
      { version: "2050", valideDu: "2050-01-01", valideAu: "2051-01-01", note: "Tarifs 2050" },
      { name: "offres.csv", text: CSV },
    );
    expect(imported.status).toBe(201);
    const version = await body(imported);
    expect(version).toMatchObject({ version: "2050", note: "Tarifs 2050", couvertureDepartements: ["50"] });
    expect(version.offres[0]).toMatchObject({
      code: "PRO",
      mensuelHt: 44.5,
      symetrique: false,
      options: [{ nom: "Adresse IP fixe", mensuelHt: 5 }],
    });
    expect(version.offres[1]).toMatchObject({
      famille: "ftto",
      fraisAccesHt: 2500,
      options: [{ mensuelHt: 120 }, { nom: "Double adduction", mensuelHt: null }],
    });
    expect(version.offres[2]).toMatchObject({ surDevis: true, raison: "Selon la distance", mensuelHt: null });
  });

  it("imports JSON (a whole version or its offers); refuses an unreadable or misplaced upload", async () => {
    const whole = JSON.stringify({ version: "2052", valideDu: "2052-01-01", valideAu: "2053-01-01", offres: [OFFER] });
    expect((await upload("RIP50", {}, { name: "v.json", text: whole })).status).toBe(201);
    // A spreadsheet's Windows-1252 export reads the same.
    const latin1 = await upload(
      "RIP50",
      { version: "2051", valideDu: "2051-01-01", valideAu: "2052-01-01" },
      { name: "offres.csv", text: CSV.replace("FttH Pro 1 Gbit/s", "FttH Pro débit élevé"), encoding: "latin1" },
    );
    expect(latin1.status).toBe(201);
    expect((await body(latin1)).offres[0].nom).toBe("FttH Pro débit élevé");
    const list = await upload(
      "RIP50",
      { version: "2053", valideDu: "2053-01-01", valideAu: "2054-01-01" },
      { name: "o.json", text: JSON.stringify([OFFER]) },
    );
    expect(list.status).toBe(201);
    const badJson = await upload("RIP50", { version: "2054", valideDu: "2054-01-01" }, { name: "o.json", text: "[{" });
    expect(badJson.status).toBe(400);
    expect((await body(badJson)).erreurs[0].champ).toBe("fichier");
    const wrongType = await upload(
      "RIP50",
      { version: "2054", valideDu: "2054-01-01" },
      { name: "o.json", text: JSON.stringify([{ ...OFFER, mensuelHt: "cher" }]) },
    );
    expect((await body(wrongType)).parametre).toBe("offres.0.mensuelHt");
    const empty = await upload("RIP50", { version: "2054", valideDu: "2054-01-01" }, { name: "o.csv", text: "" });
    expect((await body(empty)).erreurs[0]).toMatchObject({ champ: "fichier" });
    const headerless = await upload(
      "RIP50",
      { version: "2054", valideDu: "2054-01-01" },
      { name: "o.csv", text: "a;b\r\n1;2" },
    );
    expect((await body(headerless)).erreurs.map((e: { champ: string }) => e.champ)).toContain("famille");
    const notMultipart = await fetch(`${server.baseUrl}/api/catalogues/RIP50/versions/import`, {
      method: "POST",
      headers: { "x-api-key": key, "content-type": "application/json" },
      body: "{}",
    });
    expect(notMultipart.status).toBe(400);
    const big = await upload(
      "RIP50",
      { version: "2054", valideDu: "2054-01-01" },
      { name: "o.csv", text: "x".repeat(2 * 1024 * 1024 + 10) },
    );
    expect(big.status).toBe(413);
  });
});
