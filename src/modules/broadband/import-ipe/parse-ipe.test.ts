import { describe, expect, it } from "vitest";
import { normaliseEtatImmeuble, normaliseEtatPm, oiFromFileName, parseIpeDate } from "./ipe-format.ts";
import { createIpeParser, readCoordinates, webMercatorToLonLat } from "./parse-ipe.ts";
import { regionCommuneResolver } from "./region-communes.ts";

const HEADER =
  "IdentifiantImmeuble;CodeAdresseImmeuble;CodeInseeImmeuble;NomVoieImmeuble;NombreLogementsAdresseIPE;EtatImmeuble;CoordonneeImmeubleX;CoordonneeImmeubleY;TypeProjectionGeographique;EtatPM;DateMiseEnServiceCommercialePM;TypeImmeuble";
const line = (ligne: number, text: string) => ({ ligne, champs: text.split(";") });
const parser = (header = HEADER, codeOiFichier: string | null = "NFIB") =>
  createIpeParser(line(1, header), {
    fichier: "ipe.csv",
    currentCommuneCode: regionCommuneResolver("28"),
    region: "28",
    codeOiFichier: codeOiFichier ?? undefined,
  });

describe("Format IPE", () => {
  it("normalise les états d'immeuble, quelle que soit la graphie", () => {
    expect(normaliseEtatImmeuble("DEPLOYE")).toBe("deploye");
    expect(normaliseEtatImmeuble("Déployé")).toBe("deploye");
    expect(normaliseEtatImmeuble("en cours de deploiement")).toBe("en_cours");
    expect(normaliseEtatImmeuble("EN_COURS_DE_DEPLOIEMENT")).toBe("en_cours");
    expect(normaliseEtatImmeuble("RACCORDABLE DEMANDE")).toBe("raccordable_demande");
    expect(normaliseEtatImmeuble("signe")).toBe("signe");
    expect(normaliseEtatImmeuble("CIBLE")).toBe("cible");
    expect(normaliseEtatImmeuble("ABANDONNE")).toBe("abandonne");
    expect(normaliseEtatImmeuble("DEPLOIE")).toBeUndefined();
    expect(normaliseEtatPm("DEPLOYED")).toBe("deploye");
    expect(normaliseEtatPm("EN COURS DE DEPLOIEMENT")).toBe("en_cours");
  });

  it("lit les dates AAAAMMJJ et refuse les dates impossibles", () => {
    expect(parseIpeDate("20180314")).toBe("2018-03-14");
    expect(parseIpeDate("2018-03-14")).toBe("2018-03-14");
    expect(parseIpeDate("14/03/2018")).toBe("2018-03-14");
    expect(parseIpeDate("20180231")).toBeUndefined();
    expect(parseIpeDate("2018031")).toBeUndefined();
  });

  it("tire le code de l'OI du nom de fichier", () => {
    expect(oiFromFileName("/tmp/IPE_Forbach_FIBA_PM_IPEZMD_V30_20210419.csv")).toEqual({
      codeOi: "FIBA",
      date: "2021-04-19",
    });
    expect(oiFromFileName("ipe.csv")).toBeUndefined();
  });

  it("lit les coordonnées WGS84, Lambert-93 et Web Mercator, virgule décimale", () => {
    expect(readCoordinates("-0,3591", "49,1762", "WGS84")).toEqual({ lon: -0.3591, lat: 49.1762 });
    const lambert = readCoordinates("454118,00", "6904338,00", "RFG93") as { lon: number; lat: number };
    expect(lambert.lon).toBeCloseTo(-0.37, 1);
    expect(lambert.lat).toBeCloseTo(49.18, 1);
    // Without a projection, the magnitude tells Lambert-93 from degrees.
    expect(readCoordinates("454118", "6904338", "")).toEqual(lambert);
    const mercator = webMercatorToLonLat(-41_278, 6_307_000);
    expect(readCoordinates("-41278", "6307000", "WGS84")).toEqual(mercator);
    expect(mercator.lat).toBeGreaterThan(49);
    expect(readCoordinates("", "", "")).toEqual({ lon: null, lat: null });
    expect(readCoordinates("1", "2", "LAMB2E")).toMatchObject({ field: "projection" });
    expect(readCoordinates("12a", "2", "WGS84")).toMatchObject({ field: "x" });
  });
});

describe("Analyse d'une ligne IPE", () => {
  it("donne un immeuble normalisé, commune ancienne ramenée au COG 2026", () => {
    const result = parser()(
      line(2, "IMB1;14002C0001;14002;RUE X;4;Déployé;454118,0;6904338,0;RGF93;DEPLOYE;20170901;IMMEUBLE"),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.line).toMatchObject({
      identifiant: "IMB1",
      codeInsee: "14150",
      codeOi: "NFIB",
      nbLocaux: 4,
      etatFtth: "deploye",
      etatPm: "deploye",
      dateMesCommerciale: "2017-09-01",
      type: "immeuble",
    });
  });

  it("rejette un état inconnu, une commune inconnue et un nombre de logements illisible en nommant ligne et champ", () => {
    const result = parser()(line(7, "IMB1;14118A0001;75056;RUE X;quatre;DEPLOIE;;;;;;"));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const fields = result.rejets.map((r) => [r.ligne, r.champ]);
    expect(fields).toEqual(
      expect.arrayContaining([
        [7, "EtatImmeuble"],
        [7, "CodeInseeImmeuble"],
        [7, "NombreLogementsAdresseIPE"],
      ]),
    );
    expect(result.rejets.find((r) => r.champ === "CodeInseeImmeuble")?.message).toMatch(/commune inconnue/);
  });

  it("refuse un en-tête lu avec le mauvais séparateur, et un fichier sans code OI", () => {
    expect(() => parser(HEADER.replaceAll(";", ","))).toThrow(/séparé par des « ; »/);
    expect(() => parser(HEADER, null)).toThrow(/CodeOI/);
    expect(() => parser(`${HEADER};CodeOI`, null)).not.toThrow();
  });
});
