import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readXlsx } from "../../../shared/export/xlsx.ts";
import { body, sendDeclaredBody, TestClient } from "../../../shared/testing/http-client.ts";
import { describeEachDatabase } from "../../../shared/testing/test-databases.ts";
import { startTestServer, type TestServer } from "../../../shared/testing/test-server.ts";
import { createApiKey } from "../../accounts/api-keys/api-keys.service.ts";
import { insertUser } from "../../accounts/users/users.repository.ts";
import { BATCH_DATE, insertBatchFixture, sitesCsv } from "./batch-eligibility.test-fixture.ts";
import { decodeUpload, mapColumns, parseBatchCsv } from "./batch-input.ts";
import { REASONS, RESULT_COLUMNS } from "./batch-resolve.ts";

/** Many uploads per test run: the hourly cap is tested on a server of its own. */
const ENV = { TERRITOIRE_LIMITE_IP: "100000", TERRITOIRE_LOTS_IP: "1000" };

async function upload(
  server: TestServer,
  csv: string | Uint8Array,
  fields: [string, string][],
  name = "sites.csv",
  headers: Record<string, string> = {},
) {
  const form = new FormData();
  for (const [k, v] of fields) form.append(k, v);
  form.append("fichier", new Blob([csv], { type: "text/csv" }), name);
  return server.get("/api/eligibilite/lots", { method: "POST", body: form, headers });
}

// biome-ignore lint/suspicious/noExplicitAny: test assertions check the shape
async function waitForEnd(server: TestServer, id: string, seen: number[] = []): Promise<any> {
  for (let i = 0; i < 300; i++) {
    const status = await body(await server.get(`/api/eligibilite/lots/${id}`));
    seen.push(status.pourcentage);
    if (!["en_attente", "en_cours"].includes(status.statut)) return status;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`lot ${id} jamais terminé`);
}

/** The CSV download, as records keyed by column name. */
async function csvRecords(server: TestServer, id: string): Promise<Record<string, string>[]> {
  const response = await server.get(`/api/eligibilite/lots/${id}/resultat?format=csv`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/csv");
  const bytes = Buffer.from(await response.arrayBuffer());
  // UTF-8 with a byte-order mark, as spreadsheets expect it.
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.toString("utf8");
  return parse(text, { delimiter: ";", bom: true, columns: true });
}

describe("lecture du fichier déposé", () => {
  it("décode l'UTF-8 (avec BOM) et le Windows-1252, refuse le binaire, l'UTF-16 et les classeurs", () => {
    expect(decodeUpload(new TextEncoder().encode("\uFEFFsite;rue\nA;Évreux\n"))).toEqual({
      text: "site;rue\nA;Évreux\n",
      encoding: "utf-8",
    });
    expect(decodeUpload(Buffer.from("site;rue\nA;Évreux\n", "latin1"))).toEqual({
      text: "site;rue\nA;Évreux\n",
      encoding: "windows-1252",
    });
    for (const bytes of [
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]),
      Buffer.from([0xff, 0xfe, 0x61, 0x00]),
      Buffer.from([0x61, 0x3b, 0x62, 0x0a, 0x00, 0x01, 0x02]),
      Buffer.from(Array.from({ length: 400 }, (_, i) => (i * 7) % 32)),
      Buffer.alloc(0),
    ]) {
      expect(() => decodeUpload(bytes)).toThrow();
    }
  });

  it("détecte le séparateur, vérifie les colonnes et repère un fichier sans en-tête", () => {
    const parsed = parseBatchCsv("nom,adresse,cp\nA,1 rue X,61000\n");
    expect(parsed.separator).toBe(",");
    expect(mapColumns(parsed.header, { adresse: ["adresse"], postcode: "cp" })).toEqual({
      mode: "adresse",
      adresse: [1],
      postcode: 2,
      citycode: null,
    });
    expect(mapColumns(parsed.header, { lat: "cp", lon: "nom" })).toEqual({ mode: "position", lat: 2, lon: 0 });
    expect(() => mapColumns(parsed.header, { adresse: ["rue"] })).toThrow(/Colonne « rue » absente/);
    expect(() => mapColumns(parsed.header, { lat: "cp" })).toThrow(/« lon » obligatoire/);
    expect(() => mapColumns(parsed.header, { id: "nom", lat: "cp", lon: "cp" })).toThrow(/un seul mode/);
    const headless = parseBatchCsv("12 rue de la Paix;Caen\n3 place Foch;Alençon\n");
    expect(() => mapColumns(headless.header, {})).toThrow(/ressemble à des données/);
  });
});

