import { createRequire } from "node:module";
import path from "node:path";
import { type CogCommune, loadRegionCog } from "../../../shared/cog/cog-source.ts";
import { normalizeForSearch } from "../../../shared/text/normalize.ts";
import { ADDRESSES_REFERENCE_DIR, tidyStreet } from "../../addresses/generate-demo-addresses/strategic-sites.ts";
import type { TypeSiteStrategique } from "../broadband.tables.ts";
import { type CsvLine, openCsv } from "../import-common/csv-reader.ts";
import { columnsOf } from "../import-common/file-checks.ts";
import { type Rejet, rejet } from "../import-common/rejections.ts";

/**
 * The real public-site files the platform ships (src/modules/addresses/reference-data, see its
 * SOURCES.md): collèges (national schools directory), hospitals (FINESS via GISCO), main
 * higher-education establishments (MESR).
 */
export const SITE_FILES = {
  college: path.join(ADDRESSES_REFERENCE_DIR, "colleges-france.csv"),
  sante: path.join(ADDRESSES_REFERENCE_DIR, "etablissements-sante-france.csv"),
  enseignement_superieur: path.join(
    ADDRESSES_REFERENCE_DIR,
    "fr-esr-principaux-etablissements-enseignement-superieur.csv",
  ),
} as const;

/** One site of the région, before it is linked to a building. */
export interface SiteSource {
  ligne: number;
  fichier: string;
  id: string;
  type: TypeSiteStrategique;
  nom: string;
  numero: string | null;
  voie: string | null;
  adresse: string | null;
  /** COG 2026 commune, or the candidates when only the postcode is known (hospitals). */
  codeInsee: string;
  lon: number | null;
  lat: number | null;
}

export type SiteParseResult = { ok: true; site: SiteSource } | { ok: false; rejets: Rejet[] } | { ok: "hors_region" };

interface RegionCommunes {
  current(code: string): string | undefined;
  /** Communes of the région by postcode. */
  byPostcode: Map<string, string[]>;
  /** Communes of the région by normalised name. */
  byName: Map<string, string[]>;
}

const regionCache = new Map<string, RegionCommunes>();
function regionCommunes(region: string): RegionCommunes {
  const cached = regionCache.get(region);
  if (cached) return cached;
  const cog = loadRegionCog(region);
  const byPostcode = new Map<string, string[]>();
  const byName = new Map<string, string[]>();
  for (const c of cog.communes) {
    for (const cp of c.codesPostaux ?? []) byPostcode.set(cp, [...(byPostcode.get(cp) ?? []), c.code]);
    const name = normalizeForSearch(c.nom);
    byName.set(name, [...(byName.get(name) ?? []), c.code]);
  }
  // Delegated and associated communes keep their old names in addresses ("VIRE", "CHERBOURG
  // OCTEVILLE"): their names lead to the current commune too.
  const all = createRequire(import.meta.url)("@etalab/decoupage-administratif/data/communes.json") as CogCommune[];
  for (const c of all) {
    if (c.type !== "commune-deleguee" && c.type !== "commune-associee") continue;
    const current = cog.currentCommuneCode(c.code);
    if (current === undefined) continue;
    const name = normalizeForSearch(c.nom);
    if (!byName.get(name)?.includes(current)) byName.set(name, [...(byName.get(name) ?? []), current]);
  }
  const result = { current: (code: string) => cog.currentCommuneCode(code.trim()), byPostcode, byName };
  regionCache.set(region, result);
  return result;
}

/** "12 bis rue X" → numero "12", voie "rue X" (for matching a building's address). */
export function splitStreet(text: string): { numero: string | null; voie: string | null } {
  const m = /^\s*(\d{1,5})\s*(?:bis|ter|quater|[a-d](?=\s))?[\s,]+(.+)$/i.exec(text);
  if (!m) return { numero: null, voie: text.trim() === "" ? null : tidyStreet(text) };
  return { numero: String(Number(m[1])), voie: tidyStreet(m[2] as string) };
}

const number = (text: string | undefined): number | null => {
  const v = (text ?? "").trim().replace(",", ".");
  if (v === "" || !/^-?\d+(\.\d+)?$/.test(v)) return null;
  return Number(v);
};

