import { afterAll, beforeAll, expect, it } from "vitest";
import { openDatabase } from "../../../shared/db/database.ts";
import { body, TestClient } from "../../../shared/testing/http-client.ts";
import { describeEachDatabase } from "../../../shared/testing/test-databases.ts";
import { startTestServer, type TestServer } from "../../../shared/testing/test-server.ts";
import { importBan } from "../../addresses/import-ban/import-ban.service.ts";
import { writeBanFile } from "../../addresses/test-fixtures.ts";
import { fixtureVersions, insertCatalogueFixture, offer } from "../service-catalogues/catalogue.test-fixture.ts";
import { bumpGeneration, insertVersion } from "../service-catalogues/catalogue-repository.ts";
import { type CatalogueVersion, RAISONS } from "../service-catalogues/catalogue-snapshot.ts";
import { eligibilityStore } from "./eligibility-store.ts";
import {
  ADDRESS_SHARED,
  ADDRESS_WITHOUT_BUILDING,
  FIXTURE_ADDRESSES,
  fixtureBanLine,
  insertEligibilityFixture,
} from "./lookup-eligibility.test-fixture.ts";

describeEachDatabase("API d'éligibilité (GET /api/eligibilite)", (ctx) => {
  let server: TestServer;

  beforeAll(async () => {
    await insertEligibilityFixture(ctx.db);
    // RIP61: V1 2024-01-01 → 2025-01-01, V2 from 2025-01-01; RIP14's dedicated fibre also covers 61001.
    await insertCatalogueFixture(ctx.db);
    // The address index is built at server start from the active address lot.
    const report = await importBan(ctx.db, [writeBanFile(FIXTURE_ADDRESSES.map(fixtureBanLine))]);
    expect(report.rejets).toBe(0);
    server = await startTestServer(ctx.opened, {}, { TERRITOIRE_LIMITE_IP: "100000" });
    // Lookups by id then read the in-memory index (eligibility-index.test.ts checks it against SQL).
    await eligibilityStore(ctx.db).whenIndexed();
    expect(eligibilityStore(ctx.db).indexStatus()).toMatchObject({ quarter: "2025T3", ready: true });
  });
  afterAll(() => server?.close());

  const get = async (query: string) => {
    const response = await new TestClient(server.baseUrl).request("GET", `/api/eligibilite?${query}`);
    return { status: response.status, body: await body(response) };
  };
  const one = async (query: string) => {
    const { status, body: answer } = await get(query);
    expect(status, query).toBe(200);
    expect(answer.immeubles).toHaveLength(1);
    return { answer, immeuble: answer.immeubles[0] };
  };
  // [code, disponible, descendant, montant, operators, saturated operators]
  const technologies = (immeuble: { technologies: Record<string, unknown>[] }) =>
    immeuble.technologies.map((t) => [
      t.code,
      t.disponible,
      t.descendant,
      t.montant,
      (t.operateurs as { code: string }[]).map((o) => o.code),
      (t.operateursSatures as { code: string }[]).map((o) => o.code),
    ]);

  it("dit l'état de l'index en mémoire (GET /api/eligibilite/index)", async () => {
    const response = await new TestClient(server.baseUrl).request("GET", "/api/eligibilite/index");
    expect(response.status).toBe(200);
    const index = await body(response);
    const buildings = await ctx.db
      .selectFrom("thd_immeuble")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("trimestre", "=", "2025T3")
      .executeTakeFirstOrThrow();
    expect(index).toMatchObject({ trimestre: "2025T3", pret: true, immeubles: Number(buildings.n), erreur: null });
    expect(index.octets).toBeGreaterThan(0);
    // Then, in the background, the answer parts of every indexed building for today.
    let parts = index.parties;
    for (let i = 0; i < 100 && !parts.pretes; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      parts = (await body(await new TestClient(server.baseUrl).request("GET", "/api/eligibilite/index"))).parties;
    }
    expect(parts).toMatchObject({ pretes: true, immeubles: Number(buildings.n), erreur: null });
    expect(parts.reponsesConstruites).toBeGreaterThan(0);
    expect(parts.reponsesConstruites).toBeLessThanOrEqual(Number(buildings.n));
  });

  it("donne la même réponse d'un immeuble lu par son identifiant puis par son adresse (parties partagées)", async () => {
    // A date no other test asks: the first answer is built in full, the second from the parts it left.
    const byBuilding = await get("immeuble=IMB-OUVERT&date=2031-02-03");
    const byAddress = await get("id=61001_0010_00001&date=2031-02-03");
    expect(byAddress.body.immeubles).toEqual(byBuilding.body.immeubles);
    expect(byAddress.body.immeubles[0].immeuble.id).toBe("IMB-OUVERT");
    expect(byAddress.body.immeubles[0].offres.offres.length).toBeGreaterThan(0);
  });

  it("ouvre la fibre d'un immeuble déployé, au dernier trimestre publié qui a des immeubles (pas le brouillon)", async () => {
    const { answer, immeuble } = await one("id=61001_0010_00001");
    expect(answer.trimestre).toEqual({ code: "2025T3", simule: true });
    expect(answer.simule).toBe(true);
    expect(answer.distanceM).toBeNull();
    expect(answer.dateReference).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(immeuble.immeuble).toEqual({
      id: "IMB-OUVERT",
      adresseId: "61001_0010_00001",
      numero: "1",
      rep: null,
      nomVoie: "Rue de l'Église",
      codeInsee: "61001",
      lon: 0.09,
      lat: 48.43,
      type: "immeuble",
      nbLocaux: 12,
    });
    expect(immeuble.reseau).toEqual({ code: "RIP61", nom: "Orne THD (RIP de l'Orne)" });
    expect(immeuble.operateurInfrastructure).toEqual({ code: "ORNF", nom: "Orne THD" });
    expect(immeuble.fibre).toEqual({
      etat: "raccordable",
      disponible: true,
      ouvertureCommerciale: null,
      datePrevue: null,
    });
    expect(technologies(immeuble)).toEqual([
      ["FO", true, "THD1G", "THD1G", ["FRTE", "SFR0"], []],
      ["CU", true, "BHD8", "HD05", ["FRTE"], []],
    ]);
    expect(immeuble.technologies[0].libelle).toBe("Fibre optique (FttH)");
    expect(immeuble.technologies[0].operateurs[0]).toEqual({ code: "FRTE", nom: "Orange" });
    expect(immeuble.meilleur).toEqual({ descendant: "THD1G", montant: "THD1G", technologies: ["FO"] });
    // The latest published closure up to the quarter (2025T2), not the draft's.
    expect(immeuble.fermetureCuivre).toEqual({
      trimestre: "2025T2",
      lot: "Lot 3",
      fermetureCommerciale: "2027-01-31",
      fermetureTechnique: "2029-01-31",
      message: null,
    });
  });

  it("annonce l'ouverture commerciale à venir d'un immeuble déployé et ne vend pas encore la fibre", async () => {
    const { immeuble } = await one("immeuble=IMB-A-VENIR");
    expect(immeuble.fibre).toEqual({
      etat: "prevu",
      disponible: false,
      ouvertureCommerciale: "2099-01-01",
      datePrevue: null,
    });
    expect(technologies(immeuble)).toEqual([["CU", true, "HD3", "HD05", ["FRTE"], []]]);
    expect(immeuble.meilleur).toEqual({ descendant: "HD3", montant: "HD05", technologies: ["CU"] });
  });

  it("donne la date prévue d'un immeuble ciblé et sépare l'opérateur saturé", async () => {
    const { immeuble } = await one("immeuble=IMB-PREVU");
    expect(immeuble.fibre).toMatchObject({ etat: "prevu", disponible: false, datePrevue: "2027-06-30" });
    expect(technologies(immeuble)).toEqual([["4GF", true, "THD30", "BHD8", ["BOUY"], ["FREE"]]]);
  });

  it("rend tous les immeubles d'une adresse : raccordable sur demande, et cuivre seul", async () => {
    const { status, body: answer } = await get(`id=${ADDRESS_SHARED}`);
    expect(status).toBe(200);
    expect(answer.immeubles.map((i: { immeuble: { id: string } }) => i.immeuble.id)).toEqual([
      "IMB-CUIVRE",
      "IMB-DEMANDE",
    ]);
    const [copper, onRequest] = answer.immeubles;
    expect(copper.fibre.etat).toBe("non_prevu");
    expect(copper.reseau).toBeNull();
    expect(copper.meilleur).toEqual({ descendant: "BHD8", montant: "HD05", technologies: ["CU"] });
    expect(onRequest.fibre).toMatchObject({ etat: "raccordable_sur_demande", disponible: true });
    expect(onRequest.immeuble.rep).toBe("bis");
    expect(onRequest.meilleur.technologies).toEqual(["FO"]);
  });

  it("garde une technologie dont la seule offre est saturée, sans la compter au meilleur débit", async () => {
    const { immeuble } = await one("immeuble=IMB-SATURE");
    expect(immeuble.fibre).toMatchObject({ etat: "prevu", datePrevue: "2026-12-31" });
    expect(technologies(immeuble)).toEqual([
      ["4GF", false, null, null, [], ["FREE"]],
      ["SAT", true, "THD30", "HD3", ["NUAT"], []],
    ]);
    expect(immeuble.meilleur).toEqual({ descendant: "THD30", montant: "HD3", technologies: ["SAT"] });
    expect(immeuble.fermetureCuivre).toBeNull();
  });

  it("trouve l'immeuble le plus proche d'un point, avec sa distance", async () => {
    const { answer, immeuble } = await one("lat=48.4309&lon=0.09");
    expect(immeuble.immeuble.id).toBe("IMB-A-VENIR");
    expect(answer.distanceM).toBe(11);
  });

  it("répond 404 en français sans immeuble à 200 m, hors de la région, ou inconnu du trimestre publié", async () => {
    for (const [query, code] of [
      ["lat=48.4330&lon=0.09", "AUCUN_IMMEUBLE_PROCHE"], // 222 m from IMB-A-VENIR
      ["lat=43.2965&lon=5.3698", "AUCUN_IMMEUBLE_PROCHE"], // Marseille
      ["immeuble=IMB-BROUILLON", "IMMEUBLE_INTROUVABLE"], // only in the draft
      ["id=61001_9999_00001", "IMMEUBLE_INTROUVABLE"],
    ]) {
      const { status, body: error } = await get(query as string);
      expect(status, query).toBe(404);
      expect(error.code, query).toBe(code);
      expect(error.message, query).toMatch(/Aucun immeuble|inconnu/);
    }
  });

  it("refuse en 400 autre chose qu'un critère unique, ou des coordonnées hors bornes", async () => {
    for (const [query, code, parametre] of [
      ["", "CRITERE_UNIQUE", "adresse, id, immeuble, lat, lon"],
      ["id=a&immeuble=b", "CRITERE_UNIQUE", "adresse, id, immeuble, lat, lon"],
      ["immeuble=IMB-OUVERT&lat=48.43&lon=0.09", "CRITERE_UNIQUE", "adresse, id, immeuble, lat, lon"],
      ["lat=48.43", "PARAMETRE_INVALIDE", "lon"],
      ["lon=0.09", "PARAMETRE_INVALIDE", "lat"],
      ["lat=95&lon=0", "PARAMETRE_INVALIDE", "lat"],
      ["lat=48&lon=-200", "PARAMETRE_INVALIDE", "lon"],
      ["lat=nord&lon=0", "PARAMETRE_INVALIDE", "lat"],
      ["id=", "PARAMETRE_INVALIDE", "id"],
      ["adresse=", "PARAMETRE_INVALIDE", "adresse"],
      ["adresse=%20%20", "PARAMETRE_INVALIDE", "adresse"],
      [`adresse=${"a".repeat(201)}`, "PARAMETRE_INVALIDE", "adresse"],
      ["adresse=1%20rue&id=61001_0010_00001", "CRITERE_UNIQUE", "adresse, id, immeuble, lat, lon"],
    ]) {
      const { status, body: error } = await get(query as string);
      expect(status, query).toBe(400);
      expect([error.code, error.parametre], query).toEqual([code, parametre]);
      expect(error.message, query).toMatch(/Paramètre|critère/);
    }
  });

  it("géocode une adresse tapée comme une personne la tape : minuscules, sans accents, « av », sans code postal", async () => {
    const { answer, immeuble } = await one(`adresse=${encodeURIComponent("1 av de la republique alencon")}`);
    expect(immeuble.immeuble.id).toBe("IMB-OUVERT");
    expect(immeuble.fibre.disponible).toBe(true);
    expect(immeuble.reseau.code).toBe("RIP61");
    expect(answer.distanceM).toBeNull();
    expect(answer.geocodage).toMatchObject({
      requete: "1 av de la republique alencon",
      label: "1 Avenue de la République 61000 Alençon",
      id: "61001_0010_00001",
      alternatives: [],
    });
    expect(answer.geocodage.score).toBeGreaterThan(0.8);
  });

  it("rend tous les immeubles de l'adresse géocodée (« bd »)", async () => {
    const { status, body: answer } = await get(`adresse=${encodeURIComponent("2 bd lecointre")}`);
    expect(status).toBe(200);
    expect(answer.geocodage.id).toBe(ADDRESS_SHARED);
    expect(answer.immeubles.map((i: { immeuble: { id: string } }) => i.immeuble.id)).toEqual([
      "IMB-CUIVRE",
      "IMB-DEMANDE",
    ]);
  });

  it("prend l'immeuble le plus proche quand l'adresse géocodée n'en a pas, et dit à quelle distance", async () => {
    const { answer, immeuble } = await one(`adresse=${encodeURIComponent("7 rue des tilleuls")}`);
    expect(answer.geocodage.id).toBe(ADDRESS_WITHOUT_BUILDING);
    expect(immeuble.immeuble.id).toBe("IMB-A-VENIR");
    expect(answer.distanceM).toBe(11);
  });

  it("fait de même pour un identifiant d'adresse sans immeuble, en JSON comme en CSV", async () => {
    const { answer, immeuble } = await one(`id=${ADDRESS_WITHOUT_BUILDING}`);
    expect(answer.geocodage).toBeNull();
    expect(immeuble.immeuble.id).toBe("IMB-A-VENIR");
    expect(answer.distanceM).toBe(11);
    const csv = await new TestClient(server.baseUrl).request(
      "GET",
      `/api/eligibilite?id=${ADDRESS_WITHOUT_BUILDING}&format=csv`,
    );
    expect(csv.status).toBe(200);
    expect(await csv.text()).toContain("IMB-A-VENIR");
  });

  it("liste les autres adresses possibles quand la recherche est ambiguë", async () => {
    const { status, body: answer } = await get(`adresse=${encodeURIComponent("4 rue du moulin")}`);
    expect(status).toBe(200);
    const ids = [answer.geocodage.id, ...answer.geocodage.alternatives.map((a: { id: string }) => a.id)];
    expect(ids).toEqual(expect.arrayContaining(["61001_0040_00004", "61002_0040_00004"]));
    expect(answer.geocodage.alternatives[0].label).toMatch(/^4 Rue du Moulin /);
  });

  it("répond 404 ADRESSE_INTROUVABLE en français pour une adresse inconnue", async () => {
    const { status, body: error } = await get(`adresse=${encodeURIComponent("98 impasse des xylophages quimper")}`);
    expect(status).toBe(404);
    expect(error.code).toBe("ADRESSE_INTROUVABLE");
    expect(error.message).toMatch(/Aucune adresse trouvée/);
  });
  // [network, offer code, family, monthly price, sur devis]
  const offers = (immeuble: { offres: { offres: Record<string, unknown>[] } }) =>
    immeuble.offres.offres.map((o) => [o.reseau, o.code, o.famille, o.mensuelHt, o.surDevis]);

  it("rend les offres entreprises de chaque réseau côte à côte pour l'immeuble ouvert, par famille puis prix", async () => {
    const { answer, immeuble } = await one("id=61001_0010_00001&date=2025-06-01");
    expect(answer.dateReference).toBe("2025-06-01");
    expect(offers(immeuble)).toEqual([
      ["RIP61", "PRO", "ftth_pro", 45, false],
      ["RIP61", "PM", "ftte_passive", 90, false],
      ["RIP61", "ACTIVE", "ftte_active", 190, false],
      ["RIP61", "FTTO", "ftto", 380, false],
      // RIP14 sells its dedicated fibre in this commune too, outside its network: on study.
      ["RIP14", "FTTO14", "ftto", null, true],
      ["RIP61", "FTTO-10G", "ftto", null, true],
    ]);
    const [pro] = immeuble.offres.offres;
    expect(pro).toMatchObject({
      reseauNom: "Orne THD",
      version: "V2",
      valideDu: "2025-01-01",
      valideAu: null,
      exemple: false,
      debitDescendantMbps: 1000,
      engagementMois: 36,
      fraisAccesHt: 450,
    });
    const onStudy = immeuble.offres.offres.find((o: { code: string }) => o.code === "FTTO-10G");
    expect(onStudy).toMatchObject({ surDevis: true, mensuelHt: null, fraisAccesHt: null, raison: "Selon le site" });
    const outside = immeuble.offres.offres.find((o: { code: string }) => o.code === "FTTO14");
    expect(outside.raison).toBe(RAISONS.horsReseau("Fibre Calvados"));
    expect(immeuble.offres.raccordementComplexe).toBeNull();
  });

  it("applique la version de catalogue valide à la date demandée, bornes comprises", async () => {
    const before = (await one("id=61001_0010_00001&date=2024-12-31")).immeuble;
    expect(offers(before)).toEqual([
      ["RIP61", "PRO", "ftth_pro", 50, false],
      ["RIP61", "FTTO", "ftto", 400, false],
    ]);
    expect(before.offres.offres.every((o: { version: string }) => o.version === "V1")).toBe(true);
    const from = (await one("id=61001_0010_00001&date=2025-01-01")).immeuble;
    expect(from.offres.offres.map((o: { version: string }) => o.version)).toContain("V2");
    expect(offers(from)[0]).toEqual(["RIP61", "PRO", "ftth_pro", 45, false]);
    // Before any catalogue: no offer, and no complex connection either.
    const { immeuble: early } = await one("id=61001_0010_00001&date=2023-06-01");
    expect(early.offres).toEqual({ offres: [], raccordementComplexe: null });
  });

  it("montre « à venir » la fibre mutualisée là où elle est seulement prévue : date prévue, fibre dédiée sur devis", async () => {
    const { immeuble } = await one("immeuble=IMB-PREVU&date=2025-06-01");
    expect(immeuble.fibre).toMatchObject({ etat: "prevu", disponible: false, datePrevue: "2027-06-30" });
    type Served = { reseau: string; code: string; famille: string; surDevis: boolean; aVenir: boolean; raison: string };
    const served = immeuble.offres.offres as Served[];
    // The network's FttH pro, with its price, not orderable until the fibre opens.
    const shared = served.filter((o) => o.famille !== "ftto");
    expect(shared.map((o) => [o.reseau, o.code, o.aVenir, o.raison])).toEqual(
      ["PRO", "PM", "ACTIVE"].map((code) => ["RIP61", code, true, RAISONS.aVenir]),
    );
    expect(offers(immeuble)[0]).toEqual(["RIP61", "PRO", "ftth_pro", 45, false]);
    const ftto = served.filter((o) => o.reseau === "RIP61" && o.famille === "ftto");
    expect(ftto.map((o) => o.code)).toEqual(["FTTO", "FTTO-10G"]);
    expect(ftto.every((o) => o.surDevis && !o.aVenir)).toBe(true);
    expect(ftto[0]?.raison).toBe(RAISONS.nonDeploye);
    // Where it is open, nothing is « à venir ».
    const { immeuble: open } = await one("id=61001_0010_00001&date=2025-06-01");
    expect((open.offres.offres as Served[]).some((o) => o.aVenir)).toBe(false);
  });

  it("signale le raccordement complexe d'un immeuble raccordable sur demande, avec la raison", async () => {
    const { body: answer } = await get(`id=${ADDRESS_SHARED}&date=2025-06-01`);
    const [copper, onRequest] = answer.immeubles;
    expect(onRequest.offres.raccordementComplexe).toBe(RAISONS.surDemande);
    expect(offers(onRequest)[0]).toEqual(["RIP61", "PRO", "ftth_pro", 45, false]);
    // The copper-only building has no network: no shared fibre offer, and a reason.
    expect(copper.offres.offres.filter((o: { famille: string }) => o.famille !== "ftto")).toEqual([]);
    expect(copper.offres.raccordementComplexe).not.toBeNull();
  });

  it("donne les offres à une adresse tapée en texte libre, avec son géocodage", async () => {
    const { answer, immeuble } = await one(
      `adresse=${encodeURIComponent("1 av de la republique alencon")}&date=2025-06-01`,
    );
    expect(answer.geocodage.id).toBe("61001_0010_00001");
    expect(offers(immeuble)[0]).toEqual(["RIP61", "PRO", "ftth_pro", 45, false]);
  });

  it("télécharge le tableau des offres en CSV (une ligne par immeuble et par offre)", async () => {
    const response = await new TestClient(server.baseUrl).request(
      "GET",
      `/api/eligibilite?id=${ADDRESS_SHARED}&date=2025-06-01&format=csv`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(response.headers.get("content-disposition")).toContain(`offres-${ADDRESS_SHARED}-2025-06-01.csv`);
    const lines = (await response.text())
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    const header = (lines[0] as string).split(";");
    expect(header.slice(0, 8)).toEqual([
      "Immeuble",
      "Adresse",
      "Code INSEE",
      "Réseau",
      "Code réseau",
      "Offre",
      "Code offre",
      "Famille",
    ]);
    const column = (name: string) => header.indexOf(name);
    const rows = lines.slice(1).map((line) => line.split(";"));
    const pro = rows.find((r) => r[0] === "IMB-DEMANDE" && r[column("Code offre")] === "PRO") as string[];
    expect(pro[column("Mensuel HT (€)")]).toBe("45");
    expect(pro[column("Sur devis")]).toBe("non");
    expect(pro[column("À venir")]).toBe("non");
    expect(pro[column("Raccordement complexe")]).toBe(RAISONS.surDemande);
    const onStudy = rows.find((r) => r[column("Code offre")] === "FTTO-10G") as string[];
    expect([onStudy[column("Mensuel HT (€)")], onStudy[column("Sur devis")]]).toEqual(["", "oui"]);
    // Both buildings of the address have lines.
    expect(new Set(rows.map((r) => r[0]))).toEqual(new Set(["IMB-CUIVRE", "IMB-DEMANDE"]));
  });

  it("refuse en 400 une date qui n'existe pas, mal écrite ou hors des bornes, en nommant « date »", async () => {
    for (const date of ["2025-02-30", "2025-13-01", "demain", "2025-6-1", "1850-01-01", "2025-06-01T10:00"]) {
      const { status, body: error } = await get(`id=61001_0010_00001&date=${encodeURIComponent(date)}`);
      expect(status, date).toBe(400);
      expect([error.code, error.parametre], date).toEqual(["PARAMETRE_INVALIDE", "date"]);
      expect(error.message, date).toMatch(/^Paramètre « date » invalide/);
    }
  });

  it("redonne une réponse à l'identique, et voit un nouveau catalogue", async () => {
    const first = await get("immeuble=IMB-OUVERT&date=2026-02-01");
    const again = await get("immeuble=IMB-OUVERT&date=2026-02-01");
    expect(again.body).toEqual(first.body);
    // A new RIP61 version from 2026-01-01, written as the catalogue service writes (generation bumped).
    const v2 = fixtureVersions().find((v) => v.reseau === "RIP61" && v.version === "V2") as CatalogueVersion;
    await ctx.db.transaction().execute(async (trx) => {
      await bumpGeneration(trx);
      await trx
        .updateTable("catalogue_version")
        .set({ valide_au: "2026-01-01" })
        .where("reseau", "=", "RIP61")
        .where("version", "=", "V2")
        .execute();
      await insertVersion(trx, {
        ...v2,
        version: "V3",
        valideDu: "2026-01-01",
        valideAu: null,
        offres: [offer("PRO", "ftth_pro", 39)],
      });
    });
    // Other processes' writes are seen within the catalogue service's check interval (1 s).
    await expect
      .poll(async () => offers((await get("immeuble=IMB-OUVERT&date=2026-02-01")).body.immeubles[0]), {
        timeout: 5_000,
      })
      .toContainEqual(["RIP61", "PRO", "ftth_pro", 39, false]);
  });

  it("redonne exactement les mêmes octets qu'à la première lecture, de parties gardées (plusieurs immeubles, offres)", async () => {
    // A date asked nowhere else: the first answer of each is built in full, the second from kept parts.
    for (const query of [
      `id=${ADDRESS_SHARED}&date=2026-03-15`,
      "immeuble=IMB-OUVERT&date=2026-03-15",
      "lat=48.4309&lon=0.09&date=2026-03-15",
      `adresse=${encodeURIComponent("1 av de la republique alencon")}&date=2026-03-15`,
      `adresse=${encodeURIComponent("1 av de la republique alencon")}&date=2026-03-16`,
    ]) {
      const raw = async () => {
        const response = await new TestClient(server.baseUrl).request("GET", `/api/eligibilite?${query}`);
        expect(response.status, query).toBe(200);
        return Buffer.from(await response.arrayBuffer());
      };
      const cold = await raw();
      const again = await raw();
      expect(again.equals(cold), query).toBe(true);
      expect(JSON.parse(cold.toString("utf8")).immeubles.length, query).toBeGreaterThan(0);
    }
  });

  it("renouvelle les parties gardées à toute publication, même d'un trimestre plus ancien (fermeture du cuivre)", async () => {
    // IMB-SATURE's commune (61002) has no copper closure in any published quarter up to 2025T3.
    expect((await one("immeuble=IMB-SATURE")).immeuble.fermetureCuivre).toBeNull();
    // Asked twice: the second answer comes from kept parts.
    expect((await one("immeuble=IMB-SATURE")).immeuble.fermetureCuivre).toBeNull();
    await ctx.db
      .insertInto("thd_trimestre")
      .values({
        code: "2025T1",
        statut: "brouillon",
        cree_le: "2025-01-01",
        publie_le: null,
        publie_par: null,
        simule: 1,
      })
      .execute();
    await ctx.db
      .insertInto("thd_fermeture_cuivre")
      .values({
        trimestre: "2025T1",
        code_insee: "61002",
        lot: "Lot 1",
        fermeture_commerciale: "2026-06-30",
        fermeture_technique: null,
        message_usager: null,
      })
      .execute();
    await ctx.db
      .updateTable("thd_trimestre")
      .set({ statut: "publie", publie_le: new Date().toISOString() })
      .where("code", "=", "2025T1")
      .execute();
    // Written through the server's own connection: seen at the next lookup.
    const after = await get("immeuble=IMB-SATURE");
    expect(after.body.trimestre.code).toBe("2025T3");
    expect(after.body.immeubles[0].fermetureCuivre).toMatchObject({ trimestre: "2025T1", lot: "Lot 1" });
  });

  // Last: it publishes the draft quarter, which changes every answer after it.
  it("voit un trimestre publié dès la requête suivante", async () => {
    const before = await one("id=61001_0010_00001");
    expect(before.answer.trimestre.code).toBe("2025T3");
    expect(before.immeuble.immeuble.nbLocaux).toBe(12);
    await ctx.db
      .updateTable("thd_trimestre")
      .set({ statut: "publie", publie_le: new Date().toISOString() })
      .where("code", "=", "2025T4")
      .execute();
    const after = await one("id=61001_0010_00001");
    expect(after.answer.trimestre.code).toBe("2025T4");
    expect(after.immeuble.immeuble.nbLocaux).toBe(99);
    expect((await get("immeuble=IMB-BROUILLON")).status).toBe(200);
  });
  it("voit aussi un trimestre publié par un autre processus, en une seconde au plus (SQLite)", async () => {
    const other = openDatabase(ctx.config);
    try {
      await other.db
        .insertInto("thd_trimestre")
        .values({
          code: "2026T2",
          statut: "brouillon",
          cree_le: "2026-04-01",
          publie_le: null,
          publie_par: null,
          simule: 0,
        })
        .execute();
      const building = await other.db
        .selectFrom("thd_immeuble")
        .selectAll()
        .where("trimestre", "=", "2025T4")
        .where("id", "=", "IMB-OUVERT")
        .executeTakeFirstOrThrow();
      await other.db
        .insertInto("thd_immeuble")
        .values({ ...building, trimestre: "2026T2", nb_locaux: 7 })
        .execute();
      await other.db
        .updateTable("thd_trimestre")
        .set({ statut: "publie", publie_le: new Date().toISOString() })
        .where("code", "=", "2026T2")
        .execute();
      const started = Date.now();
      await expect
        .poll(async () => (await one("id=61001_0010_00001")).answer.trimestre.code, { interval: 100, timeout: 3_000 })
        .toBe("2026T2");
      expect(Date.now() - started).toBeLessThan(1_500);
    } finally {
      await other.close();
    }
  });
});
