import type { EtatFtth } from "../broadband.tables.ts";
import type { CsvLine } from "../import-common/csv-reader.ts";
import { type Rejet, rejet, ThdFileError } from "../import-common/rejections.ts";
import {
  IPE_ALIASES,
  IPE_COLUMNS,
  IPE_REQUIRED,
  type IpeColumn,
  normaliseEtatImmeuble,
  normaliseEtatPm,
  normaliseProjection,
  normaliseTypeImmeuble,
  parseDecimal,
  parseIpeDate,
} from "./ipe-format.ts";
import { fromLambert93, inLambert93Extent } from "./lambert93-inverse.ts";

/** Id prefix of a building created from an IPE line (one that no base_imb building matches). */
export const IPE_ID_PREFIX = "ipe:";

/** One valid IPE line, normalised. */
export interface IpeLine {
  ligne: number;
  /** IdentifiantImmeuble, or null when the OI does not fill it. */
  identifiant: string | null;
  hexacle: string;
  batiment: string | null;
  codeOi: string;
  /** BAN interoperability key (optional CodeBAN column). */
  adresseId: string | null;
  /** COG 2026 commune code (older codes mapped). */
  codeInsee: string;
  numero: string | null;
  rep: string | null;
  nomVoie: string | null;
  lon: number | null;
  lat: number | null;
  type: "pavillon" | "immeuble" | null;
  nbLocaux: number;
  etatFtth: EtatFtth;
  referencePm: string | null;
  etatPm: "en_cours" | "deploye" | "abandonne" | null;
  /** Commercial opening: the PM's, else the building's own when the OI gives it. */
  dateMesCommerciale: string | null;
  /** Planned cabling date, kept only while the building is not yet connectable. */
  datePrevue: string | null;
}

export interface IpeParserOptions {
  /** File name, for rejections. */
  fichier: string;
  /** Resolves a commune code to the current COG code of the région, or undefined. */
  currentCommuneCode(code: string): string | undefined;
  /** Name of the région, for the "unknown commune" message. */
  region: string;
  /** The OI's code from the file name, used when the file has no CodeOI column (or it is empty). */
  codeOiFichier: string | undefined;
}

export type IpeParseResult = { ok: true; line: IpeLine } | { ok: false; rejets: Rejet[] };

const WEB_MERCATOR_RADIUS = 6378137;

/**
 * Builds the parser of one IPE file from its header record. Throws ThdFileError when the header
 * lacks the mandatory columns (wrong separator, not an IPE file) or when no OI code can be found.
 */
