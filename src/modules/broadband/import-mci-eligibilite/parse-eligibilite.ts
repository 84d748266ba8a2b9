import { CLASSES_ARCEP, type ClasseArcep, type Techno, type ThdEligibiliteTable } from "../broadband.tables.ts";
import type { CsvLine } from "../import-common/csv-reader.ts";
import { columnsOf } from "../import-common/file-checks.ts";
import { type Rejet, rejet } from "../import-common/rejections.ts";

/** ARCEP « Ma connexion internet » eligibilite, 2026 columns (reference §1.3). */
const COLUMNS = {
  obligatoires: ["imb_id", "code_techno", "classe_debit_montant", "classe_debit_descendant"],
  facultatives: ["addr_code", "imb_code", "code_operateur", "limitation", "saturation"],
} as const;

const TECHNOS: ReadonlySet<string> = new Set<Techno>(["FO", "CU", "COAX", "4GF", "THDR", "WMX", "SAT"]);
/** The internal model's other spelling of HD radio (reference §1.3). */
const TECHNO_ALIASES: Record<string, Techno> = { WIMX: "WMX" };
const CLASSES: ReadonlySet<string> = new Set(CLASSES_ARCEP);

const unknownClass = (ligne: number, champ: string, valeur: string, fichier: string) =>
  rejet(ligne, champ, valeur, `classe de débit inconnue : attendu ${CLASSES_ARCEP.join(", ")}`, fichier);

export type EligibiliteRow = Omit<ThdEligibiliteTable, "trimestre">;
/** A rejected line carries its imb_id (trimmed, maybe empty): a caller checking buildings itself needs it. */
export type EligibiliteParseResult = { ok: true; row: EligibiliteRow } | { ok: false; rejets: Rejet[]; id: string };

/** Builds the parser of one eligibilite file from its header; `buildingExists` checks imb_id. */
export function createEligibiliteParser(
  header: CsvLine,
  options: { fichier: string; buildingExists(id: string): boolean },
): (line: CsvLine) => EligibiliteParseResult {
  const col = columnsOf(header, COLUMNS, options.fichier);
  const at = (name: string) => col.get(name) ?? -1;
  const idx = {
    id: at("imb_id"),
    operateur: at("code_operateur"),
    techno: at("code_techno"),
    montant: at("classe_debit_montant"),
    descendant: at("classe_debit_descendant"),
    limitation: at("limitation"),
    saturation: at("saturation"),
  };
  const fichier = options.fichier;
  const field = (f: string[], i: number) => (i === -1 ? "" : (f[i] ?? "").trim());
  // Per line: no closure and no array unless the line is rejected (millions of lines per file).
  return (line) => {
    const f = line.champs;
    let rejets: Rejet[] | undefined;
    const id = field(f, idx.id);
    if (id === "")
      rejets = withRejet(rejets, rejet(line.ligne, "imb_id", id, "identifiant d'immeuble obligatoire", fichier));
    else if (!options.buildingExists(id)) rejets = withRejet(rejets, unknownBuilding(line.ligne, id, fichier));
    const technoText = field(f, idx.techno).toUpperCase();
    const techno = TECHNO_ALIASES[technoText] ?? technoText;
    if (!TECHNOS.has(techno))
      rejets = withRejet(
        rejets,
        rejet(
          line.ligne,
          "code_techno",
          technoText,
          "technologie inconnue : attendu FO, CU, COAX, 4GF, THDR, WMX ou SAT",
          fichier,
        ),
      );
    const montant = field(f, idx.montant).toUpperCase();
    if (!CLASSES.has(montant))
      rejets = withRejet(rejets, unknownClass(line.ligne, "classe_debit_montant", montant, fichier));
    const descendant = field(f, idx.descendant).toUpperCase();
    if (!CLASSES.has(descendant))
      rejets = withRejet(rejets, unknownClass(line.ligne, "classe_debit_descendant", descendant, fichier));
    // The 2020 files had no operator column: one row per building and technology.
    const operateur = idx.operateur === -1 ? "" : field(f, idx.operateur).toUpperCase();
    if (idx.operateur !== -1 && !OPERATOR_CODE.test(operateur))
      rejets = withRejet(
        rejets,
        rejet(line.ligne, "code_operateur", operateur, "code opérateur ARCEP attendu (4 caractères)", fichier),
      );
    const limitationText = field(f, idx.limitation);
    const limitation =
      limitationText === "" ? null : LIMITATION.test(limitationText) ? Number(limitationText) : undefined;
    if (limitation === undefined)
      rejets = withRejet(
        rejets,
        rejet(line.ligne, "limitation", limitationText, "volume mensuel en Go (entier) ou vide attendu", fichier),
      );
    const saturationText = field(f, idx.saturation).toLowerCase();
    const saturation = SATURATION[saturationText];
    if (saturation === undefined)
      rejets = withRejet(
        rejets,
        rejet(line.ligne, "saturation", saturationText, "booléen attendu (0/1, true/false)", fichier),
      );
    if (rejets !== undefined || limitation === undefined || saturation === undefined)
      return { ok: false, rejets: rejets ?? [], id };
    return {
      ok: true,
      row: {
        immeuble_id: id,
        operateur,
        techno: techno as Techno,
        classe_montant: montant as ClasseArcep,
        classe_descendant: descendant as ClasseArcep,
        limitation,
        saturation,
      },
    };
  };
}

/** The rejection of a line whose imb_id is not a building of the quarter. */
export function unknownBuilding(ligne: number, id: string, fichier: string): Rejet {
  return rejet(
    ligne,
    "imb_id",
    id,
    "immeuble inconnu dans ce trimestre : importez d'abord le fichier base_imb correspondant",
    fichier,
  );
}

/** Adds a rejection to a line's list, created on the first one. */
function withRejet(rejets: Rejet[] | undefined, r: Rejet): Rejet[] {
  if (rejets === undefined) return [r];
  rejets.push(r);
  return rejets;
}

const OPERATOR_CODE = /^[A-Z0-9]{4}$/;
const LIMITATION = /^\d{1,9}$/;
/** saturation: "" and false-like → 0, true-like → 1 (anything else is rejected). */
const SATURATION: Readonly<Record<string, 0 | 1>> = Object.assign(Object.create(null), {
  "": 0,
  "0": 0,
  false: 0,
  f: 0,
  non: 0,
  n: 0,
  "1": 1,
  true: 1,
  t: 1,
  oui: 1,
  o: 1,
});
