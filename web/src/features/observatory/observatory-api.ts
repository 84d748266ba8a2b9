import { getJson, query } from "../../app/api-client.ts";
import type { Niveau, Observatoire } from "../../app/api-types.ts";
import type { ExportFormat } from "./ExportLinks.tsx";
import type { Variant } from "./observatory-format.ts";

/** The views of GET /api/observatoire/{niveau}/{code}[/view]. */
export type ObservatoryView =
  | ""
  | "series"
  | "equite"
  | "zone-fibree"
  | "fermeture-cuivre"
  | "sites-strategiques"
  | "carte";

export interface ObservatoryParams {
  trimestre?: string;
  variante?: Variant;
  maille?: Niveau;
  /** Strategic sites export: the site list or the share per département and type. */
  tableau?: "sites" | "synthese";
  format?: ExportFormat;
}

export const observatoryApi = {
  url: (view: ObservatoryView, niveau: Niveau, code: string, params: ObservatoryParams = {}) =>
    `/api/observatoire/${niveau}/${encodeURIComponent(code)}${view ? `/${view}` : ""}${query({ ...params })}`,
  get: <T>(view: ObservatoryView, niveau: Niveau, code: string, params: ObservatoryParams = {}) =>
    getJson<T>(observatoryApi.url(view, niveau, code, params)),
  /** The latest published quarter's figures, with the list of quarters one can see. */
  latest: (niveau: Niveau, code: string) => observatoryApi.get<Observatoire>("", niveau, code),
};
