import { type Static, Type } from "typebox";
import { ErrorResponse } from "../../../../shared/http/error-response.schema.ts";
import {
  Avertissement,
  Figures,
  FormatGeographique,
  Nullable,
  ObservatoireParams,
  TerritoireRef,
  TrimestreParam,
  TrimestreRef,
} from "../observatory.schemas.ts";

export const GetObservatoryQuery = Type.Object({
  trimestre: Type.Optional(TrimestreParam),
  format: FormatGeographique,
});

export const GetObservatoryResponse = Type.Object({
  territoire: TerritoireRef,
  trimestre: TrimestreRef,
  trimestres: Type.Array(TrimestreRef, { description: "Trimestres consultables, du plus ancien au plus récent" }),
  communes: Type.Object({
    total: Type.Integer({ description: "Communes du territoire" }),
    avecDonnees: Type.Integer({ description: "Communes ayant des chiffres ce trimestre" }),
  }),
  ...Figures,
  operateursInfrastructure: Type.Array(
    Type.Object({
      operateur: Type.String(),
      nom: Nullable(Type.String()),
      raccordables: Type.Integer({ description: "Locaux raccordables en FttH sur son réseau" }),
      part: Nullable(Type.Number({ description: "Part des locaux raccordables de ces opérateurs, en %" })),
    }),
  ),
  sources: Type.Array(Type.String(), { description: "Imports qui ont produit ces chiffres" }),
  simule: Type.Boolean(),
  avertissement: Avertissement,
});
export type GetObservatoryResponse = Static<typeof GetObservatoryResponse>;

export const getObservatorySchema = {
  summary: "Observatoire du THD d'un territoire pour un trimestre",
  description:
    "Locaux par classe de débit (nombre et part) selon trois variantes (filaire, terrestre, toutes technologies), part THD (30 Mbit/s et plus), locaux raccordables en FttH, par technologie et par opérateur d'infrastructure. Les brouillons ne sont visibles que des agents et administrateurs. En GeoJSON : une Feature par ligne du tableau (rubrique, variante, clé, locaux, part), avec le contour du territoire pour géométrie.",
  tags: ["observatoire"],
  params: ObservatoireParams,
  querystring: GetObservatoryQuery,
  response: { 200: GetObservatoryResponse, 400: ErrorResponse, 404: ErrorResponse },
};
