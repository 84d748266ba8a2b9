import { type Static, Type } from "typebox";
import { ErrorResponse } from "../../../shared/http/error-response.schema.ts";

export const QuarterCodeParam = Type.String({
  pattern: "^[0-9]{4}T[1-4]$",
  description: "Trimestre, AAAATn (ex. 2018T1)",
  examples: ["2018T1"],
});

export const Trimestre = Type.Object(
  {
    code: Type.String({ description: "AAAATn" }),
    statut: Type.Enum(["brouillon", "publie"], { description: "Un trimestre publié ne change plus" }),
    debut: Type.String({ format: "date", description: "Premier jour du trimestre" }),
    fin: Type.String({ format: "date", description: "Dernier jour du trimestre (date des chiffres)" }),
    simule: Type.Boolean({ description: "Chiffres simulés à partir d'agrégats réels (démonstration)" }),
    publieLe: Type.Union([Type.String(), Type.Null()]),
    publiePar: Type.Optional(
      Type.Union([Type.String(), Type.Null()], { description: "Visible des agents et administrateurs seulement" }),
    ),
  },
  { $id: "Trimestre" },
);
export type Trimestre = Static<typeof Trimestre>;

export const TrimestreList = Type.Object({ trimestres: Type.Array(Trimestre) });

export const listQuartersSchema = {
  summary: "Trimestres de l'observatoire du THD",
  description:
    "Les trimestres publiés, du plus ancien au plus récent ; les agents et administrateurs voient aussi les brouillons.",
  tags: ["observatoire"],
  response: { 200: TrimestreList },
};

export const publishQuarterSchema = {
  summary: "Publier un trimestre",
  description: "Le trimestre devient public et ne peut plus être modifié (aucun import ne l'atteint plus).",
  tags: ["observatoire"],
  params: Type.Object({ code: QuarterCodeParam }),
  response: {
    200: Trimestre,
    400: ErrorResponse,
    401: ErrorResponse,
    403: ErrorResponse,
    404: ErrorResponse,
    409: ErrorResponse,
  },
};
