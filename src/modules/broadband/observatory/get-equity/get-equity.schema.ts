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

export const GetEquityQuery = Type.Object({
  trimestre: Type.Optional(TrimestreParam),
  format: FormatGeographique,
});

const Extreme = Type.Object({ niveau: Nullable(Type.Integer()), libelle: Type.String(), part: Type.Number() });

export const GetEquityResponse = Type.Object({
  territoire: TerritoireRef,
  trimestre: TrimestreRef,
  niveaux: Type.Array(
    Type.Object({
      niveau: Nullable(Type.Integer({ minimum: 1, maximum: 7, description: "Niveau de la grille de densité INSEE" })),
      libelle: Type.String(),
      communes: Type.Integer({ description: "Communes du territoire à ce niveau" }),
      ...Figures,
    }),
  ),
  ecarts: Type.Array(
    Type.Object({
      indicateur: Type.Enum(["thd_filaire", "thd_terrestre", "thd_toutes", "ftth"]),
      libelle: Type.String(),
      meilleur: Extreme,
      moinsBon: Extreme,
      ecartPoints: Type.Number({ description: "Écart entre le meilleur et le moins bon niveau, en points" }),
    }),
  ),
  simule: Type.Boolean(),
  avertissement: Avertissement,
});
export type GetEquityResponse = Static<typeof GetEquityResponse>;

export const getEquitySchema = {
  summary: "Équité territoriale : l'observatoire par niveau de densité INSEE des communes",
  description:
    "Les mêmes chiffres que l'observatoire, répartis selon la grille communale de densité de l'INSEE (1 à 7), et l'écart entre le niveau le mieux et le moins bien desservi. En GeoJSON : une Feature par niveau de densité, de géométrie MultiPolygon réunissant les contours des communes de ce niveau (null si aucune n'a de contour), avec la liste de leurs codes INSEE.",
  tags: ["observatoire"],
  params: ObservatoireParams,
  querystring: GetEquityQuery,
  response: { 200: GetEquityResponse, 400: ErrorResponse, 404: ErrorResponse },
};
