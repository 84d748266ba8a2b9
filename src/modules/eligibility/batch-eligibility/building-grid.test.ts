import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../shared/testing/seeded-random.ts";
import { distanceMetres, MAX_DISTANCE_M } from "../nearest-building.ts";
import { BuildingGrid } from "./building-grid.ts";

describe("grille des immeubles (plus proche immeuble à moins de 200 m)", () => {
  it("donne le même immeuble qu'une recherche exhaustive, égalités comprises, et rien hors de la zone", () => {
    const rnd = seededRandom(42);
    const n = 5000;
    // Buildings packed in a small area (a town), some at the very same position.
    const ids = Array.from({ length: n }, (_, i) => `IMB-${String(n - i).padStart(5, "0")}`);
    const lats = Float64Array.from({ length: n }, (_, i) => (i % 50 === 1 ? 0 : 49.1 + rnd() * 0.05));
    const lons = Float64Array.from({ length: n }, (_, i) => (i % 50 === 1 ? 0 : -0.4 + rnd() * 0.08));
    for (let i = 1; i < n; i += 50) {
      lats[i] = lats[i - 1] as number;
      lons[i] = lons[i - 1] as number;
    }
    const grid = BuildingGrid.build(ids, lats, lons);
    expect(grid.size).toBe(n);
    let found = 0;
    for (let q = 0; q < 2000; q++) {
      const lat = 49.095 + rnd() * 0.06;
      const lon = -0.41 + rnd() * 0.1;
      let best: { id: string; distance: number } | null = null;
      for (let i = 0; i < n; i++) {
        const d = distanceMetres(lat, lon, lats[i] as number, lons[i] as number);
        if (d > MAX_DISTANCE_M) continue;
        const id = ids[i] as string;
        if (best === null || d < best.distance || (d === best.distance && id < best.id)) best = { id, distance: d };
      }
      expect(grid.nearest(lat, lon, MAX_DISTANCE_M, distanceMetres)).toEqual(best);
      if (best) found++;
    }
    expect(found).toBeGreaterThan(1000);
    expect(grid.nearest(43.3, 5.4, MAX_DISTANCE_M, distanceMetres)).toBeNull();
    expect(grid.nearest(49.09, -0.5, MAX_DISTANCE_M, distanceMetres)).toBeNull();
  });
});