describeEachDatabase("Éligibilité multi-sites (POST /api/eligibilite/lots)", (ctx) => {
  let server: TestServer;

  beforeAll(async () => {
    await insertBatchFixture(ctx.db);
    server = await startTestServer(ctx.opened, {}, ENV);
  });
  afterAll(() => server?.close());

  it("traite un fichier de ~50 sites en arrière-plan : progression, raisons par ligne, CSV et XLSX relus", async () => {
    const csv = sitesCsv();
    const response = await upload(server, csv, [
      ["adresse", "rue"],
      ["adresse", "ville"],
      ["postcode", "cp"],
      ["date", BATCH_DATE],
    ]);
    expect(response.status).toBe(202);
    const created = await body(response);
    expect(response.headers.get("location")).toBe(`/api/eligibilite/lots/${created.id}`);
    expect(created.id).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(created).toMatchObject({
      fichier: "sites.csv",
      encodage: "utf-8",
      separateur: ";",
      colonnes: { adresse: ["rue", "ville"], postcode: "cp" },
      dateReference: BATCH_DATE,
      total: 47,
    });
    const seen: number[] = [];
    const done = await waitForEnd(server, created.id, seen);
    expect(done).toMatchObject({ statut: "termine", trimestre: "2025T3", total: 47, traitees: 47, pourcentage: 100 });
    expect(done.resolues + done.echecs).toBe(47);
    expect(done.echecs).toBe(6);
    expect(done.raisons).toEqual([
      { raison: expect.stringMatching(/^adresse introuvable/), nombre: 4 },
      { raison: REASONS.adresseCourte, nombre: 1 },
      { raison: REASONS.adresseVide, nombre: 1 },
    ]);
    expect(done.premiersEchecs[0]).toEqual({ ligne: 42, entree: "", raison: REASONS.adresseVide });
    expect(done.premiersEchecs[1]).toEqual({ ligne: 43, entree: "ab", raison: REASONS.adresseCourte });
    expect(done.resultats).toEqual({
      csv: `/api/eligibilite/lots/${created.id}/resultat?format=csv`,
      xlsx: `/api/eligibilite/lots/${created.id}/resultat?format=xlsx`,
    });

    const records = await csvRecords(server, created.id);
    expect(records).toHaveLength(47);
    expect(Object.keys(records[0] ?? {})).toEqual(["site", "rue", "cp", "ville", ...RESULT_COLUMNS]);
    const bySite = new Map(records.map((r) => [r.site, r]));
    // An open building: fibre, classes per technology, the network's offers (catalogue V2 of RIP61).
    expect(bySite.get("Agence 1")).toMatchObject({
      statut: "resolu",
      raison: "",
      adresse_id: "61001_0010_00001",
      methode: "adresse",
      immeuble_id: "IMB-OUVERT",
      reseau: "Orne THD (RIP de l'Orne)",
      fibre: "raccordable",
      meilleur_debit: "THD1G / THD1G",
      techno_FO: "THD1G / THD1G",
      techno_CU: "BHD8 / HD05",
      techno_4GF: "",
      offre_moins_chere: "Offre PRO (Orne THD)",
      prix_mensuel_ht: "45",
      offre_meilleur_debit_garanti: "Offre FTTO (Orne THD)",
      debit_garanti_mbps: "1000",
      gtr_heures: "4",
    });
    expect(Number(bySite.get("Agence 1")?.score)).toBeGreaterThan(0.6);
    // Two buildings at one address: the one with fibre is reported, and the count said.
    expect(bySite.get("Agence 4")).toMatchObject({
      immeuble_id: "IMB-DEMANDE",
      immeubles_a_l_adresse: "2",
      fibre: "raccordable sur demande",
    });
    expect(bySite.get("Agence 4")?.raccordement_complexe).not.toBe("");
    // No building at the address: the nearest one, 11 m away, whose fibre opens in 2099.
    expect(bySite.get("Agence 6")).toMatchObject({
      methode: "immeuble le plus proche de l'adresse",
      distance_m: "11",
      immeuble_id: "IMB-A-VENIR",
      fibre: "prévue",
      fibre_date: "2099-01-01",
      techno_FO: "",
    });
    // The postcode column picks Arçonnay's rue du Moulin: FttH planned for 2027.
    expect(bySite.get("Agence 7")).toMatchObject({
      adresse_id: "61002_0040_00004",
      immeuble_id: "IMB-PREVU",
      fibre: "prévue",
      fibre_date: "2027-06-30",
      techno_4GF: "THD30 / BHD8",
    });
    expect(bySite.get("Dépôt 1")?.statut).toBe("resolu");
    expect(bySite.get("Dépôt 1")?.remarque).toMatch(/^adresse ambiguë, autres réponses : 4 Rue du Moulin/);
    expect(bySite.get("Vide")).toMatchObject({ statut: "echec", raison: REASONS.adresseVide, immeuble_id: "" });
    expect(bySite.get("Absurde 1")?.raison).toMatch(/^adresse introuvable/);
    expect(bySite.get("Guillemets ; point-virgule")?.immeuble_id).toBe("IMB-OUVERT");

    // The same table as XLSX, with its « À propos » sheet.
    const xlsx = await server.get(`/api/eligibilite/lots/${created.id}/resultat?format=xlsx`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get("content-disposition")).toContain("sites.eligibilite.xlsx");
    const [results, about] = readXlsx(Buffer.from(await xlsx.arrayBuffer()));
    expect(results?.name).toBe("Résultats");
    expect(results?.rows).toHaveLength(48);
    expect(results?.rows[0]).toEqual(["site", "rue", "cp", "ville", ...RESULT_COLUMNS]);
    const agence1 = results?.rows.find((r) => r[0] === "Agence 1") ?? [];
    const col = (name: string) => 4 + RESULT_COLUMNS.indexOf(name as (typeof RESULT_COLUMNS)[number]);
    expect(agence1[col("immeuble_id")]).toBe("IMB-OUVERT");
    expect(agence1[col("prix_mensuel_ht")]).toBe(45);
    expect(about?.rows.flat().join(" ")).toContain("2025T3 (données simulées de démonstration)");
  });

  it("donne pour chaque site résolu ce que dit la recherche d'éligibilité à l'unité", async () => {
    const response = await upload(server, sitesCsv(), [
      ["adresse", "rue,ville"],
      ["postcode", "cp"],
      ["date", new Date().toISOString().slice(0, 10)],
    ]);
    const { id } = await body(response);
    await waitForEnd(server, id);
    const records = (await csvRecords(server, id)).filter((r) => r.statut === "resolu");
    expect(records.length).toBeGreaterThan(30);
    const checked = new Set<string>();
    for (const record of records) {
      if (checked.has(record.immeuble_id as string)) continue;
      checked.add(record.immeuble_id as string);
      const one = await body(await server.get(`/api/eligibilite?immeuble=${record.immeuble_id}`));
      const building = one.immeubles[0];
      const fibre = {
        raccordable: "raccordable",
        raccordable_sur_demande: "raccordable sur demande",
        prevu: "prévue",
        non_prevu: "non prévue",
      };
      expect(record.fibre, record.immeuble_id).toBe(fibre[building.fibre.etat as keyof typeof fibre]);
      expect(record.fibre_date).toBe(building.fibre.ouvertureCommerciale ?? building.fibre.datePrevue ?? "");
      expect(record.reseau).toBe(building.reseau?.nom ?? "");
      expect(record.meilleur_debit).toBe(
        building.meilleur ? `${building.meilleur.descendant} / ${building.meilleur.montant}` : "",
      );
      for (const t of building.technologies) {
        expect(record[`techno_${t.code}`], `${record.immeuble_id} ${t.code}`).toBe(
          t.disponible ? `${t.descendant} / ${t.montant}` : "",
        );
      }
      if (record.methode === "adresse") {
        const byAddress = await body(await server.get(`/api/eligibilite?id=${record.adresse_id}`));
        expect(byAddress.immeubles.map((i: { immeuble: { id: string } }) => i.immeuble.id)).toContain(
          record.immeuble_id,
        );
      }
    }
    expect(checked.size).toBeGreaterThanOrEqual(4);
  });

  it("continue de répondre pendant un lot de 20 000 sites (le traitement rend la main entre les blocs)", async () => {
    const [header = "", ...rows] = sitesCsv().trim().split("\r\n");
    const lines = [header, ...Array.from({ length: 20_000 }, (_, i) => rows[i % rows.length])].join("\n");
    const { id } = await body(
      await upload(server, lines, [
        ["adresse", "rue,ville"],
        ["postcode", "cp"],
      ]),
    );
    const latencies: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const started = performance.now();
      const status = await body(await server.get(`/api/eligibilite/lots/${id}`));
      latencies.push(performance.now() - started);
      if (status.statut === "termine") break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(latencies.length).toBeGreaterThan(3);
    expect(Math.max(...latencies)).toBeLessThan(1000);
  });

  it("lit des coordonnées (virgule décimale acceptée) et des identifiants d'adresse, avec leurs raisons", async () => {
    const positions = [
      "nom;latitude;longitude",
      "Ouvert;48,43;0,09",
      "Marseille;43.30;5.40",
      "Champ;48.52;0.15",
      "Texte;abc;0.1",
      "Vide;;",
    ].join("\n");
    const byPosition = await upload(server, positions, [
      ["lat", "latitude"],
      ["lon", "longitude"],
    ]);
    expect(byPosition.status).toBe(202);
    const positionJob = await waitForEnd(server, (await body(byPosition)).id);
    expect(positionJob).toMatchObject({ statut: "termine", resolues: 1, echecs: 4 });
    const positionRows = await csvRecords(server, positionJob.id);
    expect(positionRows.map((r) => [r.nom, r.immeuble_id, r.distance_m, r.raison])).toEqual([
      ["Ouvert", "IMB-OUVERT", "0", ""],
      ["Marseille", "", "", REASONS.horsRegion],
      ["Champ", "", "", REASONS.aucunImmeubleProche],
      ["Texte", "", "", REASONS.coordonneesInvalides],
      ["Vide", "", "", REASONS.coordonneesManquantes],
    ]);

    // B: an address without a building of its own gets the nearest one, as a geocoded address would.
    const ids = ["site,ban", "A,61001_0010_00001", "B,61001_0030_00007", "C,", "D,61001_9999_00001"].join("\n");
    const byId = await upload(server, ids, [["id", "ban"]]);
    const idJob = await waitForEnd(server, (await body(byId)).id);
    const idRows = await csvRecords(server, idJob.id);
    expect(
      idRows.map((r) => [r.site, r.methode, r.immeuble_id, r.distance_m, r.adresse_id, r.adresse_trouvee, r.raison]),
    ).toEqual([
      ["A", "identifiant d'adresse", "IMB-OUVERT", "", "61001_0010_00001", expect.any(String), ""],
      [
        "B",
        "immeuble le plus proche de l'adresse",
        "IMB-A-VENIR",
        "11",
        "61001_0030_00007",
        "7 Rue des Tilleuls 61000 Alençon",
        "",
      ],
      ["C", "", "", "", "", "", REASONS.identifiantVide],
      ["D", "", "", "", "", "", REASONS.identifiantInconnu],
    ]);
  });

  it("accepte un fichier Windows-1252 et rend de l'UTF-8", async () => {
    const latin1 = Buffer.from("nom;adresse\nSiège Alençon;1 avenue de la République Alençon\n", "latin1");
    const response = await upload(server, new Uint8Array(latin1), [["adresse", "adresse"]], "sièges.csv");
    expect(response.status).toBe(202);
    const job = await waitForEnd(server, (await body(response)).id);
    expect(job.encodage).toBe("windows-1252");
    const [row] = await csvRecords(server, job.id);
    expect(row).toMatchObject({ nom: "Siège Alençon", immeuble_id: "IMB-OUVERT" });
  });

  it("refuse clairement, sans créer de lot, un fichier vide, binaire, sans en-tête, une colonne inconnue ou un mauvais paramètre", async () => {
    const cases: [string | Uint8Array, [string, string][], number, string, RegExp][] = [
      ["", [], 400, "fichier", /vide/],
      ["site;rue\n", [], 400, "fichier", /aucune ligne de données/],
      [new Uint8Array([0x61, 0x3b, 0x62, 0x0a, 0x00, 0xff, 0x00, 0x12]), [], 400, "fichier", /binaire/],
      [new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]), [], 400, "fichier", /XLSX/],
      ["12 rue de la Paix;Caen\n3 place Foch;Alençon\n", [], 400, "fichier", /en-tête/],
      ["site;rue\nA;1 rue X\n", [["adresse", "adresse"]], 400, "adresse", /Colonne « adresse » absente/],
      ["site;rue\nA;1 rue X\n", [["lat", "rue"]], 400, "lon", /obligatoire/],
      ["site;rue\nA;1 rue X\n", [["date", "2026-02-30"]], 400, "date", /AAAA-MM-JJ/],
      ["site;rue\nA;1 rue X\n", [["separateur", "#"]], 400, "separateur", /separateur/],
    ];
    for (const [csv, fields, status, parametre, message] of cases) {
      const response = await upload(server, csv, fields);
      const answer = await body(response);
      expect(response.status, JSON.stringify(answer)).toBe(status);
      expect(answer.parametre).toBe(parametre);
      expect(answer.message).toMatch(message);
    }
    const json = await server.get("/api/eligibilite/lots", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(json.status).toBe(400);
    expect(
      await ctx.db
        .selectFrom("eligibilite_lot")
        .select("id")
        .where("nom_fichier", "=", "sites.csv")
        .where("total", "<", 3)
        .execute(),
    ).toEqual([]);
  });

  it("plafonne : plus de 100 000 lignes → 413, plus de 20 Mio annoncés → 413 avant lecture", async () => {
    const many = `adresse\n${"1 rue X\n".repeat(100_001)}`;
    const tooMany = await upload(server, many, []);
    expect(tooMany.status).toBe(413);
    expect((await body(tooMany)).message).toMatch(/100.000 sites/);
    const declared = await sendDeclaredBody(server.baseUrl, "/api/eligibilite/lots", {
      bytes: 21 * 1024 * 1024,
      headers: { "content-type": "multipart/form-data; boundary=xyz" },
    });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.text).code).toBe("FICHIER_TROP_GRAND");
  });

  it("annule un lot (DELETE) : ses données sont effacées, puis 404 ; un identifiant inconnu → 404", async () => {
    const response = await upload(server, sitesCsv(), [["adresse", "rue,ville"]]);
    const { id } = await body(response);
    const deleted = await new TestClient(server.baseUrl).request("DELETE", `/api/eligibilite/lots/${id}`);
    expect(deleted.status).toBe(204);
    expect((await server.get(`/api/eligibilite/lots/${id}`)).status).toBe(404);
    expect((await server.get(`/api/eligibilite/lots/${id}/resultat`)).status).toBe(404);
    expect(await ctx.db.selectFrom("eligibilite_lot_bloc").select("bloc").where("lot_id", "=", id).execute()).toEqual(
      [],
    );
    const unknown = await server.get("/api/eligibilite/lots/inconnu-0123456789abcdef");
    expect(unknown.status).toBe(404);
    expect((await body(unknown)).code).toBe("LOT_INTROUVABLE");
    expect((await server.get("/api/eligibilite/lots/x")).status).toBe(400);
  });
});

