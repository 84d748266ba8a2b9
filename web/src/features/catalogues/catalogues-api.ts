import type {
  NouvelleVersion,
  Offre,
  OffreCatalogue,
  VersionDetail,
  VersionResume,
} from "../../../../src/modules/eligibility/service-catalogues/catalogue.schemas.ts";
import { getFreshJson, query, sendForm, sendJson } from "../../app/api-client.ts";

// The API's shapes come from the server's route schemas (type-only imports).
export type OffreServie = Offre;
export type OffreDuCatalogue = OffreCatalogue;
export type NouvelleVersionBody = NouvelleVersion;
export type { VersionDetail, VersionResume };
export type Famille = OffreServie["famille"];

export interface ReseauCatalogue {
  reseau: string;
  reseauNom: string;
  exemple: boolean;
  enVigueur: VersionResume | null;
  aVenir: VersionResume[];
  nbVersions: number;
}
export interface ListeCatalogues {
  date: string;
  reseaux: ReseauCatalogue[];
  avertissement: string | null;
}
export interface VersionsReseau {
  reseau: string;
  reseauNom: string;
  versions: VersionResume[];
  avertissement: string | null;
}
export interface Comparaison {
  date: string;
  offres: OffreServie[];
  avertissement: string | null;
}
export interface ComparaisonFiltres {
  date?: string;
  famille?: string;
  reseau?: string;
}

/** One problem of a refused write or import, as the API details it. */
export interface ProblemeCatalogue {
  champ: string;
  offre?: number;
  ligne?: number;
  message: string;
}

const base = (reseau: string) => `/api/catalogues/${encodeURIComponent(reseau)}`;

/** Catalogues change when operators publish: never cached. */
export const cataloguesApi = {
  list: () => getFreshJson<ListeCatalogues>("/api/catalogues"),
  network: (reseau: string) => getFreshJson<VersionsReseau>(base(reseau)),
  versionUrl: (reseau: string, version: string, format?: "csv" | "xlsx") =>
    `${base(reseau)}/versions/${encodeURIComponent(version)}${query({ format })}`,
  version: (reseau: string, version: string) => getFreshJson<VersionDetail>(cataloguesApi.versionUrl(reseau, version)),
  comparisonUrl: (filters: ComparaisonFiltres, format?: "csv" | "xlsx") =>
    `/api/catalogues/comparaison${query({ ...filters, format })}`,
  compare: (filters: ComparaisonFiltres) => getFreshJson<Comparaison>(cataloguesApi.comparisonUrl(filters)),
  create: (reseau: string, body: NouvelleVersionBody) =>
    sendJson<VersionDetail>("POST", `${base(reseau)}/versions`, body),
  remove: (reseau: string, version: string) =>
    sendJson("DELETE", `${base(reseau)}/versions/${encodeURIComponent(version)}`),
  import: (reseau: string, form: FormData) => sendForm<VersionDetail>(`${base(reseau)}/versions/import`, form),
};

export const FAMILLES: { value: Famille; label: string }[] = [
  { value: "ftth", label: "FttH" },
  { value: "ftth_pro", label: "FttH pro" },
  { value: "ftte_passive", label: "FttE passive (NRO ou PM)" },
  { value: "ftte_active", label: "FttE activée" },
  { value: "ftto", label: "FttO (fibre dédiée)" },
];
export const familleLabel = (famille: string) => FAMILLES.find((f) => f.value === famille)?.label ?? famille;

const euros = new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR", maximumFractionDigits: 2 });
const decimal = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 2 });

/** « 1 Gbit/s » or « 100 Mbit/s ». */
export function formatRate(mbps: number | null): string {
  if (mbps === null) return "—";
  return mbps >= 1000 ? `${decimal.format(mbps / 1000)} Gbit/s` : `${decimal.format(mbps)} Mbit/s`;
}

export function formatPrice(value: number | null, surDevis: boolean): string {
  if (surDevis) return "sur devis";
  return value === null ? "—" : `${euros.format(value)} HT`;
}

export function formatGtr(offre: { gtrHeures: number | null; gtrLabel: string | null }): string {
  if (offre.gtrLabel) return offre.gtrLabel;
  return offre.gtrHeures === null ? "aucune" : `${decimal.format(offre.gtrHeures)} h`;
}

export const formatPercent = (value: number | null) => (value === null ? "—" : `${decimal.format(value)} %`);

export const STATUTS: Record<VersionResume["statut"], string> = {
  passee: "Passée",
  en_vigueur: "En vigueur",
  a_venir: "À venir",
};

export { formatDate } from "../../app/format.ts";
