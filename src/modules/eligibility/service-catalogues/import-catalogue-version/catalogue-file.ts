import { parse } from "csv-parse/sync";
import { Value } from "typebox/value";
import { describeValidationError } from "../../../../shared/http/errors.ts";
import { NouvelleVersion } from "../catalogue.schemas.ts";
import type { OfferFamily } from "../catalogue-offers.port.ts";
import { OFFER_FAMILIES } from "../catalogue-snapshot.ts";
import type { OfferInput, VersionInput } from "../catalogue-validation.ts";

/** A problem found in an imported file: the line (1 = header) when it is a line's, and the column. */
export interface FileProblem {
  ligne?: number;
  champ: string;
  message: string;
}

export type ParsedFile = { ok: true; offres: OfferInput[]; lignes: number[] } | { ok: false; problems: FileProblem[] };

/** CSV column → API field; the CSV export of a version writes the same headers (catalogue.presenter.ts). */
export const CSV_FIELDS: Record<string, keyof OfferInput> = {
  code: "code",
  nom: "nom",
  famille: "famille",
  debit_descendant_mbps: "debitDescendantMbps",
  debit_montant_mbps: "debitMontantMbps",
  debit_garanti_mbps: "debitGarantiMbps",
  symetrique: "symetrique",
  gtr_heures: "gtrHeures",
  gtr_libelle: "gtrLabel",
  disponibilite_pct: "disponibilitePct",
  frais_acces_ht: "fraisAccesHt",
  mensuel_ht: "mensuelHt",
  engagement_mois: "engagementMois",
  delai_livraison_jours: "delaiLivraisonJours",
  options: "options",
  sur_devis: "surDevis",
  raison: "raison",
};
export const FIELD_COLUMNS = Object.fromEntries(Object.entries(CSV_FIELDS).map(([column, field]) => [field, column]));
const REQUIRED = ["code", "nom", "famille", "debit_descendant_mbps", "debit_montant_mbps", "engagement_mois"];
const INTEGERS = new Set(["engagement_mois", "delai_livraison_jours"]);
const BOOLEANS = new Set(["symetrique", "sur_devis"]);
const TEXTS = new Set(["code", "nom", "gtr_libelle", "raison"]);

const FAMILY_ALIASES: Record<string, OfferFamily> = {
  ftth: "ftth",
  ftth_pro: "ftth_pro",
  fttpro: "ftth_pro",
  ftte_passive: "ftte_passive",
  ftte_passif: "ftte_passive",
  ftte_passif_nro: "ftte_passive",
  ftte_passif_pm: "ftte_passive",
  ftte_active: "ftte_active",
  ftte_activee: "ftte_active",
  ftte_actif: "ftte_active",
  ftto: "ftto",
};

/** UTF-8, or Windows-1252 as spreadsheets often save it. */
export function decodeText(buffer: Buffer): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(buffer).replace(/^\uFEFF/, "");
  } catch {
    return new TextDecoder("windows-1252").decode(buffer);
  }
}

/**
 * A JSON file: a whole version (as POST …/versions takes it) or just its list of offers; the form's
 * fields fill what the file does not say. Checked against the API's schema.
 */
export function parseJsonFile(
  text: string,
  form: Partial<VersionInput>,
): { input: unknown } | { problems: FileProblem[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problems: [{ champ: "fichier", message: `JSON illisible : ${(error as Error).message}` }] };
  }
  if (Array.isArray(value)) return { input: { ...form, offres: value } };
  if (value === null || typeof value !== "object") {
    return { problems: [{ champ: "fichier", message: "Un objet (version) ou une liste d'offres est attendu" }] };
  }
  return { input: { ...form, ...value } };
}

/** Schema violations of an assembled version, offers' ones on their file line when known. */
export function schemaProblems(input: unknown, lignes: number[]): FileProblem[] {
  const problems: FileProblem[] = [];
  for (const error of Value.Errors(NouvelleVersion, input)) {
    if (error.keyword === "boolean") continue; // repeated by its additionalProperties error
    const { parametre, message } = describeValidationError(error);
    const offer = /^offres\.(\d+)\.(\w+)/.exec(parametre);
    const ligne = offer ? lignes[Number(offer[1])] : undefined;
    if (ligne !== undefined && offer) {
      problems.push({ ligne, champ: FIELD_COLUMNS[offer[2] as string] ?? (offer[2] as string), message });
    } else problems.push({ champ: parametre, message });
    if (problems.length >= 100) break;
  }
  return problems;
}

