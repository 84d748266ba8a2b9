import { afterAll, beforeAll, expect, it } from "vitest";
import { sendDeclaredBody } from "../../shared/testing/http-client.ts";
import { describeEachDatabase } from "../../shared/testing/test-databases.ts";
import { startTestServer, type TestServer } from "../../shared/testing/test-server.ts";
import { importTerritories } from "./import-territories/import-territories.service.ts";

describeEachDatabase("API des territoires", (ctx) => {
  let server: TestServer;
  beforeAll(async () => {
    await importTerritories(ctx.db, "28");
    server = await startTestServer(ctx.opened);
  });
  afterAll(() => server?.close());

  const json = async (path: string) => {
    const res = await server.get(path);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> & { total?: number } };
  };

  it("compte 2 644 communes, 71 EPCI et 5 départements en Normandie", async () => {
    expect((await json("/api/territoires/communes?region=28")).body.total).toBe(2644);
    expect((await json("/api/territoires/epci?region=28")).body.total).toBe(71);
    expect((await json("/api/territoires/departements?region=28")).body.total).toBe(5);
    expect((await json("/api/territoires/regions")).body.total).toBe(1);
  });

  it("rend Caen avec sa population, son département, son EPCI et leurs noms", async () => {
    const { status, body } = await json("/api/territoires/communes/14118");
    expect(status).toBe(200);
    expect(body).toMatchObject({
      code: "14118",
      nom: "Caen",
      region: "28",
      departement: "14",
      epci: "200065597",
      codesPostaux: ["14000"],
      sourceContour: "polygone",
      densiteInsee: { niveau: 1, libelle: "Grands centres urbains" },
      parents: {
        region: { code: "28", nom: "Normandie" },
        departement: { code: "14", nom: "Calvados" },
        epci: { code: "200065597", nom: "CU Caen la Mer" },
      },
      enfants: {},
    });
    expect(body.population).toBeGreaterThan(100_000);
    expect(body.densitePopulation).toBeGreaterThan(3000);
  });

  it("compte les enfants de chaque niveau, de façon cohérente avec les listes filtrées", async () => {
    const region = (await json("/api/territoires/regions/28")).body;
    expect(region.enfants).toEqual({ departements: 5, epci: 71, communes: 2644 });
    const calvados = (await json("/api/territoires/departements/14")).body as {
      enfants: { communes: number; epci: number };
    };
    expect((await json("/api/territoires/communes?departement=14")).body.total).toBe(calvados.enfants.communes);
    expect((await json("/api/territoires/epci?departement=14")).body.total).toBe(calvados.enfants.epci);
    const caenLaMer = (await json("/api/territoires/epci/200065597")).body as { enfants: { communes: number } };
    expect(caenLaMer.enfants.communes).toBe((await json("/api/territoires/communes?epci=200065597")).body.total);
    expect(caenLaMer.enfants.communes).toBeGreaterThan(40);
    // An EPCI straddling two régions is listed under Normandy through its Normandy communes.
    const interregional = await json("/api/territoires/regions?epci=200069722");
    expect(interregional.body.total).toBe(1);
  });

  it("cherche sans tenir compte des accents ni de la casse, par nom ou par code postal", async () => {
    const evreux = (await json("/api/territoires/communes?q=EVREUX")).body as { results: { nom: string }[] };
    expect(evreux.results[0]?.nom).toBe("Évreux");
    const saintLo = (await json("/api/territoires/communes?q=saint%20lo&limit=3")).body as {
      results: { nom: string }[];
    };
    expect(saintLo.results[0]?.nom).toBe("Saint-Lô");
    const byPostcode = (await json("/api/territoires/communes?q=14000")).body as { results: { code: string }[] };
    expect(byPostcode.results.map((r) => r.code)).toContain("14118");
    const noMatch = await json("/api/territoires/communes?q=zzzzqqq");
    expect(noMatch.body).toMatchObject({ total: 0, results: [] });
    const wildcard = await json("/api/territoires/communes?q=%25");
    expect(wildcard.body.total).toBe(0);
  });

  it("pagine avec limit et offset dans un ordre stable", async () => {
    const first = (await json("/api/territoires/communes?departement=61&limit=10")).body as {
      results: { code: string }[];
    };
    const second = (await json("/api/territoires/communes?departement=61&limit=10&offset=10")).body as {
      results: { code: string }[];
    };
    expect(first.results).toHaveLength(10);
    expect(second.results).toHaveLength(10);
    const codes = new Set([...first.results, ...second.results].map((r) => r.code));
    expect(codes.size).toBe(20);
    const byPopulation = (await json("/api/territoires/communes?tri=population&limit=1")).body as {
      results: { nom: string }[];
    };
    expect(byPopulation.results[0]?.nom).toBe("Le Havre");
  });

  it("exporte une liste complète en CSV (point-virgule, UTF-8 avec BOM)", async () => {
    const res = await server.get("/api/territoires/communes?departement=14&format=csv");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect(res.headers.get("content-disposition")).toContain("territoires-communes.csv");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).trim().split("\r\n");
    const calvados = (await json("/api/territoires/departements/14")).body as { enfants: { communes: number } };
    expect(lines).toHaveLength(1 + calvados.enfants.communes);
    expect(lines[0]).toContain("code;nom;population");
    expect(lines.some((l) => l.startsWith("communes;14118;Caen;"))).toBe(true);
  });

  it("rend le contour d'un territoire de chaque niveau en GeoJSON", async () => {
    for (const [niveau, code, type] of [
      ["regions", "28", "MultiPolygon"],
      ["departements", "50", "MultiPolygon"],
      ["epci", "200065597", "Polygon"],
      ["communes", "14118", "Polygon"],
    ] as const) {
      const res = await server.get(`/api/territoires/${niveau}/${code}/contour`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("application/geo+json");
      const feature = (await res.json()) as { type: string; geometry: { type: string }; properties: { code: string } };
      expect(feature.type).toBe("Feature");
      expect(["Polygon", "MultiPolygon"]).toContain(feature.geometry.type);
      if (niveau === "communes" || niveau === "epci") expect(feature.geometry.type).toBe(type);
      expect(feature.properties.code).toBe(code);
    }
  });

  it("rend les contours de toutes les communes de la région pour la carte", async () => {
    const res = await server.get("/api/territoires/communes/contours?region=28");
    const collection = (await res.json()) as {
      features: { geometry: { type: string }; properties: { densitePopulation: number | null } }[];
    };
    expect(collection.features).toHaveLength(2644);
    expect(collection.features.every((f) => f.geometry.type !== "Point")).toBe(true);
    expect(collection.features.every((f) => (f.properties.densitePopulation ?? -1) >= 0)).toBe(true);
  });

  it("répond 404 avec un message en français pour un territoire inconnu", async () => {
    for (const path of [
      "/api/territoires/communes/99999",
      "/api/territoires/departements/99",
      "/api/territoires/epci/123456789/contour",
    ]) {
      const { status, body } = await json(path);
      expect(status, path).toBe(404);
      expect(body.code).toBe("INTROUVABLE");
      expect(String(body.message)).toMatch(/Aucun territoire/);
    }
    const unknownRoute = await json("/api/inconnu");
    expect(unknownRoute).toMatchObject({ status: 404, body: { code: "ROUTE_INCONNUE" } });
  });

  it("répond 400 en nommant le paramètre mal formé", async () => {
    const cases: [string, string][] = [
      ["/api/territoires/communes?limit=abc", "limit"],
      ["/api/territoires/communes?limit=0", "limit"],
      ["/api/territoires/communes?limit=100000", "limit"],
      ["/api/territoires/communes?offset=-1", "offset"],
      ["/api/territoires/communes?format=xml", "format"],
      ["/api/territoires/communes?tri=hasard", "tri"],
      ["/api/territoires/communes?region=abc", "region"],
      [`/api/territoires/communes?q=${"a".repeat(101)}`, "q"],
      ["/api/territoires/villes", "niveau"],
      ["/api/territoires/communes/14118%27%20or%201=1", "code"],
    ];
    for (const [path, parametre] of cases) {
      const { status, body } = await json(path);
      expect(status, path).toBe(400);
      expect(body, path).toMatchObject({ code: "PARAMETRE_INVALIDE", parametre });
      expect(String(body.message), path).toContain(`« ${parametre} »`);
    }
  });

  it("ne tombe jamais en erreur 500, quelle que soit la requête", async () => {
    const hostile = [
      "/api/territoires/communes?q=%ZZ",
      "/api/territoires/communes?q=%00",
      "/api/territoires/communes?q=%F0%9F%92%A5%E2%80%AE",
      "/api/territoires/communes?q=\\%25_",
      "/api/territoires/communes?limit=1e309",
      "/api/territoires/communes?limit=1&limit=2",
      "/api/territoires/communes?region[]=28",
      `/api/territoires/communes/${"1".repeat(300)}`,
      "/api/territoires/communes/..%2f..%2fetc%2fpasswd",
      "/api/territoires/communes/14118/contour?x=<script>",
      "/api/territoires//",
    ];
    for (const path of hostile) {
      const res = await server.get(path);
      expect(res.status, path).toBeLessThan(500);
      await res.arrayBuffer();
    }
    const post = await sendDeclaredBody(server.baseUrl, "/api/territoires/communes", { bytes: 2 * 1024 * 1024 });
    expect(post.status).toBeGreaterThanOrEqual(400);
    expect(post.status).toBeLessThan(500);
    expect((await server.get("/api/health")).status).toBe(200);
  });
});
