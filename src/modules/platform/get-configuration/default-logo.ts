/** The built-in mark, drawn in the configured colours: a map pin over three network links. */
export const DEFAULT_LOGO_SVG = (primary: string, accent: string): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-label="Territoire Numérique">
<rect width="64" height="64" rx="12" fill="${primary}"/>
<path d="M32 10c-8.3 0-15 6.5-15 14.6C17 35.5 32 54 32 54s15-18.5 15-29.4C47 16.5 40.3 10 32 10z" fill="#fff"/>
<circle cx="32" cy="25" r="6" fill="${accent}"/>
<path d="M14 50h36" stroke="#fff" stroke-width="3" stroke-linecap="round"/>
</svg>`;
