import { type Static, Type } from "typebox";
import { ErrorResponse } from "../../../../shared/http/error-response.schema.ts";
import {
  Avertissement,
  FormatGeographique,
  Nullable,
  ObservatoireParams,
  TerritoireRef,
  TrimestreParam,
  TrimestreRef,
} from "../observatory.schemas.ts";

export const ETATS_CUIVRE = ["fermee", "fermeture_commerciale", "programmee", "non_programmee"] as const;

export const GetCopperClosureQuery = Type.Object({
  trimestre: Type.Optional(TrimestreParam),
  format: FormatGeographique,
});

export const CopperClosureCommune = Type.Object({
  code: Type.String(),
  nom: Type.String(),
  lot: Nullable(Type.String()),
  fermetureCommerciale: Nullable(Type.String({ description: "Date de fermeture commerciale (FCC)" })),
  fermetureTechnique: Nullable(Type.String({ description: "Date de fermeture technique (FCT)" })),
  etat: Type.Enum([...ETATS_CUIVRE], { description: "État à la fin du trimestre" }),
  locaux: Nullable(Type.Integer()),
  ftthPart: Nullable(Type.Number({ description: "Part des locaux raccordables en FttH, en %" })),
});
export type CopperClosureCommune = Static<typeof CopperClosureCommune>;

export const GetCopperClosureResponse = Type.Object({
  territoire: TerritoireRef,
  trimestre: TrimestreRef,
  calendrierDu: Nullable(
    Type.String({ description: "Trimestre du calendrier lu (le plus récent jusqu'au trimestre demandé)" }),
  ),
  dateReference: Type.String({ description: "Fin du trimestre : date à laquelle l'état est donné" }),
  etats: Type.Object({
    fermee: Type.Integer(),
    fermeture_commerciale: Type.Integer(),
    programmee: Type.Integer(),
    non_programmee: Type.Integer(),
  }),
  calendrier: Type.Array(
    Type.Object({
      annee: Type.Integer(),
      communesFermetureCommerciale: Type.Integer(),
      communesFermetureTechnique: Type.Integer(),
      locauxFermetureTechnique: Type.Integer(),
    }),
  ),
  communes: Type.Array(CopperClosureCommune),
  simule: Type.Boolean(),
  avertissement: Avertissement,
});
export type GetCopperClosureResponse = Static<typeof GetCopperClosureResponse>;

export const getCopperClosureSchema = {
  summary: "Calendrier de fermeture du réseau cuivre, par commune",
  description:
    "Lot, dates de fermeture commerciale et technique de chaque commune du territoire, état à la fin du trimestre, et nombre de communes concernées par année.",
  tags: ["observatoire"],
  params: ObservatoireParams,
  querystring: GetCopperClosureQuery,
  response: { 200: GetCopperClosureResponse, 400: ErrorResponse, 404: ErrorResponse },
};
