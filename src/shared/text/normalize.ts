/**
 * Folds a French name for matching: lower case, no accents, ligatures expanded, every run of
 * punctuation (hyphens, apostrophes, dots) as one space. "Saint-Lô" and "saint lo" match.
 */
export function normalizeForSearch(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/œ/gi, "oe")
    .replace(/æ/gi, "ae")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

/** Escapes the LIKE wildcards of user input; pair with `escape '\'` in the query. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
