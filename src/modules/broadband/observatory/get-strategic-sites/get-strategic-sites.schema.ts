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

export const TypeSite = Type.Enum(["college", "sante", "enseignement_superieur"], {
  description: "college, sante (hôpitaux) ou enseignement_superieur",
});

export const GetStrategicSitesQuery = Type.Object({
  trimestre: Type.Optional(TrimestreParam),
  type: Type.Optional(TypeSite),
  tableau: Type.Enum(["sites", "synthese"], {
    default: "sites",
    description:
      "La liste des sites (en GeoJSON : des points), ou la part raccordée par département et type (en GeoJSON : le contour du département, celui du territoire pour les totaux)",
  }),
  format: FormatGeographique,
});

export const StrategicSite = Type.Object({
  id: Type.String(),
  type: TypeSite,
  typeLibelle: Type.String(),
  nom: Type.String(),
  adresse: Nullable(Type.String()),
  commune: Type.Object({ code: Type.String(), nom: Type.String() }),
  departement: Nullable(Type.String()),
  lon: Nullable(Type.Number()),
  lat: Nullable(Type.Number()),
  raccordeLe: Nullable(Type.String({ description: "Date de raccordement (réalisée ou prévue)" })),
  etat: Type.Enum(["raccorde", "prevu", "non_raccorde"], { description: "À la fin du trimestre" }),
});
export type StrategicSite = Static<typeof StrategicSite>;

export const SiteShare = Type.Object({
  departement: Nullable(Type.String()),
  departementNom: Nullable(Type.String()),
  type: TypeSite,
  typeLibelle: Type.String(),
  sites: Type.Integer(),
  raccordes: Type.Integer(),
  part: Nullable(Type.Number({ description: "Part des sites raccordés, en %" })),
});
export type SiteShare = Static<typeof SiteShare>;

export const GetStrategicSitesResponse = Type.Object({
  territoire: TerritoireRef,
  trimestre: TrimestreRef,
  sitesDu: Nullable(
    Type.String({ description: "Trimestre de la liste lue (la plus récente jusqu'au trimestre demandé)" }),
  ),
  dateReference: Type.String(),
  sites: Type.Array(StrategicSite),
  synthese: Type.Array(SiteShare, { description: "Par département et type" }),
  totaux: Type.Array(SiteShare, { description: "Par type, pour tout le territoire (departement null)" }),
  simule: Type.Boolean(),
  avertissement: Avertissement,
});
export type GetStrategicSitesResponse = Static<typeof GetStrategicSitesResponse>;

export const getStrategicSitesSchema = {
  summary: "Sites stratégiques (collèges, hôpitaux, enseignement supérieur) et leur raccordement à la fibre",
  tags: ["observatoire"],
  params: ObservatoireParams,
  querystring: GetStrategicSitesQuery,
  response: { 200: GetStrategicSitesResponse, 400: ErrorResponse, 404: ErrorResponse },
};