export function createIpeParser(header: CsvLine, options: IpeParserOptions): (line: CsvLine) => IpeParseResult {
  const names = header.champs.map((h) =>
    h
      .replace(/^\uFEFF/, "")
      .trim()
      .toLowerCase(),
  );
  const position = (column: IpeColumn): number => {
    const candidates = [IPE_COLUMNS[column].toLowerCase(), ...(IPE_ALIASES[column] ?? [])];
    for (const c of candidates) {
      const i = names.indexOf(c);
      if (i !== -1) return i;
    }
    return -1;
  };
  const col = Object.fromEntries((Object.keys(IPE_COLUMNS) as IpeColumn[]).map((k) => [k, position(k)])) as Record<
    IpeColumn,
    number
  >;

  const missing = IPE_REQUIRED.filter((k) => col[k] === -1).map((k) => IPE_COLUMNS[k]);
  if (missing.length > 0) {
    const hint =
      header.champs.length <= 2
        ? " ; le fichier IPE doit être séparé par des « ; » (une seule colonne lue : mauvais séparateur ?)"
        : "";
    const message = `En-tête IPE incomplet : colonne${missing.length > 1 ? "s" : ""} ${missing.join(", ")} absente${missing.length > 1 ? "s" : ""}${hint}`;
    throw new ThdFileError(message, [
      rejet(header.ligne, "en-tête", header.champs.join(";"), message, options.fichier),
    ]);
  }
  if (col.codeOi === -1 && !options.codeOiFichier) {
    const message =
      "Code de l'opérateur d'infrastructure introuvable : ni colonne CodeOI, ni nom de fichier <…>_<CodeOI>_PM_IPEZMD_V30_<AAAAMMJJ>.csv";
    throw new ThdFileError(message, [rejet(header.ligne, "CodeOI", options.fichier, message, options.fichier)]);
  }

  // Per line, the helpers below are shared (no closure created per line: millions of lines).
  let f: string[] = [];
  let ligne = 0;
  let rejets: Rejet[] = [];
  const get = (k: IpeColumn): string => {
    const i = col[k];
    return i === -1 ? "" : (f[i] ?? "").trim();
  };
  const fail = (k: IpeColumn, value: string, message: string) =>
    rejets.push(rejet(ligne, IPE_COLUMNS[k], value, message, options.fichier));
  const date = (k: IpeColumn): string | null => {
    const v = get(k);
    if (v === "") return null;
    const d = parseIpeDate(v);
    if (d === undefined) {
      fail(k, v, "date invalide : attendu AAAAMMJJ");
      return null;
    }
    return d;
  };
  return (line) => {
    f = line.champs;
    ligne = line.ligne;
    rejets = [];

    if (f.length === 1 && names.length > 2) {
      return {
        ok: false,
        rejets: [
          rejet(
            line.ligne,
            "ligne",
            f.join(""),
            `un seul champ lu au lieu de ${names.length} : séparateur « ; » attendu`,
            options.fichier,
          ),
        ],
      };
    }

    const hexacle = get("hexacle");
    if (hexacle === "") fail("hexacle", hexacle, "hexaclé (code adresse) obligatoire");
    else if (hexacle.length > 30) fail("hexacle", hexacle, "hexaclé trop long (30 caractères au plus)");

    const inseeText = get("codeInsee");
    const codeInsee = inseeText === "" ? undefined : options.currentCommuneCode(inseeText);
    if (codeInsee === undefined)
      fail(
        "codeInsee",
        inseeText,
        inseeText === "" ? "code INSEE obligatoire" : `commune inconnue dans la région ${options.region} (COG 2026)`,
      );

    const logementsText = get("logements");
    const nbLocaux = /^\d{1,6}$/.test(logementsText) ? Number(logementsText) : undefined;
    if (nbLocaux === undefined) fail("logements", logementsText, "nombre de logements entier attendu");

    const etatText = get("etat");
    const etatFtth = normaliseEtatImmeuble(etatText);
    if (etatFtth === undefined)
      fail(
        "etat",
        etatText,
        "état inconnu : attendu CIBLE, SIGNE, EN COURS DE DEPLOIEMENT, RACCORDABLE DEMANDE, DEPLOYE ou ABANDONNE",
      );

    const etatPmText = get("etatPm");
    let etatPm: IpeLine["etatPm"] = null;
    if (etatPmText !== "") {
      etatPm = normaliseEtatPm(etatPmText) ?? null;
      if (etatPm === null)
        fail("etatPm", etatPmText, "état du PM inconnu : attendu EN COURS DE DEPLOIEMENT, DEPLOYE ou ABANDONNE");
    }

    const typeText = get("typeImmeuble");
    let type: IpeLine["type"] = null;
    if (typeText !== "") {
      type = normaliseTypeImmeuble(typeText) ?? null;
      if (type === null) fail("typeImmeuble", typeText, "type d'immeuble inconnu : attendu PAVILLON ou IMMEUBLE");
    }

    const codeOi = (get("codeOi") || options.codeOiFichier || "").toUpperCase();
    if (codeOi === "") fail("codeOi", "", "code de l'opérateur d'infrastructure manquant");
    else if (!/^[A-Z0-9]{2,8}$/.test(codeOi)) fail("codeOi", codeOi, "code opérateur Interop attendu (4 lettres)");

    const coordinates = readCoordinates(get("x"), get("y"), get("projection"));
    if ("error" in coordinates) fail(coordinates.field, coordinates.value, coordinates.error);

    date("dateModification");
    date("dateInstallationPm");
    const dateMesPm = date("dateMesPm");
    const dateMesImmeuble = date("dateMesImmeuble");
    const dateCablage = date("dateCablage");

    if (rejets.length > 0 || codeInsee === undefined || nbLocaux === undefined || etatFtth === undefined)
      return { ok: false, rejets };
    const position = "error" in coordinates ? { lon: null, lat: null } : coordinates;
    const nomVoie = [get("typeVoie"), get("nomVoie")].filter((s) => s !== "").join(" ");
    const connectable = etatFtth === "deploye" || etatFtth === "raccordable_demande";
    return {
      ok: true,
      line: {
        ligne: line.ligne,
        identifiant: optional(get("identifiant")),
        hexacle,
        batiment: optional(get("batiment")),
        codeOi,
        adresseId: optional(get("codeBan")),
        codeInsee,
        numero: optional(get("numero")),
        rep: optional(get("complement").toLowerCase()),
        nomVoie: optional(nomVoie),
        lon: position.lon,
        lat: position.lat,
        type,
        nbLocaux,
        etatFtth,
        referencePm: optional(get("referencePm")),
        etatPm,
        dateMesCommerciale: dateMesPm ?? dateMesImmeuble,
        datePrevue: connectable || etatFtth === "abandonne" ? null : dateCablage,
      },
    };
  };
}

