// Applies the platform identity colours from /api/configuration as CSS custom properties,
// adjusting them so that text keeps a 4.5:1 contrast whatever colours the Région configured.

type Rgb = [number, number, number];

function parseHex(color: string): Rgb | null {
  const match = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim());
  if (!match?.[1]) return null;
  const hex =
    match[1].length === 3
      ? match[1]
          .split("")
          .map((c) => c + c)
          .join("")
      : match[1];
  return [0, 2, 4].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as Rgb;
}

function toHex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((v) => Math.round(v).toString(16).padStart(2, "0")).join("")}`;
}

function luminance([r, g, b]: Rgb): number {
  const channel = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

function contrast(a: Rgb, b: Rgb): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

const WHITE: Rgb = [255, 255, 255];
const INK: Rgb = [22, 22, 22];

/** Darkens `color` until it reaches 4.5:1 against white (for links and text on a white page). */
function darkenForWhiteBackground(color: Rgb): Rgb {
  let current = color;
  for (let step = 0; step < 20 && contrast(current, WHITE) < 4.5; step++) {
    current = current.map((v) => v * 0.9) as Rgb;
  }
  return current;
}

export function applyIdentityColors(primary: string, accent: string): void {
  const root = document.documentElement.style;
  const primaryRgb = parseHex(primary);
  const accentRgb = parseHex(accent);
  if (primaryRgb) {
    const readable = darkenForWhiteBackground(primaryRgb);
    root.setProperty("--couleur-primaire", toHex(readable));
    root.setProperty("--couleur-primaire-texte", contrast(readable, WHITE) >= 4.5 ? "#ffffff" : toHex(INK));
  }
  if (accentRgb) {
    const readable = darkenForWhiteBackground(accentRgb);
    root.setProperty("--couleur-accent", toHex(readable));
    root.setProperty("--couleur-accent-texte", contrast(readable, WHITE) >= 4.5 ? "#ffffff" : toHex(INK));
  }
}
