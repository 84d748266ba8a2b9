import { type Static, Type } from "typebox";
import { ErrorResponse } from "../../../../shared/http/error-response.schema.ts";
import {
  Avertissement,
  FormatGeographique,
  Nullable,
  ObservatoireParams,
  ShareFigures,
  TerritoireRef,
  TrimestreRef,
  VarianteParam,
} from "../observatory.schemas.ts";

export const GetSeriesQuery = Type.Object({
  variante: Type.Optional(VarianteParam),
  format: FormatGeographique,
});

export const Projection = Type.Object({
  annee: Type.Integer(),
  part: Type.Number({ description: "Part THD visée, en %" }),
  echeance: Type.String({ description: "Dernier trimestre de l'année visée" }),
  statut: Type.Enum(["deja_atteint", "prevu", "non_atteint_a_ce_rythme", "donnees_insuffisantes"]),
  atteintLe: Nullable(Type.String({ description: "Premier trimestre où la part atteint l'objectif" })),
  prevuLe: Nullable(Type.String({ description: "Trimestre où l'objectif serait atteint au rythme actuel" })),
  dansLesDelais: Nullable(Type.Boolean()),
  valeurALEcheance: Nullable(Type.Number({ description: "Part observée au trimestre de l'échéance" })),
  libelle: Type.String(),
});

export const GetSeriesResponse = Type.Object({
  territoire: TerritoireRef,
  variante: VarianteParam,
  points: Type.Array(Type.Object({ trimestre: TrimestreRef, ...ShareFigures })),
  rythme: Type.Object({
    pointsParTrimestre: Nullable(Type.Number({ description: "Progression de la part THD, en points par trimestre" })),
    trimestres: Type.Array(Type.String(), { description: "Trimestres sur lesquels le rythme est mesuré" }),
  }),
  objectifs: Type.Array(Projection),
  methode: Type.String(),
  simule: Type.Boolean(),
  avertissement: Avertissement,
});
export type GetSeriesResponse = Static<typeof GetSeriesResponse>;

export const getSeriesSchema = {
  summary: "Série trimestrielle de l'observatoire, objectifs du plan et prévision",
  description:
    "Part THD (trois variantes) et part FttH de chaque trimestre consultable, objectifs (TERRITOIRE_OBJECTIFS_THD, par défaut 60 % en 2020 et 100 % en 2025) et date à laquelle chacun serait atteint au rythme actuel, sur la variante choisie (toutes technologies par défaut, comme le tableau du plan). En GeoJSON : une Feature par trimestre, de géométrie null (RFC 7946 §3.2) pour ne pas répéter le contour du territoire à chaque trimestre ; ses propriétés `niveau` et `code` la joignent à /api/territoires/{niveau}/contours.",
  tags: ["observatoire"],
  params: ObservatoireParams,
  querystring: GetSeriesQuery,
  response: { 200: GetSeriesResponse, 400: ErrorResponse, 404: ErrorResponse },
};
