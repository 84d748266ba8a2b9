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

export const CONDITIONS_ZONE_FIBREE = ["donnees_ftth", "locaux_raccordables", "offre_commerciale"] as const;

export const GetZoneFibreeQuery = Type.Object({
  trimestre: Type.Optional(TrimestreParam),
  seuil: Type.Number({
    minimum: 50,
    maximum: 100,
    default: 100,
    description:
      "Part minimale (%) des locaux raccordables ou raccordables à la demande ; 100 par défaut (tous les locaux)",
  }),
  format: FormatGeographique,
});

export const ZoneFibreeCommune = Type.Object({
  code: Type.String(),
  nom: Type.String(),
  locaux: Nullable(Type.Integer()),
  ftthRaccordables: Nullable(Type.Integer()),
  ftthRaccordablesDemande: Nullable(Type.Integer()),
  couverture: Nullable(Type.Number({ description: "Raccordables et raccordables à la demande, en % des locaux" })),
  operateursCommerciaux: Nullable(Type.Integer()),
  zoneFibree: Type.Boolean({ description: "Remplit toutes les conditions mesurables" }),
  conditions: Type.Array(
    Type.Object({
      condition: Type.Enum([...CONDITIONS_ZONE_FIBREE]),
      etat: Type.Enum(["remplie", "non_remplie", "non_mesuree"]),
    }),
  ),
  motifs: Type.Array(Type.String(), { description: "Pourquoi la commune ne remplit pas les conditions" }),
});
export type ZoneFibreeCommune = Static<typeof ZoneFibreeCommune>;

export const GetZoneFibreeResponse = Type.Object({
  territoire: TerritoireRef,
  trimestre: TrimestreRef,
  seuil: Type.Number(),
  conditions: Type.Array(Type.Object({ condition: Type.Enum([...CONDITIONS_ZONE_FIBREE]), libelle: Type.String() })),
  nonMesurables: Type.Array(Type.String(), { description: "Conditions du statut que nos données ne mesurent pas" }),
  synthese: Type.Object({
    communes: Type.Integer(),
    communesZoneFibree: Type.Integer(),
    locaux: Type.Integer(),
    locauxZoneFibree: Type.Integer(),
  }),
  communes: Type.Array(ZoneFibreeCommune),
  simule: Type.Boolean(),
  avertissement: Avertissement,
});
export type GetZoneFibreeResponse = Static<typeof GetZoneFibreeResponse>;

export const getZoneFibreeSchema = {
  summary: "« Zone fibrée » : les communes qui remplissent les conditions mesurables du statut",
  description:
    "Statut « zone fibrée » (art. L. 33-11 CPCE, arrêté du 6/12/2018) : pour chaque commune, les conditions mesurables à partir des chiffres par commune (tous les locaux raccordables ou raccordables à la demande ; au moins un opérateur commercial quand ce nombre est connu) et le motif de chaque condition non remplie.",
  tags: ["observatoire"],
  params: ObservatoireParams,
  querystring: GetZoneFibreeQuery,
  response: { 200: GetZoneFibreeResponse, 400: ErrorResponse, 404: ErrorResponse },
};