const optional = (s: string) => (s === "" ? null : s);

type Coordinates = { lon: number | null; lat: number | null } | { field: IpeColumn; value: string; error: string };

/**
 * Reads a building position: WGS84 degrees, Lambert-93 metres, or Web Mercator metres (what
 * "WGS84" meant in older IPE files); without a projection, the magnitude of the values tells.
 */
export function readCoordinates(xText: string, yText: string, projectionText: string): Coordinates {
  if (xText === "" && yText === "") return { lon: null, lat: null };
  const x = parseDecimal(xText);
  if (x === undefined) return { field: "x", value: xText, error: "coordonnée X numérique attendue" };
  const y = parseDecimal(yText);
  if (y === undefined) return { field: "y", value: yText, error: "coordonnée Y numérique attendue" };
  const projection = normaliseProjection(projectionText);
  if (projection === undefined)
    return {
      field: "projection",
      value: projectionText,
      error: "projection non prise en charge : attendu WGS84 ou RGF93 (Lambert-93)",
    };
  const degrees = Math.abs(x) <= 180 && Math.abs(y) <= 90;
  if ((projection === "wgs84" || projection === "vide") && degrees) return { lon: round7(x), lat: round7(y) };
  if (projection === "lambert93" || (projection === "vide" && inLambert93Extent(x, y))) {
    if (!inLambert93Extent(x, y))
      return { field: "x", value: `${xText} ${yText}`, error: "coordonnées hors de l'emprise Lambert-93 de la France" };
    return fromLambert93(x, y);
  }
  if (projection === "wgs84" && Math.abs(x) <= 20037508.35 && Math.abs(y) <= 20037508.35)
    return webMercatorToLonLat(x, y);
  return { field: "x", value: `${xText} ${yText}`, error: "coordonnées illisibles dans la projection indiquée" };
}

const round7 = (v: number) => Math.round(v * 1e7) / 1e7;

/** EPSG:3857 metres → WGS84 degrees. */
export function webMercatorToLonLat(x: number, y: number): { lon: number; lat: number } {
  const lon = (x / WEB_MERCATOR_RADIUS) * (180 / Math.PI);
  const lat = (2 * Math.atan(Math.exp(y / WEB_MERCATOR_RADIUS)) - Math.PI / 2) * (180 / Math.PI);
  return { lon: round7(lon), lat: round7(lat) };
}
