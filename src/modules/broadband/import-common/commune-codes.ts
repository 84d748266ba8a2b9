import { loadRegionCog, type RegionCog } from "../../../shared/cog/cog-source.ts";

/** Département of a commune code: "14118" → "14", "97411" → "974", "2A004" → "2A". */
export function departementOfCommune(code: string): string {
  return code.startsWith("97") ? code.slice(0, 3) : code.slice(0, 2);
}

/**
 * Where a commune code of a source file goes:
 * - `commune`: a COG 2026 commune of the région (former, delegated and associated codes folded
 *   onto the current commune; a leading zero lost by a spreadsheet restored);
 * - `autre`: a commune of another région, skipped and counted;
 * - `invalide`: not a commune code at all; `inconnue`: a code of the région's départements that
 *   no COG 2026 commune accounts for. Both are rejections.
 */
export type CommuneResolution =
  | { kind: "commune"; code: string }
  | { kind: "autre" }
  | { kind: "invalide"; message: string }
  | { kind: "inconnue"; message: string };

export interface CommuneResolver {
  cog: RegionCog;
  resolve(code: string): CommuneResolution;
  /** COG 2026 département of a current commune. */
  departementOf(code: string): string;
}

const resolvers = new Map<string, CommuneResolver>();

export function communeResolver(region: string): CommuneResolver {
  const known = resolvers.get(region);
  if (known) return known;
  const cog = loadRegionCog(region);
  const departements = new Set(cog.departements.map((d) => d.code));
  const departementOfCurrent = new Map(
    cog.communes.map((c) => [c.code, c.departement ?? departementOfCommune(c.code)]),
  );
  const memo = new Map<string, CommuneResolution>();
  const compute = (raw: string): CommuneResolution => {
    const text = raw.trim().toUpperCase();
    const code = /^\d{4}$/.test(text) ? `0${text}` : text;
    if (!/^(\d{5}|2[AB]\d{3})$/.test(code))
      return { kind: "invalide", message: "code commune invalide (5 caractères attendus)" };
    const current = cog.currentCommuneCode(code);
    if (current) return { kind: "commune", code: current };
    // A former commune of another département may have joined one of the région: handled above.
    if (!departements.has(departementOfCommune(code))) return { kind: "autre" };
    return { kind: "inconnue", message: "commune inconnue du COG 2026 (ni actuelle, ni ancienne, ni déléguée)" };
  };
  const resolver: CommuneResolver = {
    cog,
    resolve(code) {
      let result = memo.get(code);
      if (!result) {
        result = compute(code);
        memo.set(code, result);
      }
      return result;
    },
    departementOf: (code) => departementOfCurrent.get(code) ?? departementOfCommune(code),
  };
  resolvers.set(region, resolver);
  return resolver;
}