type Parser = (line: CsvLine) => SiteParseResult;

/**
 * Schools directory: the « Adresse et géolocalisation des établissements » columns (numero_uai,
 * appellation_officielle, adresse_uai, code_postal_uai, code_commune, latitude, longitude,
 * nature_uai_libe, etat_etablissement_libe) or the « Annuaire de l'éducation » ones
 * (Identifiant_de_l_etablissement, Nom_etablissement, Type_etablissement, Adresse_1, Code_postal,
 * Code_commune, latitude, longitude, etat). Only open collèges of the région are kept.
 */
export function collegeParser(header: CsvLine, fichier: string, region: string): Parser {
  const col = columnsOf(
    header,
    {
      obligatoires: [
        ["numero_uai", "identifiant_de_l_etablissement"],
        ["appellation_officielle", "nom_etablissement"],
        "code_commune",
      ],
      facultatives: [
        ["adresse_uai", "adresse_1"],
        ["code_postal_uai", "code_postal"],
        ["libelle_commune", "nom_commune"],
        "latitude",
        "longitude",
        ["nature_uai_libe", "type_etablissement"],
        ["etat_etablissement_libe", "etat"],
      ],
    },
    fichier,
  );
  const communes = regionCommunes(region);
  return (line) => {
    const get = (name: string) => {
      const i = col.get(name);
      return i === undefined ? "" : (line.champs[i] ?? "").trim();
    };
    const codeInsee = communes.current(get("code_commune").padStart(5, "0"));
    if (codeInsee === undefined) return { ok: "hors_region" };
    const nature = normalizeForSearch(get("nature_uai_libe"));
    if (nature !== "" && !nature.startsWith("college")) return { ok: "hors_region" };
    const etat = normalizeForSearch(get("etat_etablissement_libe"));
    if (etat !== "" && etat !== "ouvert" && etat !== "1") return { ok: "hors_region" };
    const uai = get("numero_uai").toUpperCase();
    if (!/^\d{7}[A-Z]$/.test(uai))
      return {
        ok: false,
        rejets: [rejet(line.ligne, "numero_uai", uai, "numéro UAI attendu (7 chiffres et une lettre)", fichier)],
      };
    const street = get("adresse_uai");
    return {
      ok: true,
      site: {
        ligne: line.ligne,
        fichier,
        id: `college:${uai}`,
        type: "college",
        nom: get("appellation_officielle") || uai,
        ...splitStreet(street),
        adresse:
          [street, [get("code_postal_uai"), get("libelle_commune")].filter(Boolean).join(" ")]
            .filter(Boolean)
            .join(", ") || null,
        codeInsee,
        lon: number(get("longitude")),
        lat: number(get("latitude")),
      },
    };
  };
}

/** Hospitals (GISCO from FINESS): id, hospital_name, lat, lon, street, house_number, postcode, city, cc. */
export function santeParser(header: CsvLine, fichier: string, region: string): Parser {
  const col = columnsOf(
    header,
    {
      obligatoires: ["id", "hospital_name", "postcode"],
      facultatives: ["lat", "lon", "street", "house_number", "city", "cc"],
    },
    fichier,
  );
  const communes = regionCommunes(region);
  const departements = new Set(loadRegionCog(region).departements.map((d) => d.code));
  return (line) => {
    const get = (name: string) => {
      const i = col.get(name);
      return i === undefined ? "" : (line.champs[i] ?? "").trim();
    };
    const cc = get("cc");
    if (cc !== "" && cc !== "FR") return { ok: "hors_region" };
    const postcode = get("postcode").padStart(5, "0");
    if (!departements.has(postcode.slice(0, 2))) return { ok: "hors_region" };
    // No commune code in this file: the postcode's communes, told apart by the city name.
    const city = normalizeForSearch(get("city"))
      .replace(/\bcedex\b.*$/, "")
      .replace(/\bst\b/g, "saint")
      .trim();
    const byPostcode = communes.byPostcode.get(postcode) ?? [];
    const byName = (communes.byName.get(city) ?? []).filter((c) => c.startsWith(postcode.slice(0, 2)));
    const both = byPostcode.filter((c) => byName.includes(c));
    const codeInsee = both[0] ?? (byPostcode.length === 1 ? byPostcode[0] : undefined) ?? byName[0] ?? byPostcode[0];
    if (codeInsee === undefined)
      return {
        ok: false,
        rejets: [
          rejet(
            line.ligne,
            "postcode",
            `${postcode} ${get("city")}`,
            "commune introuvable dans la région (code postal et ville)",
            fichier,
          ),
        ],
      };
    const id = get("id");
    if (id === "")
      return { ok: false, rejets: [rejet(line.ligne, "id", id, "identifiant FINESS obligatoire", fichier)] };
    const numero = /^\d{1,5}$/.test(get("house_number")) ? String(Number(get("house_number"))) : null;
    const voie = get("street") === "" ? null : tidyStreet(get("street"));
    return {
      ok: true,
      site: {
        ligne: line.ligne,
        fichier,
        id: `sante:${id}`,
        type: "sante",
        nom: get("hospital_name") || id,
        numero,
        voie,
        adresse:
          [[numero, voie].filter(Boolean).join(" "), [postcode, get("city")].filter(Boolean).join(" ")]
            .filter(Boolean)
            .join(", ") || null,
        codeInsee,
        lon: number(get("lon")),
        lat: number(get("lat")),
      },
    };
  };
}

