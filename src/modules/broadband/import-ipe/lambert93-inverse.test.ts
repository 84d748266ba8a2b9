import proj4 from "proj4";
import { describe, expect, it } from "vitest";
import { toLambert93 } from "../../addresses/search-addresses/lambert93.ts";
import { fromLambert93 } from "./lambert93-inverse.ts";

// EPSG:2154 as PROJ defines it: an independent implementation to compare with.
const LAMBERT93 =
  "+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs";

describe("Projection Lambert-93 inverse", () => {
  it("ramène l'origine de la projection à 3° E, 46,5° N", () => {
    const p = fromLambert93(700000, 6600000);
    expect(p.lon).toBeCloseTo(3, 7);
    expect(p.lat).toBeCloseTo(46.5, 7);
  });

  it("concorde avec PROJ et avec la projection directe, au centimètre", () => {
    for (const [x, y] of [
      [454_000, 6_904_000], // Caen
      [351_800, 6_789_300], // Rennes
      [1_050_400, 6_840_900], // Strasbourg
      [145_900, 6_836_200], // Brest
      [1_226_000, 6_190_000], // Bastia
    ] as const) {
      const [lon, lat] = proj4(LAMBERT93, "WGS84", [x, y]);
      const ours = fromLambert93(x, y);
      expect(Math.abs(ours.lon - lon)).toBeLessThan(2e-7);
      expect(Math.abs(ours.lat - lat)).toBeLessThan(2e-7);
      const back = toLambert93(ours.lon, ours.lat);
      expect(Math.abs(back.x - x)).toBeLessThan(0.03);
      expect(Math.abs(back.y - y)).toBeLessThan(0.03);
    }
  });

  it("place un point du centre de Caen (x 454 118, y 6 904 338) à Caen", () => {
    const p = fromLambert93(454118, 6904338);
    expect(p.lon).toBeCloseTo(-0.37, 1);
    expect(p.lat).toBeCloseTo(49.18, 1);
  });
});
