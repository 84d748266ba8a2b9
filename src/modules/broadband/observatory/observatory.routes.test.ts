import http from "node:http";
import zlib from "node:zlib";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, expect, it } from "vitest";
import { readXlsx } from "../../../shared/export/xlsx.ts";
import { body, TestClient } from "../../../shared/testing/http-client.ts";
import { describeEachDatabase } from "../../../shared/testing/test-databases.ts";
import { startTestServer, type TestServer } from "../../../shared/testing/test-server.ts";
import { DEMO_ACCOUNTS, ensureDemoAccounts } from "../../accounts/demo-accounts/demo-accounts.ts";
import { EPCI_A, EPCI_B, insertObservatoryFixture } from "./observatory.test-fixture.ts";

const NOTICE = /Chiffres simulés à partir d'agrégats réels/;

describeEachDatabase("API de l'observatoire du THD", (ctx) => {
  let server: TestServer;
  let agent: TestClient;
  const anonymous = () => new TestClient(server.baseUrl);

  beforeAll(async () => {
    await insertObservatoryFixture(ctx.db);
    await ensureDemoAccounts(ctx.db);
    server = await startTestServer(ctx.opened, {}, { TERRITOIRE_LIMITE_IP: "100000" });
    agent = new TestClient(server.baseUrl);
    const account = DEMO_ACCOUNTS.find((a) => a.roles[0]?.role === "agent");
    expect((await agent.signIn(account?.email ?? "", account?.motDePasse ?? "")).status).toBe(200);
  });
  afterAll(() => server?.close());

  const get = async (path: string, client: TestClient = anonymous()) => {
    const response = await client.request("GET", path);
    return { status: response.status, headers: response.headers, body: await body(response) };
  };
  const download = async (path: string) => {
    const response = await server.get(path);
    expect(response.status, path).toBe(200);
    return response;
  };
  /** The bytes as sent (fetch would decode them), with the given request headers. */
  const raw = (path: string, headers: Record<string, string>) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; bytes: Buffer }>((resolve, reject) => {
      http
        .get(`${server.baseUrl}${path}`, { headers }, (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () =>
            resolve({ status: response.statusCode ?? 0, headers: response.headers, bytes: Buffer.concat(chunks) }),
          );
        })
        .on("error", reject);
    });
  const csv = async (path: string) => {
    const bytes = Buffer.from(await (await download(path)).arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString("utf8");
    return parse(text, { bom: true, delimiter: ";", columns: true }) as Record<string, string>[];
  };

  it("donne, par défaut au dernier trimestre publié, les locaux par classe de débit dans les trois variantes", async () => {
    const { status, body: o, headers } = await get(`/api/observatoire/epci/${EPCI_A}`);
    expect(status).toBe(200);
    expect(headers.get("cache-control")).toBe("public, max-age=300");
    expect(o.territoire).toEqual({ niveau: "epci", code: EPCI_A, nom: "CC Alpha" });
    expect(o.trimestre).toEqual({ code: "2018T2", statut: "publie", fin: "2018-06-30", simule: true });
    // The public never sees the draft.
    expect(o.trimestres.map((t: { code: string }) => t.code)).toEqual(["2018T1", "2018T2"]);
    expect(o.communes).toEqual({ total: 5, avecDonnees: 4 });
    expect(o.locaux).toBe(2000);
    const classes = (variante: string) =>
      o.variantes[variante].classes.map((c: { classe: string; locaux: number; part: number }) => [
        c.classe,
        c.locaux,
        c.part,
      ]);
    expect(classes("filaire")).toEqual([
      ["inel", 40, 2],
      ["0-3", 310, 15.5],
      ["3-8", 290, 14.5],
      ["8-30", 360, 18],
      ["30-100", 400, 20],
      ["100+", 600, 30],
    ]);
    expect(classes("terrestre")).toEqual([
      ["inel", 30, 1.5],
      ["0-3", 270, 13.5],
      ["3-8", 240, 12],
      ["8-30", 360, 18],
      ["30-100", 450, 22.5],
      ["100+", 650, 32.5],
    ]);
    expect(classes("toutes")).toEqual([
      ["inel", 0, 0],
      ["0-3", 0, 0],
      ["3-8", 0, 0],
      ["8-30", 700, 35],
      ["30-100", 600, 30],
      ["100+", 700, 35],
    ]);
    expect([o.variantes.filaire.thd, o.variantes.terrestre.thd, o.variantes.toutes.thd]).toEqual([
      { locaux: 1000, part: 50 },
      { locaux: 1100, part: 55 },
      { locaux: 1300, part: 65 },
    ]);
    expect(o.ftth).toEqual({
      locauxCouverts: 2000,
      raccordables: 1000,
      part: 50,
      raccordablesDemande: 500,
      // 61003 does not give the figure: its premises are out of the base (1,700).
      partDemande: 29.41,
    });
    expect(
      o.technologies.map((t: { technologie: string; locaux: number; part: number }) => [
        t.technologie,
        t.locaux,
        t.part,
      ]),
    ).toEqual([
      ["cu", 1900, 95],
      ["coax", 0, 0],
      ["ftth", 1000, 50],
      ["4gf", 100, 5],
      ["thdr", 0, 0],
      ["sat", 2000, 100],
    ]);
    expect(o.operateursInfrastructure).toEqual([
      { operateur: "OIA", nom: "Opérateur A", raccordables: 700, part: 70 },
      { operateur: "OIB", nom: "Opérateur B", raccordables: 300, part: 30 },
    ]);
    expect(o.sources).toEqual(["mci-statistiques"]);
    expect(o.simule).toBe(true);
    expect(o.avertissement).toMatch(NOTICE);
  });

  it("rend les chiffres FttH seuls d'un trimestre réel, sans classes ni avertissement", async () => {
    const { body: o } = await get(`/api/observatoire/epci/${EPCI_A}?trimestre=2018T1`);
    expect(o.variantes).toEqual({ filaire: null, terrestre: null, toutes: null });
    expect(o.technologies).toEqual([]);
    expect(o.locaux).toBe(2100);
    expect(o.ftth).toMatchObject({ raccordables: 500, part: 23.81, raccordablesDemande: null, partDemande: null });
    expect(o.simule).toBe(false);
    expect(o.avertissement).toBeNull();
    expect(o.sources).toEqual(["arcep-ftth-communes"]);
  });

  it("agrège chaque niveau : commune, département, région", async () => {
    const commune = (await get("/api/observatoire/communes/61001")).body;
    expect(commune.locaux).toBe(1000);
    expect(commune.variantes.toutes.thd).toEqual({ locaux: 800, part: 80 });
    const departement = (await get("/api/observatoire/departements/61")).body;
    const region = (await get("/api/observatoire/regions/28")).body;
    for (const o of [departement, region]) {
      expect(o.sources).toEqual(["immeubles", "mci-statistiques"]);
      expect(o.locaux).toBe(2400);
      expect(o.communes).toEqual({ total: 6, avecDonnees: 5 });
      expect(o.ftth.raccordables).toBe(1100);
      expect(o.variantes.toutes.thd).toEqual({ locaux: 1500, part: 62.5 });
    }
  });

  it("ne montre les brouillons qu'aux agents et administrateurs", async () => {
    const hidden = await get(`/api/observatoire/epci/${EPCI_A}?trimestre=2018T3`);
    expect(hidden.status).toBe(404);
    expect(hidden.body).toMatchObject({
      parametre: "trimestre",
      message: "Trimestre « 2018T3 » introuvable ou non publié",
    });
    const draft = await get(`/api/observatoire/epci/${EPCI_A}?trimestre=2018T3`, agent);
    expect(draft.status).toBe(200);
    expect(draft.headers.get("cache-control")).toBe("private, no-store");
    expect(draft.body.trimestre).toMatchObject({ code: "2018T3", statut: "brouillon" });
    expect(draft.body.variantes.toutes.thd).toEqual({ locaux: 1500, part: 75 });
    // By default, agents see the latest published quarter too, and can pick the draft.
    const byDefault = await get(`/api/observatoire/epci/${EPCI_A}`, agent);
    expect(byDefault.body.trimestre.code).toBe("2018T2");
    expect(byDefault.body.trimestres.map((t: { code: string }) => t.code)).toEqual(["2018T1", "2018T2", "2018T3"]);
  });

  it("répond 400 ou 404 en français en nommant le paramètre", async () => {
    const cases: [string, number, string][] = [
      ["/api/observatoire/cantons/61", 400, "niveau"],
      ["/api/observatoire/communes/6100%27", 400, "code"],
      ["/api/observatoire/communes/61001?trimestre=2018T5", 400, "trimestre"],
      ["/api/observatoire/communes/61001?format=pdf", 400, "format"],
      ["/api/observatoire/communes/61001/series?variante=fibre", 400, "variante"],
      ["/api/observatoire/communes/61001/zone-fibree?seuil=20", 400, "seuil"],
      [`/api/observatoire/epci/${EPCI_A}/carte?maille=departements`, 400, "maille"],
      ["/api/observatoire/communes/99999", 404, "code"],
      ["/api/observatoire/epci/61001/series", 404, "code"],
      ["/api/observatoire/communes/61001/equite?trimestre=2030T1", 404, "trimestre"],
    ];
    for (const [path, status, parametre] of cases) {
      const response = await get(path);
      expect(response.status, path).toBe(status);
      expect(response.body.parametre, path).toBe(parametre);
      expect(response.body.message, path).toContain(status === 400 ? `« ${parametre} »` : "introuvable");
    }
  });

  it("donne la série, les objectifs du plan et la date prévue au rythme actuel", async () => {
    const publicSeries = (await get(`/api/observatoire/epci/${EPCI_A}/series`)).body;
    expect(publicSeries.variante).toBe("toutes");
    expect(
      publicSeries.points.map(
        (p: { trimestre: { code: string }; thd: { toutes: number | null }; ftth: { part: number } }) => [
          p.trimestre.code,
          p.thd.toutes,
          p.ftth.part,
        ],
      ),
    ).toEqual([
      ["2018T1", null, 23.81],
      ["2018T2", 65, 50],
    ]);
    expect(publicSeries.objectifs).toMatchObject([
      { annee: 2020, part: 60, statut: "deja_atteint", atteintLe: "2018T2", dansLesDelais: true },
      { annee: 2025, part: 100, statut: "donnees_insuffisantes", prevuLe: null },
    ]);
    expect(publicSeries.methode).toMatch(/4 derniers trimestres/);
    expect(publicSeries.avertissement).toMatch(NOTICE);

    // With the draft (65 → 75 %): 10 points a quarter, 100 % three quarters after 2018T3.
    const agentSeries = (await get(`/api/observatoire/epci/${EPCI_A}/series`, agent)).body;
    expect(agentSeries.points).toHaveLength(3);
    expect(agentSeries.rythme).toEqual({ pointsParTrimestre: 10, trimestres: ["2018T2", "2018T3"] });
    expect(agentSeries.objectifs[1]).toMatchObject({ statut: "prevu", prevuLe: "2019T2", dansLesDelais: true });

    const filaire = (await get(`/api/observatoire/epci/${EPCI_A}/series?variante=filaire`)).body;
    expect(filaire.objectifs[0]).toMatchObject({ statut: "donnees_insuffisantes" });
  });

  it("prend les objectifs dans TERRITOIRE_OBJECTIFS_THD", async () => {
    const other = await startTestServer(ctx.opened, {}, { TERRITOIRE_OBJECTIFS_THD: "2019:70" });
    try {
      const series = (await body(await other.get(`/api/observatoire/epci/${EPCI_A}/series`))) as {
        objectifs: { annee: number; part: number; statut: string }[];
      };
      expect(series.objectifs.map((o) => [o.annee, o.part, o.statut])).toEqual([[2019, 70, "donnees_insuffisantes"]]);
    } finally {
      await other.close();
    }
  });

  it("répartit les chiffres par niveau de densité INSEE et mesure l'écart", async () => {
    const { body: e } = await get(`/api/observatoire/epci/${EPCI_A}/equite`);
    expect(
      e.niveaux.map(
        (l: { niveau: number; libelle: string; communes: number; communesAvecDonnees: number; locaux: number }) => [
          l.niveau,
          l.libelle,
          l.communes,
          l.communesAvecDonnees,
          l.locaux,
        ],
      ),
    ).toEqual([
      [3, "Ceintures urbaines", 1, 1, 1000],
      [4, "Petites villes", 1, 1, 500],
      [6, "Rural à habitat dispersé", 2, 2, 500],
      [7, "Rural à habitat très dispersé", 1, 0, 0],
    ]);
    expect(
      e.niveaux.map(
        (l: { variantes: { toutes: { thd: { part: number } } | null } }) => l.variantes.toutes?.thd.part ?? null,
      ),
    ).toEqual([80, 60, 40, null]);
    const gap = (indicateur: string) => e.ecarts.find((g: { indicateur: string }) => g.indicateur === indicateur);
    expect(gap("thd_toutes")).toMatchObject({
      meilleur: { niveau: 3, part: 80 },
      moinsBon: { niveau: 6, part: 40 },
      ecartPoints: 40,
    });
    expect(gap("ftth")).toMatchObject({ meilleur: { niveau: 3, part: 60 }, ecartPoints: 20 });
  });

  it("dit quelles communes remplissent les conditions mesurables de la zone fibrée, et pourquoi les autres non", async () => {
    const { body: z } = await get(`/api/observatoire/epci/${EPCI_A}/zone-fibree`);
    expect(z.seuil).toBe(100);
    expect(z.synthese).toEqual({ communes: 5, communesZoneFibree: 2, locaux: 2000, locauxZoneFibree: 1200 });
    const byCode = Object.fromEntries(z.communes.map((c: { code: string }) => [c.code, c]));
    expect(byCode["61001"]).toMatchObject({ zoneFibree: true, couverture: 100, motifs: [] });
    expect(byCode["61002"]).toMatchObject({ zoneFibree: false, couverture: 60 });
    expect(byCode["61002"].motifs).toEqual([
      "200 locaux sur 500 ni raccordables ni raccordables à la demande (couverture 60 %, seuil 100 %)",
    ]);
    expect(byCode["61003"].motifs).toEqual([
      "300 locaux sur 300 ni raccordables ni raccordables à la demande (couverture 0 %, seuil 100 %)",
      "Aucun opérateur commercial ne propose la fibre",
    ]);
    expect(byCode["61004"]).toMatchObject({ zoneFibree: true, operateursCommerciaux: null });
    expect(byCode["61004"].conditions).toContainEqual({ condition: "offre_commerciale", etat: "non_mesuree" });
    expect(byCode["61005"]).toMatchObject({ zoneFibree: false, motifs: ["Pas de chiffres pour ce trimestre"] });
    expect(z.nonMesurables.length).toBeGreaterThan(0);

    const lowered = (await get(`/api/observatoire/epci/${EPCI_A}/zone-fibree?seuil=60`)).body;
    expect(lowered.synthese.communesZoneFibree).toBe(3);
  });

  it("donne le calendrier de fermeture du cuivre, lu au dernier calendrier importé", async () => {
    const { body: f } = await get(`/api/observatoire/epci/${EPCI_A}/fermeture-cuivre`);
    expect(f.calendrierDu).toBe("2018T1");
    expect(f.dateReference).toBe("2018-06-30");
    expect(f.etats).toEqual({ fermee: 0, fermeture_commerciale: 1, programmee: 1, non_programmee: 3 });
    expect(f.communes[0]).toEqual({
      code: "61001",
      nom: "Alpha",
      lot: "L1",
      fermetureCommerciale: "2018-03-01",
      fermetureTechnique: "2018-11-30",
      etat: "fermeture_commerciale",
      locaux: 1000,
      ftthPart: 60,
    });
    expect(f.calendrier).toEqual([
      { annee: 2018, communesFermetureCommerciale: 1, communesFermetureTechnique: 1, locauxFermetureTechnique: 1000 },
      { annee: 2019, communesFermetureCommerciale: 1, communesFermetureTechnique: 0, locauxFermetureTechnique: 0 },
      { annee: 2020, communesFermetureCommerciale: 0, communesFermetureTechnique: 1, locauxFermetureTechnique: 200 },
    ]);
  });

  it("liste les sites stratégiques avec leur raccordement et la part raccordée par département et type", async () => {
    const { body: s } = await get(`/api/observatoire/epci/${EPCI_A}/sites-strategiques`);
    expect(s.sites.map((x: { id: string; etat: string }) => [x.id, x.etat])).toEqual([
      ["C1", "raccorde"],
      ["C2", "non_raccorde"],
      ["H1", "prevu"],
    ]);
    expect(s.synthese).toEqual([
      {
        departement: "61",
        departementNom: "Orne",
        type: "college",
        typeLibelle: "Collège",
        sites: 2,
        raccordes: 1,
        part: 50,
      },
      {
        departement: "61",
        departementNom: "Orne",
        type: "sante",
        typeLibelle: "Établissement de santé",
        sites: 1,
        raccordes: 0,
        part: 0,
      },
    ]);
    const departement = (await get("/api/observatoire/departements/61/sites-strategiques?type=enseignement_superieur"))
      .body;
    expect(departement.totaux).toEqual([
      {
        departement: null,
        departementNom: null,
        type: "enseignement_superieur",
        typeLibelle: "Enseignement supérieur",
        sites: 1,
        raccordes: 1,
        part: 100,
      },
    ]);
  });

  it("donne la carte d'un département par EPCI (EPCI entiers) et par commune", async () => {
    const { body: m } = await get("/api/observatoire/departements/61/carte");
    expect(m.maille).toBe("epci");
    expect(
      m.valeurs.map((v: { code: string; thd: { toutes: number }; ftth: { part: number } }) => [
        v.code,
        v.thd.toutes,
        v.ftth.part,
      ]),
    ).toEqual([
      [EPCI_A, 65, 50],
      [EPCI_B, 50, 25],
    ]);
    const communes = (await get("/api/observatoire/departements/61/carte?maille=communes&trimestre=2018T1")).body;
    expect(communes.valeurs).toHaveLength(6);
    expect(communes.valeurs.find((v: { code: string }) => v.code === "61010")).toMatchObject({
      communesAvecDonnees: 0,
      thd: { toutes: null },
      ftth: { part: null },
    });
  });

  it("exporte chaque tableau en CSV (point-virgule, BOM), XLSX et GeoJSON, avec l'avertissement des chiffres simulés", async () => {
    const lines = await csv(`/api/observatoire/epci/${EPCI_A}?format=csv`);
    expect(lines.find((l) => l.rubrique === "thd" && l.variante === "toutes")).toMatchObject({
      trimestre: "2018T2",
      locaux: "1300",
      part_pct: "65",
    });
    expect(lines.every((l) => NOTICE.test(l.avertissement ?? ""))).toBe(true);
    const real = await csv(`/api/observatoire/epci/${EPCI_A}?format=csv&trimestre=2018T1`);
    expect(real.every((l) => l.avertissement === "")).toBe(true);

    const series = await csv(`/api/observatoire/epci/${EPCI_A}/series?format=csv`);
    expect(series.map((p) => [p.trimestre, p.thd_toutes_pct])).toEqual([
      ["2018T1", ""],
      ["2018T2", "65"],
    ]);

    const xlsx = Buffer.from(
      await (await download(`/api/observatoire/epci/${EPCI_A}/equite?format=xlsx`)).arrayBuffer(),
    );
    const [sheet, about] = readXlsx(xlsx);
    expect(sheet?.rows[0]?.slice(0, 3)).toEqual(["densite_insee", "libelle", "communes"]);
    expect(sheet?.rows[1]?.slice(0, 5)).toEqual([3, "Ceintures urbaines", 1, 1, 1000]);
    expect(about?.rows.flat().join("\n")).toMatch(NOTICE);

    const zoneResponse = await download(`/api/observatoire/epci/${EPCI_A}/zone-fibree?format=geojson`);
    expect(zoneResponse.headers.get("content-type")).toContain("application/geo+json");
    const zone = await body(zoneResponse);
    expect(zone.type).toBe("FeatureCollection");
    expect(zone.avertissement).toMatch(NOTICE);
    expect(zone.features).toHaveLength(5);
    expect(zone.features[0].geometry.type).toBe("Polygon");
    expect(zone.features[1].geometry).toEqual({ type: "Point", coordinates: [0.11, 48.5] });
    expect(zone.features[1].properties).toMatchObject({ code: "61002", zoneFibree: false });

    const sites = await body(await download(`/api/observatoire/epci/${EPCI_A}/sites-strategiques?format=geojson`));
    expect(sites.features.map((f: { geometry: { type: string } }) => f.geometry.type)).toEqual([
      "Point",
      "Point",
      "Point",
    ]);
    const synthese = await csv(`/api/observatoire/epci/${EPCI_A}/sites-strategiques?format=csv&tableau=synthese`);
    expect(synthese.map((g) => [g.departement, g.type, g.part_raccordes_pct])).toEqual([
      ["61", "college", "50"],
      ["61", "sante", "0"],
      ["tous", "college", "50"],
      ["tous", "sante", "0"],
    ]);

    const map = await body(await download("/api/observatoire/departements/61/carte?format=geojson"));
    expect(
      map.features.map((f: { id: string; properties: { thdToutes: number } }) => [f.id, f.properties.thdToutes]),
    ).toEqual([
      [EPCI_A, 65],
      [EPCI_B, 50],
    ]);
    const copper = Buffer.from(
      await (await download(`/api/observatoire/epci/${EPCI_A}/fermeture-cuivre?format=xlsx`)).arrayBuffer(),
    );
    const [copperSheet] = readXlsx(copper);
    expect(copperSheet?.rows).toHaveLength(6);
    expect(copperSheet?.rows[1]?.slice(0, 6)).toEqual([
      "61001",
      "Alpha",
      "L1",
      "2018-03-01",
      "2018-11-30",
      "fermeture_commerciale",
    ]);
    const mapCsv = await download(`/api/observatoire/departements/61/carte?format=csv`);
    expect(mapCsv.headers.get("content-disposition")).toBe(
      'attachment; filename="carte-observatoire-departements-61-epci-2018T2.csv"',
    );
  });

  it("exporte aussi en GeoJSON l'observatoire, la série et l'équité, avec les mêmes chiffres que le CSV", async () => {
    type Feature = {
      id: string;
      geometry: { type: string; coordinates: unknown[] } | null;
      properties: Record<string, unknown>;
    };
    const geojson = async (path: string) => {
      const response = await download(path);
      expect(response.headers.get("content-type")).toContain("application/geo+json");
      expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename=".+\.geojson"$/);
      const collection = JSON.parse(await response.text());
      expect(collection.type).toBe("FeatureCollection");
      return collection as { avertissement?: string; observatoire: Record<string, unknown>; features: Feature[] };
    };
    const num = (v: string) => (v === "" ? null : Number(v));

    // A territory's figures: one Feature per CSV line, each with the territory's contour.
    for (const [niveau, code, geometry] of [
      ["communes", "61001", "Polygon"],
      ["epci", EPCI_A, "Point"],
    ] as const) {
      const lines = await csv(`/api/observatoire/${niveau}/${code}?format=csv`);
      const o = await geojson(`/api/observatoire/${niveau}/${code}?format=geojson`);
      expect(o.avertissement).toMatch(NOTICE);
      expect(o.features).toHaveLength(lines.length);
      expect(o.features.every((f) => f.geometry?.type === geometry)).toBe(true);
      expect(
        o.features.map((f) => [
          f.properties.rubrique,
          f.properties.variante,
          f.properties.cle,
          f.properties.locaux,
          f.properties.part,
        ]),
      ).toEqual(lines.map((l) => [l.rubrique, l.variante, l.cle, num(l.locaux ?? ""), num(l.part_pct ?? "")]));
      expect(new Set(o.features.map((f) => f.id)).size).toBe(lines.length);
      expect(o.features[0]?.properties).toMatchObject({ niveau, code, trimestre: "2018T2" });
      expect(o.features.every((f) => NOTICE.test(String(f.properties.avertissement)))).toBe(true);
    }
    const thd = (await geojson(`/api/observatoire/epci/${EPCI_A}?format=geojson`)).features.find(
      (f) => f.id === "thd:toutes:30+",
    );
    expect(thd?.properties).toMatchObject({ locaux: 1300, part: 65 });
    const real = await geojson(`/api/observatoire/epci/${EPCI_A}?format=geojson&trimestre=2018T1`);
    expect(real.avertissement).toBeUndefined();
    expect(real.features.some((f) => "avertissement" in f.properties)).toBe(false);

    // The series: one Feature per quarter, null geometry, joined by niveau and code.
    const seriesCsv = await csv(`/api/observatoire/epci/${EPCI_A}/series?format=csv`);
    const series = await geojson(`/api/observatoire/epci/${EPCI_A}/series?format=geojson`);
    expect(series.features).toHaveLength(2);
    expect(series.features.every((f) => f.geometry === null)).toBe(true);
    expect(
      series.features.map((f) => [
        f.id,
        f.properties.niveau,
        f.properties.code,
        f.properties.thdToutes,
        f.properties.ftthPart,
      ]),
    ).toEqual(seriesCsv.map((p) => [p.trimestre, "epci", EPCI_A, num(p.thd_toutes_pct ?? ""), num(p.ftth_pct ?? "")]));
    expect(series.observatoire.geometrie).toMatch(/\/api\/territoires\/epci\/contours/);
    expect(series.features[0]?.properties.avertissement).toBeUndefined();
    expect(series.features[1]?.properties.avertissement).toMatch(NOTICE);

    // Equity: one Feature per density level, the polygons of its communes (61001 only has one).
    const equityCsv = await csv(`/api/observatoire/epci/${EPCI_A}/equite?format=csv`);
    const equity = await geojson(`/api/observatoire/epci/${EPCI_A}/equite?format=geojson`);
    expect(equity.avertissement).toMatch(NOTICE);
    expect(equity.features).toHaveLength(equityCsv.length);
    expect(equity.features.map((f) => [f.id, f.geometry?.type ?? null, f.properties.codesInsee])).toEqual([
      ["3", "MultiPolygon", ["61001"]],
      ["4", null, ["61002"]],
      ["6", null, ["61003", "61004"]],
      ["7", null, ["61005"]],
    ]);
    expect(equity.features[0]?.geometry?.coordinates).toHaveLength(1);
    for (const [i, row] of equityCsv.entries()) {
      for (const column of ["densite_insee", "communes", "locaux", "thd_toutes_pct", "ftth_pct", "filaire_inel_pct"]) {
        expect(equity.features[i]?.properties[column], column).toBe(num(row[column] ?? ""));
      }
    }

    // The strategic sites' summary: département contour, the territory's for the totals.
    const syntheseCsv = await csv(`/api/observatoire/epci/${EPCI_A}/sites-strategiques?format=csv&tableau=synthese`);
    const synthese = await geojson(
      `/api/observatoire/epci/${EPCI_A}/sites-strategiques?format=geojson&tableau=synthese`,
    );
    expect(
      synthese.features.map((f) => [f.properties.departement, f.properties.type, f.properties.partRaccordes]),
    ).toEqual(syntheseCsv.map((g) => [g.departement, g.type, num(g.part_raccordes_pct ?? "")]));
  });

  it("lit la zone fibrée et le cuivre d'une région comme ceux de ses EPCI réunis", async () => {
    // A région reads the quarter's rows whole; an EPCI joins its communes: both must agree.
    for (const [suffix, quarter] of [
      ["zone-fibree", "2018T1"],
      ["zone-fibree", "2018T2"],
      ["fermeture-cuivre", "2018T1"],
      ["fermeture-cuivre", "2018T2"],
    ]) {
      const communes = async (territory: string) =>
        (await get(`/api/observatoire/${territory}/${suffix}?trimestre=${quarter}`)).body.communes as {
          code: string;
        }[];
      const region = await communes("regions/28");
      const byEpci = [...(await communes(`epci/${EPCI_A}`)), ...(await communes(`epci/${EPCI_B}`))].sort((a, b) =>
        a.code < b.code ? -1 : 1,
      );
      expect(region.length, suffix).toBeGreaterThan(0);
      expect(region, `${suffix} ${quarter}`).toEqual(byEpci);
    }
  });

  it("sert le JSON public depuis des octets stockés : le même en br, gzip et sans compression, et 304 sur son ETag", async () => {
    // The first is large enough to be compressed; the second is sent as is (under 2 kB), compressed or not.
    for (const [path, compressed] of [
      [`/api/observatoire/epci/${EPCI_A}/zone-fibree?trimestre=2018T2`, true],
      [`/api/observatoire/epci/${EPCI_A}/series`, false],
    ] as const) {
      const plain = await raw(path, { "accept-encoding": "identity" });
      expect(plain.status, path).toBe(200);
      expect(plain.headers["content-encoding"]).toBeUndefined();
      expect(plain.bytes.length > 2048, path).toBe(compressed);
      const etag = plain.headers.etag;
      expect(etag).toMatch(/^W\/"[\w-]+"$/);
      expect(plain.headers.vary).toContain("accept-encoding");
      const decoded = (response: { headers: http.IncomingHttpHeaders; bytes: Buffer }, coding: string) => {
        expect(response.headers["content-encoding"], path).toBe(compressed ? coding : undefined);
        expect(Number(response.headers["content-length"])).toBe(response.bytes.length);
        if (!compressed) return response.bytes;
        return coding === "br" ? zlib.brotliDecompressSync(response.bytes) : zlib.gunzipSync(response.bytes);
      };
      const gzip = await raw(path, { "accept-encoding": "gzip, deflate" });
      expect(gzip.headers["x-cache"]).toBe("HIT");
      expect(decoded(gzip, "gzip").equals(plain.bytes)).toBe(true);
      const br = await raw(path, { "accept-encoding": "gzip, deflate, br" });
      expect(decoded(br, "br").equals(plain.bytes)).toBe(true);
      expect([gzip.headers.etag, br.headers.etag]).toEqual([etag, etag]);
      // The stored bytes are the JSON the route's schema gives.
      expect(JSON.parse(plain.bytes.toString("utf8"))).toEqual((await get(path)).body);

      const revalidated = await raw(path, { "accept-encoding": "br", "if-none-match": etag ?? "" });
      expect(revalidated.status).toBe(304);
      expect(revalidated.bytes.length).toBe(0);
      expect(revalidated.headers.etag).toBe(etag);
      expect(revalidated.headers["cache-control"]).toBe("public, max-age=300");
      expect((await raw(path, { "if-none-match": 'W/"autre"' })).status).toBe(200);
    }
    // What an agent sees may include drafts: never stored, no ETag.
    const draft = await agent.request("GET", `/api/observatoire/epci/${EPCI_A}?trimestre=2018T2`);
    expect(draft.status).toBe(200);
    expect(draft.headers.get("etag")).toBeNull();
    expect(draft.headers.get("x-cache")).toBeNull();
  });

  it("voit un nouvel import des territoires sans redémarrage : les réponses stockées ne servent plus", async () => {
    const path = `/api/observatoire/epci/${EPCI_A}/zone-fibree?trimestre=2018T2`;
    const before = await raw(path, {});
    expect((await raw(path, {})).headers["x-cache"]).toBe("HIT");
    const name = async () =>
      (
        JSON.parse((await raw(path, {})).bytes.toString("utf8")) as { communes: { code: string; nom: string }[] }
      ).communes.find((c) => c.code === "61001")?.nom;
    const original = await name();
    const reimport = async (nom: string | undefined, importeLe: string) => {
      await ctx.db
        .updateTable("territoire")
        .set({ nom })
        .where("niveau", "=", "communes")
        .where("code", "=", "61001")
        .execute();
      await ctx.db.deleteFrom("territoire_import").execute();
      await ctx.db
        .insertInto("territoire_import")
        .values({ region: "28", importe_le: importeLe, source_cog: "test", communes: 9, communes_avec_polygone: 1 })
        .execute();
    };
    await reimport("Alpha-la-Neuve", "2026-11-29T01:00:00.000Z");
    const after = await raw(path, {});
    expect(after.headers["x-cache"]).toBe("MISS");
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(await name()).toBe("Alpha-la-Neuve");
    await reimport(original, "2026-11-29T02:00:00.000Z");
    expect(await name()).toBe(original);
  });

  // Last: publishes the draft. Published figures are cached per quarter; a newly published quarter
  // must show up at once, and the cached ones stay right.
  it("montre au public un trimestre dès sa publication, à côté des trimestres déjà lus", async () => {
    expect((await get(`/api/observatoire/epci/${EPCI_A}/series`)).body.points).toHaveLength(2);
    const quarterPath = `/api/observatoire/epci/${EPCI_A}?trimestre=2018T2`;
    const stored = await raw(quarterPath, { "accept-encoding": "gzip" });
    expect((await raw(quarterPath, { "if-none-match": stored.headers.etag ?? "" })).status).toBe(304);
    const published = await agent.request("POST", "/api/observatoire/trimestres/2018T3/publication");
    expect(published.status).toBe(200);
    // The 2018T2 answer lists the quarters: a new publication changes it, so the stored bytes go.
    const renewed = await raw(quarterPath, { "accept-encoding": "gzip", "if-none-match": stored.headers.etag ?? "" });
    expect(renewed.status).toBe(200);
    expect(renewed.headers["x-cache"]).toBe("MISS");
    expect(renewed.headers.etag).not.toBe(stored.headers.etag);
    const codes = (bytes: Buffer) =>
      (JSON.parse(zlib.gunzipSync(bytes).toString("utf8")) as { trimestres: { code: string }[] }).trimestres.map(
        (t) => t.code,
      );
    expect(codes(stored.bytes)).toEqual(["2018T1", "2018T2"]);
    expect(codes(renewed.bytes)).toEqual(["2018T1", "2018T2", "2018T3"]);
    const series = (await get(`/api/observatoire/epci/${EPCI_A}/series`)).body;
    expect(
      series.points.map((p: { trimestre: { code: string }; thd: { toutes: number | null } }) => [
        p.trimestre.code,
        p.thd.toutes,
      ]),
    ).toEqual([
      ["2018T1", null],
      ["2018T2", 65],
      ["2018T3", 75],
    ]);
    const latest = (await get(`/api/observatoire/epci/${EPCI_A}`)).body;
    expect(latest.trimestre).toMatchObject({ code: "2018T3", statut: "publie" });
    expect(latest.variantes.toutes.thd.part).toBe(75);
  });
});