/** Higher education (MESR): etablissement_id_paysage, uai, uo_lib, com_code, adresse_uai, code_postal_uai, coordonnees "lat,lon". */
export function enseignementSuperieurParser(header: CsvLine, fichier: string, region: string): Parser {
  const col = columnsOf(
    header,
    {
      obligatoires: ["uo_lib", "com_code"],
      facultatives: [
        "etablissement_id_paysage",
        "uai",
        "adresse_uai",
        "code_postal_uai",
        "com_nom",
        "coordonnees",
        "date_fermeture",
      ],
    },
    fichier,
  );
  const communes = regionCommunes(region);
  return (line) => {
    const get = (name: string) => {
      const i = col.get(name);
      return i === undefined ? "" : (line.champs[i] ?? "").trim();
    };
    const codeInsee = communes.current(get("com_code"));
    if (codeInsee === undefined || get("date_fermeture") !== "") return { ok: "hors_region" };
    const id = get("etablissement_id_paysage") || get("uai");
    if (id === "")
      return {
        ok: false,
        rejets: [rejet(line.ligne, "etablissement_id_paysage", id, "identifiant obligatoire", fichier)],
      };
    const [latText, lonText] = get("coordonnees").split(",");
    const street = get("adresse_uai");
    return {
      ok: true,
      site: {
        ligne: line.ligne,
        fichier,
        id: `enseignement_superieur:${id}`,
        type: "enseignement_superieur",
        nom: get("uo_lib"),
        ...splitStreet(street),
        adresse:
          [street, [get("code_postal_uai"), get("com_nom")].filter(Boolean).join(" ")].filter(Boolean).join(", ") ||
          null,
        codeInsee,
        lon: number(lonText),
        lat: number(latText),
      },
    };
  };
}

export const PARSERS: Record<TypeSiteStrategique, (header: CsvLine, fichier: string, region: string) => Parser> = {
  college: collegeParser,
  sante: santeParser,
  enseignement_superieur: enseignementSuperieurParser,
};

/** Reads one site file: the région's sites, the rejections, and how many lines were read. */
export async function readSites(
  chemin: string,
  nom: string,
  type: TypeSiteStrategique,
  region: string,
  encodage: "utf-8" | "windows-1252",
): Promise<{ sites: SiteSource[]; rejets: Rejet[]; lignes: number }> {
  const reader = await openCsv(chemin, { encodage });
  const sites: SiteSource[] = [];
  const rejets: Rejet[] = [];
  let parse: Parser | undefined;
  let lignes = 0;
  for await (const line of reader.lines()) {
    if (!parse) {
      parse = PARSERS[type](line, nom, region);
      continue;
    }
    lignes++;
    const result = parse(line);
    if (result.ok === true) sites.push(result.site);
    else if (result.ok === false) rejets.push(...result.rejets);
  }
  return { sites, rejets, lignes };
}
