import { type Static, Type } from "typebox";
import { ErrorResponse } from "../../../shared/http/error-response.schema.ts";
import { CodeParam, NiveauParam, TerritoireResume } from "../territory.schemas.ts";

export const ListTerritoriesParams = Type.Object({ niveau: NiveauParam });

export const ListTerritoriesQuery = Type.Object({
  region: Type.Optional(CodeParam),
  departement: Type.Optional(CodeParam),
  epci: Type.Optional(CodeParam),
  q: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 100,
      description: "Nom ou code postal, sans tenir compte des accents ni de la casse",
    }),
  ),
  tri: Type.Optional(
    Type.Enum(["nom", "population", "code"], {
      description: "Ordre des résultats ; par défaut pertinence si q est donné, sinon nom",
    }),
  ),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  offset: Type.Integer({ minimum: 0, maximum: 100_000, default: 0 }),
  format: Type.Enum(["json", "csv"], {
    default: "json",
    description: "csv : tous les résultats (sans pagination), séparateur point-virgule, UTF-8",
  }),
});
export type ListTerritoriesQuery = Static<typeof ListTerritoriesQuery>;

export const ListTerritoriesResponse = Type.Object({
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
  results: Type.Array(TerritoireResume),
});
export type ListTerritoriesResponse = Static<typeof ListTerritoriesResponse>;

export const listTerritoriesSchema = {
  summary: "Lister les territoires d'un niveau",
  tags: ["territoires"],
  params: ListTerritoriesParams,
  querystring: ListTerritoriesQuery,
  response: { 200: ListTerritoriesResponse, 400: ErrorResponse },
};
