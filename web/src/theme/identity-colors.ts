// Applies the platform identity colours from /api/configuration as CSS custom properties. The
// server refuses colours below 4.5:1 against white (src/shared/config/config.ts), so both can carry
// white text and be used for text on the white page as they are.
export function applyIdentityColors(primary: string, accent: string): void {
  const root = document.documentElement.style;
  root.setProperty("--couleur-primaire", primary);
  root.setProperty("--couleur-accent", accent);
}
