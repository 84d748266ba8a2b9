import { readFileSync } from "node:fs";
import type { Position } from "geojson";
import { describe, expect, it } from "vitest";
import { loadRegionCog } from "../../../shared/cog/cog-source.ts";
import { ReferenceGeoSource } from "../../territory/import-territories/reference-geo-source.ts";
import { BAN_HEADER } from "../import-ban/ban-format.ts";
import { toLambert93 } from "../search-addresses/lambert93.ts";
import { fixtureCommunes, generateFixture } from "../test-fixtures.ts";
import { inShape, shapeOf } from "./geometry.ts";
import { splitAddress, tidyStreet } from "./strategic-sites.ts";

describe("Adresses de démonstration", () => {
  const first = generateFixture(7);
  const text = readFileSync(first.file, "utf8");
  const rows = text
    .trimEnd()
    .split("\n")
    .slice(1)
    .map((line) => line.split(";"));

  it("sont déterministes : même graine, mêmes octets ; autre graine, autre fichier", () => {
    const again = generateFixture(7);
    expect(readFileSync(again.file).equals(readFileSync(first.file))).toBe(true);
    const other = generateFixture(8);
    expect(readFileSync(other.file).equals(readFileSync(first.file))).toBe(false);
  });

  it("écrivent un CSV BAN de 23 colonnes aux identifiants uniques, pour toutes les communes de l'EPCI", () => {
    expect(text.startsWith(`${BAN_HEADER}\n`)).toBe(true);
    expect(rows.every((r) => r.length === 23)).toBe(true);
    expect(new Set(rows.map((r) => r[0])).size).toBe(rows.length);
    expect(new Set(rows.map((r) => r[6]))).toEqual(new Set(fixtureCommunes()));
    expect(first.report.adresses).toBe(rows.length);
    // Some bis/ter, some lieux-dits, some « Route de <commune voisine> ».
    expect(rows.some((r) => r[3] === "bis")).toBe(true);
    expect(rows.some((r) => r[0]?.split("_")[1]?.startsWith("b"))).toBe(true);
    expect(rows.some((r) => r[4]?.startsWith("Route "))).toBe(true);
  });

  it("comptent des lieux-dits sans numéro au format BAN : leur ligne propre, numéro 99999, id <insee>_<voie>_99999", () => {
    const lieuxDits = rows.filter((r) => r[2] === "99999");
    expect(lieuxDits.length).toBeGreaterThan(5);
    expect(lieuxDits.length).toBe(first.report.lieuxDits);
    for (const r of lieuxDits) {
      expect(r[0]).toMatch(/^61\d{3}_b\d{3,}_99999$/);
      expect(r[1]).toBe(r[0]?.replace(/_99999$/, ""));
      expect(r[3]).toBe("");
      expect(r[4]).not.toBe("");
    }
    // A lieu-dit's name is never one of its commune's street names.
    const streetNames = new Set(rows.filter((r) => r[2] !== "99999").map((r) => `${r[6]}|${r[4]}`));
    expect(lieuxDits.filter((r) => streetNames.has(`${r[6]}|${r[4]}`))).toEqual([]);
  });

  it("placent chaque point inventé dans le polygone de sa commune", () => {
    const cog = loadRegionCog("28");
    const pieces = new Map<string, Position[][][]>();
    for (const [code, surface] of new ReferenceGeoSource().communeSurfaces("61")) {
      const current = cog.currentCommuneCode(code);
      if (!current) continue;
      const list = pieces.get(current) ?? [];
      list.push(...(surface.type === "Polygon" ? [surface.coordinates] : surface.coordinates));
      pieces.set(current, list);
    }
    const outside: string[] = [];
    let checked = 0;
    for (const r of rows) {
      const [id, , , , , , code, , , , , , lon, lat] = r;
      // Real sites (street code s…) keep their published position.
      if (id?.split("_")[1]?.startsWith("s")) continue;
      const shape = shapeOf(pieces.get(code ?? "") ?? []);
      checked++;
      if (!inShape(shape, Number(lon), Number(lat))) outside.push(id ?? "");
    }
    expect(checked).toBeGreaterThan(2000);
    expect(outside).toEqual([]);
  });

  it("donnent x/y en Lambert-93 comme la BAN, calculés depuis lon/lat", () => {
    for (const r of rows.slice(0, 500)) {
      const [x, y, lon, lat] = [r[10], r[11], r[12], r[13]].map(Number) as [number, number, number, number];
      const expected = toLambert93(lon, lat);
      expect(x).toBeCloseTo(expected.x, 1);
      expect(y).toBeCloseTo(expected.y, 1);
      // The Orne, in metres: x about 400–560 km, y about 6,780–6,880 km.
      expect(x).toBeGreaterThan(380_000);
      expect(x).toBeLessThan(580_000);
      expect(y).toBeGreaterThan(6_760_000);
      expect(y).toBeLessThan(6_900_000);
    }
  });

  it("reprennent les vrais sites stratégiques (ex. le collège de La Ferté-Macé) avec leur adresse", () => {
    expect(first.report.sites).toBeGreaterThan(0);
    expect(rows.filter((r) => r[0]?.split("_")[1]?.startsWith("s")).length).toBe(first.report.sites);
  });

  it("mettent en forme les adresses publiées des sites", () => {
    expect(splitAddress("2 rue DE MACHEVILLE")).toEqual({ numero: 2, rep: null, voie: "Rue de Macheville" });
    expect(splitAddress("12 bis av DU GENERAL LECLERC")).toEqual({
      numero: 12,
      rep: "bis",
      voie: "Avenue du General Leclerc",
    });
    expect(tidyStreet("QU ENGUERRAND DE MARIGNY")).toBe("Quai Enguerrand de Marigny");
    expect(tidyStreet("RUE DE L'HOPITAL")).toBe("Rue de l'Hopital");
  });
});
