import { type Static, Type } from "typebox";
import { ErrorResponse } from "../../../shared/http/error-response.schema.ts";
import { CodeParam, NiveauParam, TerritoireResume } from "../territory.schemas.ts";

export const TerritoryParams = Type.Object({
  niveau: NiveauParam,
  code: CodeParam,
});

const ParentRef = Type.Object({ code: Type.String(), nom: Type.String() });

export const TerritoireDetail = Type.Intersect(
  [
    TerritoireResume,
    Type.Object({
      parents: Type.Object({
        region: Type.Optional(ParentRef),
        departement: Type.Optional(ParentRef),
        epci: Type.Optional(ParentRef),
      }),
      enfants: Type.Object(
        {
          departements: Type.Optional(Type.Integer()),
          epci: Type.Optional(Type.Integer()),
          communes: Type.Optional(Type.Integer()),
        },
        {
          description: "Nombre de territoires de chaque niveau inférieur, dans la région importée",
        },
      ),
    }),
  ],
  { $id: "TerritoireDetail" },
);
export type TerritoireDetail = Static<typeof TerritoireDetail>;

export const getTerritorySchema = {
  summary: "Un territoire, ses parents et le nombre de ses enfants",
  tags: ["territoires"],
  params: TerritoryParams,
  response: { 200: TerritoireDetail, 400: ErrorResponse, 404: ErrorResponse },
};
