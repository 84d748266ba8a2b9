import { type Static, Type } from "typebox";
import { ErrorResponse } from "../../../../shared/http/error-response.schema.ts";
import {
  Avertissement,
  FormatGeographique,
  ObservatoireParams,
  ShareFigures,
  TerritoireRef,
  TrimestreParam,
  TrimestreRef,
} from "../observatory.schemas.ts";

export const Maille = Type.Enum(["departements", "epci", "communes"], {
  description:
    "Territoires représentés : départements (d'une région), EPCI (d'une région ou d'un département), communes ; par défaut le niveau immédiatement inférieur",
});

export const ObservatoryMapQuery = Type.Object({
  trimestre: Type.Optional(TrimestreParam),
  maille: Type.Optional(Maille),
  format: FormatGeographique,
});

export const MapValue = Type.Object({ code: Type.String(), nom: Type.String(), ...ShareFigures });
export type MapValue = Static<typeof MapValue>;

export const ObservatoryMapResponse = Type.Object({
  territoire: TerritoireRef,
  trimestre: TrimestreRef,
  maille: Maille,
  valeurs: Type.Array(MapValue, {
    description:
      "Une valeur par territoire de la maille, à joindre aux contours de GET /api/territoires/{maille}/contours filtrés sur le territoire",
  }),
  simule: Type.Boolean(),
  avertissement: Avertissement,
});
export type ObservatoryMapResponse = Static<typeof ObservatoryMapResponse>;

export const observatoryMapSchema = {
  summary: "Carte de l'observatoire : part THD et part FttH de chaque territoire d'une maille",
  description:
    "Pour une carte choroplèthe : une valeur par département, EPCI ou commune du territoire (un EPCI compte pour toutes ses communes). Le format geojson joint les contours.",
  tags: ["observatoire"],
  params: ObservatoireParams,
  querystring: ObservatoryMapQuery,
  response: { 200: ObservatoryMapResponse, 400: ErrorResponse, 404: ErrorResponse },
};
