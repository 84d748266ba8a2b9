import { readFileSync } from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { body } from "../../../shared/testing/http-client.ts";
import { describeEachDatabase } from "../../../shared/testing/test-databases.ts";
import { startTestServer, type TestServer } from "../../../shared/testing/test-server.ts";
import { importTerritories } from "../../territory/import-territories/import-territories.service.ts";
import { importBan } from "../import-ban/import-ban.service.ts";
import { generateFixture } from "../test-fixtures.ts";
import { AddressIndexService } from "./address-index.service.ts";

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
  let lieuDit: { id: string; nom: string; codePostal: string; commune: string; lon: number; lat: number };

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
    // A lieu-dit without numbers: its own BAN row, numero 99999, id <insee>_<voie>_99999.
    const ld = (lines.find((l) => l.split(";")[2] === "99999") as string).split(";");
    lieuDit = {
      id: (ld[0] as string).replace(/_99999$/, ""),
      nom: ld[4] as string,
      codePostal: ld[5] as string,
      commune: ld[7] as string,
      lon: Number(ld[12]),
      lat: Number(ld[13]),
    };
    server = await startTestServer(ctx.opened);
  });
  afterAll(() => server?.close());

  const search = async (query: string) => body(await server.get(`/api/adresse/search?${query}`));

  it("charge dans l'index toutes les adresses numérotées du lot actif, page après page", async () => {
    const rows = await ctx.db
      .selectFrom("adresse")
      .innerJoin("adresse_lot", "adresse_lot.id", "adresse.lot_id")
      .select(["adresse.id", "numero", "rep", "nom_voie", "code_postal", "code_insee", "lon", "lat"])
      .where("adresse_lot.statut", "=", "actif")
      .where("numero", ">", 0)
      .where("numero", "<", 99_999)
      .execute();
    const expected = rows
      .map((r) => [
        r.id,
        r.numero,
        r.rep ?? "",
        r.nom_voie,
        r.code_postal,
        r.code_insee,
        Math.fround(r.lon),
        Math.fround(r.lat),
      ])
      .sort((a, b) => (a[0] as string).localeCompare(b[0] as string));
    // Pages of 7 rows: every page boundary of the keyset reading is crossed.
    for (const pageSize of [7, 50_000]) {
      const indexes = new AddressIndexService(ctx.db, pageSize);
      await indexes.refresh();
      const index = indexes.loaded?.index;
      expect(index?.addressCount).toBe(expected.length);
      const loaded = [];
      for (let i = 0; i < (index?.addressCount ?? 0); i++) {
        const a = index?.getAddress(i);
        loaded.push([a?.id, a?.numero, a?.rep, a?.nomVoie, a?.codePostal, a?.codeInsee, a?.lon, a?.lat]);
      }
      loaded.sort((a, b) => (a[0] as string).localeCompare(b[0] as string));
      expect(loaded).toEqual(expected);
    }
  });

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

  it("garde, avec la réponse écrite d'avance, le type JSON, les en-têtes de sécurité, de débit et d'accès public", async () => {
    const response = await server.get(`/api/adresse/search?q=${encodeURIComponent(sample.voie)}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-ratelimit-limit")).not.toBeNull();
    const reverse = await server.get(`/api/adresse/reverse?lat=${sample.lat}&lon=${sample.lon}`);
    expect(reverse.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(reverse.headers.get("access-control-allow-origin")).toBe("*");
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

  it("répond un lieu-dit sans numéro comme l'API nationale : type locality, son nom, sans numéro ni voie", async () => {
    const result = await search(`q=${encodeURIComponent(`${lieuDit.nom} ${lieuDit.commune}`)}`);
    const first = result.features[0];
    expect(first.properties).toMatchObject({
      id: lieuDit.id,
      type: "locality",
      name: lieuDit.nom,
      label: `${lieuDit.nom} ${lieuDit.codePostal} ${lieuDit.commune}`,
      postcode: lieuDit.codePostal,
      city: lieuDit.commune,
    });
    expect(first.properties).not.toHaveProperty("housenumber");
    expect(first.properties).not.toHaveProperty("street");
    expect(first.properties.x).toBeGreaterThan(300000);
    expect(first.geometry.coordinates[0]).toBeCloseTo(lieuDit.lon, 4);
    expect(first.geometry.coordinates[1]).toBeCloseTo(lieuDit.lat, 4);
  });

  it("filtre par type=locality en recherche et en géocodage inverse", async () => {
    const localities = await search(`q=${encodeURIComponent(lieuDit.nom)}&type=locality&limit=10`);
    expect(localities.filters).toEqual({ type: "locality" });
    expect(localities.features.length).toBeGreaterThan(0);
    expect(localities.features.every((f: { properties: { type: string } }) => f.properties.type === "locality")).toBe(
      true,
    );
    expect(localities.features.map((f: { properties: { id: string } }) => f.properties.id)).toContain(lieuDit.id);
    const streets = await search(`q=${encodeURIComponent(`${lieuDit.nom} ${lieuDit.commune}`)}&type=street&limit=10`);
    expect(streets.features.map((f: { properties: { id: string } }) => f.properties.id)).not.toContain(lieuDit.id);

    const reverse = await body(
      await server.get(`/api/adresse/reverse?lat=${lieuDit.lat}&lon=${lieuDit.lon}&type=locality&limit=3`),
    );
    expect(reverse.filters).toEqual({ type: "locality" });
    expect(reverse.features[0].properties).toMatchObject({ id: lieuDit.id, type: "locality", name: lieuDit.nom });
    expect(reverse.features[0].properties.distance).toBeLessThan(5);
    expect(reverse.features.every((f: { properties: { type: string } }) => f.properties.type === "locality")).toBe(
      true,
    );
    const street = await body(
      await server.get(`/api/adresse/reverse?lat=${lieuDit.lat}&lon=${lieuDit.lon}&type=street&limit=5`),
    );
    expect(street.features.map((f: { properties: { id: string } }) => f.properties.id)).not.toContain(lieuDit.id);

    const unknown = await server.get(`/api/adresse/search?q=${encodeURIComponent(lieuDit.nom)}&type=lieu-dit`);
    expect(unknown.status).toBe(400);
    expect((await body(unknown)).parametre).toBe("type");
  });

  const geocodeCsv = async (csv: string | Uint8Array, fields: [string, string][], name = "sites.csv") => {
    const form = new FormData();
    for (const [k, v] of fields) form.append(k, v);
    form.append("data", new Blob([csv], { type: "text/csv" }), name);
    return server.get("/api/adresse/search/csv", { method: "POST", body: form });
  };

  it("géocode un CSV : colonnes choisies, filtre par code postal, une ligne en sortie par ligne en entrée", async () => {
    const address = `${sample.numero} ${sample.voie}`;
    const csv = [
      "site;adresse;cp;ville",
      `Agence 1;${address};${sample.codePostal};${sample.commune}`,
      `"Agence ; 2";"${address}";${sample.codePostal};${sample.commune}`,
      "Vide;;;",
      "Absurde;zzqxw kkjjh wqqz;99999;Nulle-Part",
    ].join("\n");
    const response = await geocodeCsv(csv, [
      ["columns", "adresse"],
      ["columns", "ville"],
      ["postcode", "cp"],
    ]);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/csv");
    expect(response.headers.get("content-disposition")).toContain("sites.geocoded.csv");
    const lines = (await response.text()).trim().split("\r\n");
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe(
      "site;adresse;cp;ville;latitude;longitude;result_label;result_score;result_score_next;result_type;result_id;result_housenumber;result_name;result_street;result_postcode;result_city;result_context;result_citycode;result_oldcitycode;result_oldcity;result_district;result_status",
    );
    expect(lines[1]).toContain(`;${sample.id};`);
    expect(lines[1]?.endsWith(";ok")).toBe(true);
    expect(lines[2]?.startsWith('"Agence ; 2";')).toBe(true);
    expect(lines[2]).toContain(`;${sample.id};`);
    expect(lines[3]?.endsWith(";skipped")).toBe(true);
    expect(lines[4]?.endsWith(";not-found")).toBe(true);
  });

  it("géocode un CSV de lieux-dits : result_type locality, filtre type pour le fichier ou par colonne", async () => {
    const csv = [
      "nom;commune;genre",
      `${lieuDit.nom};${lieuDit.commune};locality`,
      `${sample.numero} ${sample.voie};${sample.commune};`,
      `${lieuDit.nom};${lieuDit.commune};street`,
      `${lieuDit.nom};${lieuDit.commune};lieu-dit`,
    ].join("\n");
    const resultOf = (line: string | undefined) => {
      const cells = (line ?? "").split(";");
      // After the 3 input columns: latitude;longitude;result_label;result_score;result_score_next;result_type;result_id;result_housenumber;result_name;result_street…
      return {
        type: cells[8],
        id: cells[9],
        housenumber: cells[10],
        name: cells[11],
        street: cells[12],
        status: cells.at(-1),
      };
    };

    const perLine = await geocodeCsv(csv, [
      ["columns", "nom"],
      ["columns", "commune"],
      ["type", "genre"],
    ]);
    expect(perLine.status).toBe(200);
    const lines = (await perLine.text()).trim().split("\r\n");
    expect(resultOf(lines[1])).toEqual({
      type: "locality",
      id: lieuDit.id,
      housenumber: "",
      name: lieuDit.nom,
      street: "",
      status: "ok",
    });
    expect(resultOf(lines[2])).toMatchObject({ type: "housenumber", id: sample.id });
    expect(resultOf(lines[3]).id).not.toBe(lieuDit.id);
    expect(resultOf(lines[4]).status).toBe("not-found");

    const wholeFile = await geocodeCsv(`nom;commune\n${lieuDit.nom};${lieuDit.commune}\n`, [["type", "locality"]]);
    expect(wholeFile.status).toBe(200);
    const [, line] = (await wholeFile.text()).trim().split("\r\n");
    expect(line?.split(";").slice(7, 9)).toEqual(["locality", lieuDit.id]);

    const bad = await geocodeCsv(`nom;commune\n${lieuDit.nom};${lieuDit.commune}\n`, [["type", "lieu-dit"]]);
    expect(bad.status).toBe(400);
    expect((await body(bad)).parametre).toBe("type");
  });

  it("lit un CSV enregistré en Windows-1252 par un tableur, le rend en UTF-8 et le dit", async () => {
    const latin1 = Buffer.from(
      `note;adresse\nSiège Évreux;${sample.numero} ${sample.voie} ${sample.commune}\n`,
      "latin1",
    );
    const response = await geocodeCsv(new Uint8Array(latin1), [["columns", "adresse"]]);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-encodage-detecte")).toBe("windows-1252");
    const text = await response.text();
    expect(text).toContain("Siège Évreux;");
    expect(text).toContain(sample.id);
  });

  it("refuse clairement un envoi sans fichier ou une colonne inconnue", async () => {
    const noFile = await server.get("/api/adresse/search/csv", { method: "POST", body: new FormData() });
    expect(noFile.status).toBe(400);
    const unknown = await geocodeCsv("adresse\n1 rue de la paix\n", [["columns", "rue"]]);
    expect(unknown.status).toBe(400);
    expect(await body(unknown)).toMatchObject({
      parametre: "columns",
      message: "Colonne « rue » absente de l'en-tête",
    });
    const json = await server.get("/api/adresse/search/csv", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(json.status).toBe(400);
  });
});
