import { readFileSync } from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { body } from "../../../shared/testing/http-client.ts";
import { describeEachDatabase } from "../../../shared/testing/test-databases.ts";
import { startTestServer, type TestServer } from "../../../shared/testing/test-server.ts";
import { importTerritories } from "../../territory/import-territories/import-territories.service.ts";
import { importBan } from "../import-ban/import-ban.service.ts";
import { generateFixture } from "../test-fixtures.ts";

describeEachDatabase("API Adresse : recherche et géocodage inverse", (ctx) => {
  let server: TestServer;
  let sample: {
    id: string;
    numero: string;
    voie: string;
    codePostal: string;
    commune: string;
    lon: number;
    lat: number;
  };

  beforeAll(async () => {
    await importTerritories(ctx.db, "28");
    const { file } = generateFixture();
    const report = await importBan(ctx.db, [file]);
    expect(report.rejets).toBe(0);
    // A plain street address of the fixture (not a strategic site, which carries its own wording).
    const lines = readFileSync(file, "utf8").trim().split("\n").slice(1);
    const line = lines.find((l) => /;(Rue|Avenue|Place|Chemin) /.test(l) && /;\d+;;/.test(l)) ?? lines[0];
    const f = (line as string).split(";");
    sample = {
      id: f[0] as string,
      numero: f[2] as string,
      voie: f[4] as string,
      codePostal: f[5] as string,
      commune: f[7] as string,
      lon: Number(f[12]),
      lat: Number(f[13]),
    };
    server = await startTestServer(ctx.opened);
  });
  afterAll(() => server?.close());

  const search = async (query: string) => body(await server.get(`/api/adresse/search?${query}`));

  it("répond dans la forme de l'API Adresse nationale, avec x/y en Lambert-93", async () => {
    const label = `${sample.numero} ${sample.voie} ${sample.codePostal} ${sample.commune}`;
    const result = await search(`q=${encodeURIComponent(label)}&limit=3`);
    expect(result).toMatchObject({
      type: "FeatureCollection",
      version: "draft",
      attribution: "BAN",
      query: label,
      limit: 3,
    });
    const first = result.features[0];
    expect(first.geometry.coordinates[0]).toBeCloseTo(sample.lon, 4);
    expect(first.properties).toMatchObject({
      id: sample.id,
      type: "housenumber",
      housenumber: sample.numero,
      postcode: sample.codePostal,
      citycode: expect.stringMatching(/^61/),
    });
    expect(first.properties.label).toContain(sample.voie);
    expect(first.properties.x).toBeGreaterThan(300000);
    expect(first.properties.y).toBeGreaterThan(6700000);
    expect(first.properties.score).toBeGreaterThan(0.5);
  });

  it("trouve l'adresse tapée comme une personne la tape : minuscules, sans accents, type de voie abrégé, sans code postal", async () => {
    const abbreviated = sample.voie
      .replace(/^Rue /, "r ")
      .replace(/^Avenue /, "av ")
      .replace(/^Place /, "pl ")
      .replace(/^Chemin /, "che ");
    const casual = `${sample.numero} ${abbreviated} ${sample.commune}`
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase();
    const result = await search(`q=${encodeURIComponent(casual)}`);
    expect(result.features[0]?.properties.id, casual).toBe(sample.id);
  });

  it("donne l'adresse la plus proche d'un point, avec sa distance", async () => {
    const result = await body(await server.get(`/api/adresse/reverse?lat=${sample.lat}&lon=${sample.lon}`));
    expect(result.features).toHaveLength(1);
    expect(result.features[0].properties.distance).toBeLessThan(5);
  });

  it("refuse une requête trop courte ou mal formée, et ne trouve rien à une requête absurde", async () => {
    const short = await server.get("/api/adresse/search?q=ab");
    expect(short.status).toBe(400);
    expect((await body(short)).parametre).toBe("q");
    expect((await server.get("/api/adresse/search")).status).toBe(400);
    expect((await server.get("/api/adresse/reverse?lat=100&lon=0")).status).toBe(400);
    expect((await server.get(`/api/adresse/search?q=${"x".repeat(201)}`)).status).toBe(400);
    const nonsense = await search("q=zzqxw%20kkjjh%20wqqz");
    expect(nonsense.features).toEqual([]);
  });
});