/** A CSV file of offers, one per line, in the columns of CSV_FIELDS (any order, `;` `,` or tab). */
export function parseCsvFile(text: string): ParsedFile {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = [";", ",", "\t"]
    .map((d) => [d, firstLine.split(d).length] as const)
    .sort((a, b) => b[1] - a[1])[0]?.[0];
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
      bom: true,
    }) as unknown as typeof records;
  } catch (error) {
    return { ok: false, problems: [{ champ: "fichier", message: `CSV illisible : ${(error as Error).message}` }] };
  }
  const [head, ...rows] = records;
  if (!head) return { ok: false, problems: [{ champ: "fichier", message: "Fichier vide" }] };
  const header = head.record.map((h) => h.trim().toLowerCase());
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    return {
      ok: false,
      problems: missing.map((c) => ({
        ligne: head.info.lines,
        champ: c,
        message: `colonne « ${c} » absente de l'en-tête`,
      })),
    };
  }
  if (rows.length === 0)
    return { ok: false, problems: [{ champ: "fichier", message: "Aucune offre dans le fichier" }] };
  const problems: FileProblem[] = [];
  const offres: OfferInput[] = [];
  const lignes: number[] = [];
  for (const { record, info } of rows) {
    const ligne = info.lines;
    const offer: Record<string, unknown> = {};
    header.forEach((column, i) => {
      const field = CSV_FIELDS[column];
      if (!field) return; // other columns (reseau, version… of an export) are ignored
      const raw = (record[i] ?? "").trim();
      const fail = (message: string) => problems.push({ ligne, champ: column, message });
      if (TEXTS.has(column)) offer[field] = raw === "" ? null : raw;
      else if (column === "famille") {
        const family =
          FAMILY_ALIASES[
            raw
              .toLowerCase()
              .replace(/[\s-]+/g, "_")
              .normalize("NFD")
              .replace(/\p{M}/gu, "")
          ];
        if (family) offer[field] = family;
        else fail(`« ${raw} » n'est pas une famille (${OFFER_FAMILIES.join(", ")})`);
      } else if (BOOLEANS.has(column)) {
        const yes = ["oui", "o", "vrai", "true", "1", "x"].includes(raw.toLowerCase());
        const no = ["non", "n", "faux", "false", "0", ""].includes(raw.toLowerCase());
        if (yes || no) offer[field] = yes;
        else fail(`« ${raw} » : oui ou non attendu`);
      } else if (column === "options") {
        const options = parseOptions(raw);
        if (typeof options === "string") fail(options);
        else offer[field] = options;
      } else {
        const value = parseNumber(raw);
        if (value === undefined) fail(`« ${raw} » n'est pas un nombre`);
        else if (value !== null && INTEGERS.has(column) && !Number.isInteger(value))
          fail(`« ${raw} » : nombre entier attendu`);
        else offer[field] = value;
      }
    });
    for (const column of REQUIRED) {
      const field = CSV_FIELDS[column] as string;
      if (
        (offer[field] === null || offer[field] === undefined) &&
        !problems.some((p) => p.ligne === ligne && p.champ === column)
      ) {
        problems.push({ ligne, champ: column, message: "valeur obligatoire" });
      }
    }
    offres.push(offer as unknown as OfferInput);
    lignes.push(ligne);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, offres, lignes };
}

/** "1 500,50" or "1500.5" → 1500.5; "" → null; anything else → undefined. */
function parseNumber(raw: string): number | null | undefined {
  if (raw === "") return null;
  const normalized = raw
    .replace(/[\s\u00a0\u202f]/g, "")
    .replace(",", ".")
    .replace(/€$/, "");
  if (!/^-?\d+(\.\d+)?$/.test(normalized)) return undefined;
  return Number(normalized);
}

/** "GTR 4 h 24/7=80|Double adduction=sur devis" → options; an error message when malformed. */
function parseOptions(raw: string): { nom: string; mensuelHt: number | null }[] | string {
  if (raw === "") return [];
  const options: { nom: string; mensuelHt: number | null }[] = [];
  for (const item of raw.split("|")) {
    const at = item.lastIndexOf("=");
    const nom = (at < 0 ? item : item.slice(0, at)).trim();
    const price = at < 0 ? "" : item.slice(at + 1).trim();
    if (nom === "") return `option sans nom dans « ${raw} » (format : nom=prix|nom=sur devis)`;
    const value = price === "" || /^sur devis$/i.test(price) ? null : parseNumber(price);
    if (value === undefined)
      return `prix « ${price} » de l'option « ${nom} » illisible (format : nom=prix|nom=sur devis)`;
    options.push({ nom, mensuelHt: value });
  }
  return options;
}
