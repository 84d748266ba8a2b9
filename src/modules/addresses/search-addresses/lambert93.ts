// Lambert-93 (EPSG:2154), the legal projection of metropolitan France, in which the national address
// API gives `x` and `y`. Constants of the IGN's algorithm (GRS80, secant cone at 44° and 49°).
const E = 0.0818191910428158;
const N = 0.725607765053267;
const C = 11754255.426096;
const XS = 700000;
const YS = 12655612.049876;
const LON0 = (3 * Math.PI) / 180;

export function toLambert93(lon: number, lat: number): { x: number; y: number } {
  const phi = (lat * Math.PI) / 180;
  const sinPhi = Math.sin(phi);
  const isometric = Math.log(Math.tan(Math.PI / 4 + phi / 2) * ((1 - E * sinPhi) / (1 + E * sinPhi)) ** (E / 2));
  const r = C * Math.exp(-N * isometric);
  const gamma = N * ((lon * Math.PI) / 180 - LON0);
  return {
    x: Math.round((XS + r * Math.sin(gamma)) * 100) / 100,
    y: Math.round((YS - r * Math.cos(gamma)) * 100) / 100,
  };
}
