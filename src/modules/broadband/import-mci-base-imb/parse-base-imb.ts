import type { ThdImmeubleTable } from "../broadband.tables.ts";
import type { CsvLine } from "../import-common/csv-reader.ts";
import { columnsOf } from "../import-common/file-checks.ts";
import { type Rejet, rejet } from "../import-common/rejections.ts";
import { normaliseTypeImmeuble, parseDecimal } from "../import-ipe/ipe-format.ts";
import { IPE_ID_PREFIX, webMercatorToLonLat } from "../import-ipe/parse-ipe.ts";

/**
 * ARCEP « Ma connexion internet » base_imb (reference §1.2), 2026 columns; the 2020 names of the
 * position columns (imb_longitude, imb_latitude) are accepted too. Positions are EPSG:3857 metres.
 */
const COLUMNS = {
  obligatoires: ["imb_id", ["imb_x", "imb_longitude"], ["imb_y", "imb_latitude"], "imb_code_insee", "imb_nbr_logloc"],
  facultatives: [
    "imb_code",
    "imb_source",
    "imb_type",
    "addr_code",
    "imb_num",
    "addr_numero",
    "addr_rep",
    "addr_nom_voie",
    "addr_nom_ld",
    "addr_code_insee",
    "addr_nom_commune",
    "addr_id_fantoir",
    "addr_source",
  ],
} as const;

export type BaseImbParseResult =
  | { ok: true; row: Omit<ThdImmeubleTable, "trimestre"> }
  | { ok: false; rejets: Rejet[] };

/** Builds the parser of one base_imb file from its header (ThdFileError when a column is missing). */
export function createBaseImbParser(
  header: CsvLine,
  options: { fichier: string; region: string; currentCommuneCode(code: string): string | undefined },
): (line: CsvLine) => BaseImbParseResult {
  const col = columnsOf(header, COLUMNS, options.fichier);
  const at = (name: string) => col.get(name) ?? -1;
  const idx = {
    id: at("imb_id"),
    x: at("imb_x"),
    y: at("imb_y"),
    insee: at("imb_code_insee"),
    logloc: at("imb_nbr_logloc"),
    code: at("imb_code"),
    type: at("imb_type"),
    addrCode: at("addr_code"),
    numero: at("addr_numero"),
    rep: at("addr_rep"),
    voie: at("addr_nom_voie"),
    lieuDit: at("addr_nom_ld"),
    addrSource: at("addr_source"),
  };
  const names = { x: header.champs[idx.x]?.trim() ?? "imb_x", y: header.champs[idx.y]?.trim() ?? "imb_y" };
  // Per line, the helpers below are shared (no closure created per line: millions of lines).
  let f: string[] = [];
  let ligne = 0;
  let rejets: Rejet[] = [];
  const get = (i: number) => (i === -1 ? "" : (f[i] ?? "").trim());
  const fail = (champ: string, valeur: string, message: string) =>
    rejets.push(rejet(ligne, champ, valeur, message, options.fichier));
  const optional = (s: string) => (s === "" ? null : s);
  return (line) => {
    f = line.champs;
    ligne = line.ligne;
    rejets = [];

    const id = get(idx.id);
    if (id === "") fail("imb_id", id, "identifiant d'immeuble obligatoire");
    else if (id.startsWith(IPE_ID_PREFIX)) fail("imb_id", id, "identifiant réservé aux immeubles créés par un IPE");
    const inseeText = get(idx.insee);
    const codeInsee = inseeText === "" ? undefined : options.currentCommuneCode(inseeText);
    if (codeInsee === undefined)
      fail(
        "imb_code_insee",
        inseeText,
        inseeText === "" ? "code INSEE obligatoire" : `commune inconnue dans la région ${options.region} (COG 2026)`,
      );
    const loglocText = get(idx.logloc);
    const nbLocaux = COUNT.test(loglocText) ? Number(loglocText) : undefined;
    if (nbLocaux === undefined) fail("imb_nbr_logloc", loglocText, "nombre de locaux entier attendu");
    const xText = get(idx.x);
    const yText = get(idx.y);
    let lon: number | null = null;
    let lat: number | null = null;
    if (xText !== "" || yText !== "") {
      const x = parseDecimal(xText);
      const y = parseDecimal(yText);
      if (x === undefined) fail(names.x, xText, "coordonnée numérique attendue (EPSG:3857)");
      else if (y === undefined) fail(names.y, yText, "coordonnée numérique attendue (EPSG:3857)");
      else if (Math.abs(x) > 20037508.35 || Math.abs(y) > 20037508.35)
        fail(names.x, `${xText} ${yText}`, "coordonnées hors de l'emprise EPSG:3857");
      else ({ lon, lat } = webMercatorToLonLat(x, y));
    }
    const typeText = get(idx.type);
    const type = typeText === "" ? null : (normaliseTypeImmeuble(typeText) ?? null);
    if (typeText !== "" && type === null) fail("imb_type", typeText, "type inconnu : attendu PA ou IM");
    if (rejets.length > 0 || codeInsee === undefined || nbLocaux === undefined) return { ok: false, rejets };
    const addrCode = get(idx.addrCode);
    return {
      ok: true,
      row: {
        id,
        code_ipe: optional(get(idx.code)),
        adresse_id: get(idx.addrSource).toLowerCase() === "ban" ? optional(addrCode) : null,
        code_insee: codeInsee,
        numero: optional(get(idx.numero)),
        rep: optional(get(idx.rep).toLowerCase()),
        nom_voie: optional(get(idx.voie)) ?? optional(get(idx.lieuDit)),
        lon,
        lat,
        type,
        nb_locaux: nbLocaux,
        reseau: null,
        operateur_infra: null,
        etat_ftth: null,
        reference_pm: null,
        etat_pm: null,
        date_mes_commerciale: null,
        date_prevue: null,
      },
    };
  };
}

const COUNT = /^\d{1,6}$/;
