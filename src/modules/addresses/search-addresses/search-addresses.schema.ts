import { type Static, Type } from "typebox";

const ResultType = Type.Enum(["housenumber", "street", "locality", "municipality"], {
  description: "housenumber : adresse ; street : voie ; locality : lieu-dit (sans numéro) ; municipality : commune",
});

export const SearchAddressesQuery = Type.Object({
  q: Type.String({ minLength: 3, maxLength: 200, description: "Texte libre, tel que tapé (3 à 200 caractères)" }),
  limit: Type.Integer({ minimum: 1, maximum: 50, default: 5 }),
  autocomplete: Type.Enum(["0", "1"], { default: "1", description: "1 : le dernier mot peut être un début de mot" }),
  type: Type.Optional(ResultType),
  postcode: Type.Optional(Type.String({ pattern: "^[0-9]{5}$" })),
  citycode: Type.Optional(Type.String({ pattern: "^[0-9AB]{5}$" })),
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
  lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
});
export type SearchAddressesQuery = Static<typeof SearchAddressesQuery>;

export const ReverseAddressesQuery = Type.Object({
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  lon: Type.Number({ minimum: -180, maximum: 180 }),
  limit: Type.Integer({ minimum: 1, maximum: 50, default: 1 }),
  type: Type.Optional(ResultType),
});

const AddressFeature = Type.Object({
  type: Type.Literal("Feature"),
  geometry: Type.Object({ type: Type.Literal("Point"), coordinates: Type.Array(Type.Number()) }),
  properties: Type.Object({
    label: Type.String(),
    score: Type.Number(),
    id: Type.String(),
    type: ResultType,
    name: Type.String(),
    housenumber: Type.Optional(Type.String()),
    street: Type.Optional(Type.String()),
    postcode: Type.String(),
    citycode: Type.String(),
    city: Type.String(),
    context: Type.String(),
    importance: Type.Number(),
    x: Type.Optional(Type.Number()),
    y: Type.Optional(Type.Number()),
    distance: Type.Optional(Type.Number({ description: "Mètres, quand lat/lon sont donnés" })),
  }),
});

/** The national address API's response (GeoCodeJSON draft). */
export const AddressFeatureCollection = Type.Object({
  type: Type.Literal("FeatureCollection"),
  version: Type.Literal("draft"),
  features: Type.Array(AddressFeature),
  attribution: Type.String(),
  licence: Type.String(),
  query: Type.Optional(Type.String()),
  filters: Type.Optional(Type.Record(Type.String(), Type.String())),
  center: Type.Optional(Type.Array(Type.Number())),
  limit: Type.Integer(),
});
export type AddressFeatureCollection = Static<typeof AddressFeatureCollection>;
