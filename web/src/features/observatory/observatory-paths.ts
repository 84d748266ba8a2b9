import type { Niveau } from "../../app/api-types.ts";
import { LEVELS } from "../territory/territory-levels.ts";

/** Address of a territory's observatory page: /observatoire/departements/14. */
export function observatoryPath(niveau: Niveau, code: string): string {
  return `/observatoire/${LEVELS[niveau].path}/${encodeURIComponent(code)}`;
}
