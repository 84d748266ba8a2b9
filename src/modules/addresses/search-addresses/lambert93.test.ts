import proj4 from "proj4";
import { describe, expect, it } from "vitest";
import { toLambert93 } from "./lambert93.ts";

// EPSG:2154 as PROJ defines it: an independent implementation to compare with.
const LAMBERT93 =
  "+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs";

describe("Projection Lambert-93", () => {
  it("donne l'origine de la projection", () => {
    expect(toLambert93(3, 46.5).x).toBeCloseTo(700000, 1);
    expect(toLambert93(3, 46.5).y).toBeCloseTo(6600000, 1);
  });

  it("concorde avec PROJ au centimètre sur toute la France métropolitaine", () => {
    for (const [lon, lat] of [
      [-0.3707, 49.1829], // Caen
      [-1.6778, 48.1173], // Rennes
      [7.7521, 48.5734], // Strasbourg
      [-4.486, 48.3904], // Brest
      [9.45, 42.7], // Bastia
    ] as const) {
      const [x, y] = proj4("WGS84", LAMBERT93, [lon, lat]);
      const ours = toLambert93(lon, lat);
      expect(Math.abs(ours.x - x)).toBeLessThan(0.02);
      expect(Math.abs(ours.y - y)).toBeLessThan(0.02);
    }
  });
});
