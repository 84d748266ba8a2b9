import { oiFromFileName } from "../import-ipe/ipe-format.ts";
import { createIpeParser } from "../import-ipe/parse-ipe.ts";
import { regionCommuneResolver } from "../import-ipe/region-communes.ts";
import { createBaseImbParser } from "../import-mci-base-imb/parse-base-imb.ts";
import { createEligibiliteParser } from "../import-mci-eligibilite/parse-eligibilite.ts";
import type { CsvLine } from "./csv-reader.ts";
import type { Rejet } from "./rejections.ts";

/**
 * The building files' line parsers, as plain data in and out so that they can run in a worker
 * thread (see parse-records.ts): what to parse (a serialisable spec), and each parsed line as a
 * fixed number of values appended to a flat array (no object per line to copy between threads).
 */

/** Which parser, with what it needs (structured-cloneable). */
export type RecordParserSpec =
  /** MCI eligibilite: values are thd_eligibilite's row (trimestre first); imb_id is NOT checked. */
  | { kind: "eligibilite"; trimestre: string }
  /** MCI base_imb: values are thd_immeuble's base_imb row (trimestre, id, code_ipe, …, nb_locaux). */
  | { kind: "base_imb"; trimestre: string; region: string }
  /** IPE: values are the IpeLine fields but `ligne`, in IPE_VALUE_FIELDS order. */
  | { kind: "ipe"; region: string };

/** A line the parser refused: its rejections and, for eligibilite, its imb_id (trimmed). */
export interface RejectedRecord {
  rejets: Rejet[];
  id?: string;
}

export interface RecordEncoder {
  /** Appends the line's values (always `width` of them) and returns undefined, or returns the rejection. */
  encode(line: CsvLine, out: unknown[]): RejectedRecord | undefined;
}

/** Values per parsed line, by kind. */
export const RECORD_WIDTH: Record<RecordParserSpec["kind"], number> = {
  eligibilite: 8,
  base_imb: 12,
  ipe: 18,
};

/** The IpeLine fields carried per IPE line, in order (`ligne` travels apart). */
export const IPE_VALUE_FIELDS = [
  "identifiant",
  "hexacle",
  "batiment",
  "codeOi",
  "adresseId",
  "codeInsee",
  "numero",
  "rep",
  "nomVoie",
  "lon",
  "lat",
  "type",
  "nbLocaux",
  "etatFtth",
  "referencePm",
  "etatPm",
  "dateMesCommerciale",
  "datePrevue",
] as const;

/**
 * The encoder of one file, from its header record (throws ThdFileError when the header is unusable,
 * as the parsers do). Same parsers as the importers always used: same values, same rejections.
 */
export function createRecordEncoder(spec: RecordParserSpec, header: CsvLine, fichier: string): RecordEncoder {
  if (spec.kind === "eligibilite") {
    const parse = createEligibiliteParser(header, { fichier, buildingExists: () => true });
    const trimestre = spec.trimestre;
    return {
      encode(line, out) {
        const r = parse(line);
        if (!r.ok) return { rejets: r.rejets, id: r.id };
        const row = r.row;
        out.push(
          trimestre,
          row.immeuble_id,
          row.operateur,
          row.techno,
          row.classe_montant,
          row.classe_descendant,
          row.limitation,
          row.saturation,
        );
        return undefined;
      },
    };
  }
  if (spec.kind === "base_imb") {
    const parse = createBaseImbParser(header, {
      fichier,
      region: spec.region,
      currentCommuneCode: regionCommuneResolver(spec.region),
    });
    const trimestre = spec.trimestre;
    return {
      encode(line, out) {
        const r = parse(line);
        if (!r.ok) return { rejets: r.rejets };
        const row = r.row;
        out.push(
          trimestre,
          row.id,
          row.code_ipe,
          row.adresse_id,
          row.code_insee,
          row.numero,
          row.rep,
          row.nom_voie,
          row.lon,
          row.lat,
          row.type,
          row.nb_locaux,
        );
        return undefined;
      },
    };
  }
  const parse = createIpeParser(header, {
    fichier,
    currentCommuneCode: regionCommuneResolver(spec.region),
    region: spec.region,
    codeOiFichier: oiFromFileName(fichier)?.codeOi,
  });
  return {
    encode(line, out) {
      const r = parse(line);
      if (!r.ok) return { rejets: r.rejets };
      const l = r.line;
      out.push(
        l.identifiant,
        l.hexacle,
        l.batiment,
        l.codeOi,
        l.adresseId,
        l.codeInsee,
        l.numero,
        l.rep,
        l.nomVoie,
        l.lon,
        l.lat,
        l.type,
        l.nbLocaux,
        l.etatFtth,
        l.referencePm,
        l.etatPm,
        l.dateMesCommerciale,
        l.datePrevue,
      );
      return undefined;
    },
  };
}