describeEachDatabase("Éligibilité multi-sites : dépôts limités par heure", (ctx) => {
  let server: TestServer;
  beforeAll(async () => {
    await insertBatchFixture(ctx.db);
    server = await startTestServer(ctx.opened, {}, { TERRITOIRE_LOTS_IP: "2", TERRITOIRE_LOTS_CLE: "4" });
  });
  afterAll(() => server?.close());

  it("refuse le troisième dépôt de l'heure d'une même adresse IP (429)", async () => {
    const csv = "site;adresse\nA;1 avenue de la République Alençon\n";
    expect((await upload(server, csv, [["adresse", "adresse"]])).status).toBe(202);
    expect((await upload(server, csv, [["adresse", "adresse"]])).status).toBe(202);
    const third = await upload(server, csv, [["adresse", "adresse"]]);
    expect(third.status).toBe(429);
    expect((await body(third)).message).toMatch(/Trop de requêtes/);
    expect(third.headers.get("retry-after")).not.toBeNull();
  });

  it("compte à part, avec sa propre limite, une clé d'API de portée eligibilite:lire", async () => {
    const owner = await insertUser(ctx.db, {
      email: "entreprise@region.test",
      nom: "Entreprise",
      motDePasseHash: null,
    });
    const { key } = await createApiKey(
      ctx.db,
      { id: owner.id, email: owner.email, roles: [] },
      { nom: "lots", portees: ["eligibilite:lire"] },
      "",
    );
    const csv = "site;adresse\nA;1 avenue de la République Alençon\n";
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await upload(server, csv, [["adresse", "adresse"]], "sites.csv", { "x-api-key": key })).status);
    }
    expect(statuses).toEqual([202, 202, 202, 202, 429]);
  });
});
