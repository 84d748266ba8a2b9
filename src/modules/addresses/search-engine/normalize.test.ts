import { describe, expect, it } from "vitest";
import { foldText, nameTokens, parseQuery } from "./normalize.ts";

describe("foldText", () => {
  it("folds case, accents, ligatures, apostrophes, hyphens and punctuation", () => {
    expect(foldText("L'Église Saint-Étienne")).toBe("l eglise saint etienne");
    expect(foldText("Œuvre  du Cœur, Ærodrome!")).toBe("oeuvre du coeur aerodrome");
    expect(foldText("RUE DE L’ABBAYE")).toBe("rue de l abbaye");
  });
});

describe("nameTokens", () => {
  it("drops stop words and maps abbreviations and full words to the same token", () => {
    expect(nameTokens("Boulevard du Maréchal Leclerc")).toEqual(["boulevard", "marechal", "leclerc"]);
    expect(nameTokens("bd mal leclerc")).toEqual(nameTokens("Boulevard du Maréchal Leclerc"));
    expect(nameTokens("Rue de l'Église")).toEqual(["rue", "eglise"]);
  });

  it.each([
    ["bd", "boulevard"],
    ["av", "avenue"],
    ["r", "rue"],
    ["imp", "impasse"],
    ["pl", "place"],
    ["rte", "route"],
    ["che", "chemin"],
    ["all", "allée"],
    ["st", "saint"],
    ["ste", "sainte"],
    ["mal", "maréchal"],
    ["gal", "général"],
    ["pdt", "président"],
    ["fg", "faubourg"],
    ["sq", "square"],
    ["lt", "lotissement"],
    ["res", "résidence"],
    ["qu", "quai"],
    ["crs", "cours"],
  ])("%s and %s give one token", (short, long) => {
    expect(nameTokens(short)).toEqual(nameTokens(long));
  });

  it("folds ordinals and plurals", () => {
    expect(nameTokens("Rue du 1er Mai")).toEqual(nameTokens("rue du premier mai"));
    expect(nameTokens("2ème Avenue")).toEqual(nameTokens("deuxième avenue"));
    expect(nameTokens("Allée des Tilleuls")).toEqual(nameTokens("allee du tilleul"));
  });
});

describe("parseQuery", () => {
  it("reads a house number with its suffix before the street, glued or not", () => {
    expect(parseQuery("12 bis rue de la Fontaine").housenumber).toEqual({ numero: 12, rep: "b" });
    expect(parseQuery("12bis rue de la Fontaine").housenumber).toEqual({ numero: 12, rep: "b" });
    expect(parseQuery("3 ter, avenue Foch").housenumber).toEqual({ numero: 3, rep: "t" });
    expect(parseQuery("8 a rue Foch").housenumber).toEqual({ numero: 8, rep: "a" });
    expect(parseQuery("0012 rue Foch").housenumber).toEqual({ numero: 12, rep: "" });
  });

  it("keeps numbers after the street as possible house numbers", () => {
    const parsed = parseQuery("rue de la Fontaine 12 14000 Caen");
    expect(parsed.housenumber).toBeNull();
    expect(parsed.looseNumbers.map((n) => n.numero)).toEqual([12]);
    expect(parsed.tokens).toContain("14000");
  });

  it("removes BP, CS, CEDEX, floors, flats and buildings", () => {
    const parsed = parseQuery("Appt 12, 3e étage, Bât B, 10 rue Gustave Delory BP 123 CS 40001 59017 LILLE CEDEX 9");
    expect(parsed.tokens).toEqual(["rue", "gustave", "delory", "59017", "lille"]);
    expect(parsed.housenumber).toEqual({ numero: 10, rep: "" });
  });

  it("drops a company name before the number and street type, keeping it aside", () => {
    const parsed = parseQuery("SARL Dupont Plomberie 4 rue du Port 80000 Amiens");
    expect(parsed.tokens).toEqual(["rue", "port", "80000", "amien"]);
    expect(parsed.leading).toEqual(["sarl", "dupont", "plomberie"]);
    expect(parsed.housenumber).toEqual({ numero: 4, rep: "" });
  });

  it("drops nothing when the query starts with its number and street type, as addok takes the first match", () => {
    // "1944 val" further on is a number and a street type too: the street is "allée du 6 juin 1944".
    const parsed = parseQuery("24 allée du 6 juin 1944 val de drôme");
    expect(parsed.housenumber).toEqual({ numero: 24, rep: "" });
    expect(parsed.leading).toEqual([]);
    expect(parsed.tokens).toEqual(expect.arrayContaining(["juin", "1944", "val", "drome"]));
    expect(parseQuery("2 imp du 8 mai 1945 Cour-Maugis sur Huisne").tokens).toContain("mai");
  });

  it("reads s/ as sur and drops leading zeros of house numbers", () => {
    expect(parseQuery("12 r. de la Fontaine s/ Orne").tokens).toEqual(["rue", "fontaine", "orne"]);
    expect(parseQuery("00012 RUE SAINT PIERRE").housenumber).toEqual({ numero: 12, rep: "" });
    expect(parseQuery("4 rue du Lavoir 01000 Bourg-en-Bresse").tokens).toContain("01000");
  });

  it("marks the last word as a prefix unless the query ends with a space", () => {
    expect(parseQuery("rue de la font").lastPrefix).toBe("font");
    expect(parseQuery("rue de la font ").lastPrefix).toBe("");
  });
});
