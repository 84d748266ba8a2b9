// Lambert-93 (EPSG:2154) → WGS84 longitude/latitude: the inverse of toLambert93
// (src/modules/addresses/search-addresses/lambert93.ts), with the same IGN constants (GRS80, secant
// cone at 44° and 49°). IPE files may give building positions in Lambert-93 ("RFG93", "RGF93").
const E = 0.0818191910428158;
const N = 0.725607765053267;
const C = 11754255.426096;
const XS = 700000;
const YS = 12655612.049876;
const LON0 = (3 * Math.PI) / 180;

/** Longitude and latitude (degrees, 7 decimals ≈ 1 cm) of a Lambert-93 point (metres). */
export function fromLambert93(x: number, y: number): { lon: number; lat: number } {
  const dx = x - XS;
  const dy = YS - y;
  const r = Math.hypot(dx, dy);
  const gamma = Math.atan2(dx, dy);
  const lambda = LON0 + gamma / N;
  // Isometric latitude, then the geodetic latitude by fixed-point iteration (IGN ALG0001).
  const isometric = -Math.log(r / C) / N;
  const expL = Math.exp(isometric);
  let phi = 2 * Math.atan(expL) - Math.PI / 2;
  for (let i = 0; i < 20; i++) {
    const sinPhi = Math.sin(phi);
    const next = 2 * Math.atan(((1 + E * sinPhi) / (1 - E * sinPhi)) ** (E / 2) * expL) - Math.PI / 2;
    if (Math.abs(next - phi) < 1e-12) {
      phi = next;
      break;
    }
    phi = next;
  }
  return { lon: round7((lambda * 180) / Math.PI), lat: round7((phi * 180) / Math.PI) };
}

const round7 = (v: number) => Math.round(v * 1e7) / 1e7;

/** True when (x, y) lies in the Lambert-93 extent of metropolitan France (with a margin). */
export function inLambert93Extent(x: number, y: number): boolean {
  return x >= 0 && x <= 1_400_000 && y >= 6_000_000 && y <= 7_200_000;
}
