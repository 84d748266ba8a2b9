import { type Static, Type } from "typebox";

export const ApiKeyResource = Type.Object({
  id: Type.String(),
  prefixe: Type.String({ description: "Début de la clé, pour la reconnaître" }),
  nom: Type.String(),
  portees: Type.Array(Type.String()),
  proprietaire: Type.Object({ id: Type.String(), email: Type.String() }),
  creeLe: Type.String(),
  expireLe: Type.Union([Type.String(), Type.Null()]),
  revoqueeLe: Type.Union([Type.String(), Type.Null()]),
  derniereUtilisation: Type.Union([Type.String(), Type.Null()]),
});
export type ApiKeyResource = Static<typeof ApiKeyResource>;

export const CreateApiKeyBody = Type.Object({
  nom: Type.String({ minLength: 1, maxLength: 100 }),
  portees: Type.Array(Type.String({ maxLength: 100 }), { minItems: 1, maxItems: 20 }),
  expireLe: Type.Optional(Type.String({ format: "date", description: "Date d'expiration (AAAA-MM-JJ), exclue" })),
});

export type CreateApiKeyBody = Static<typeof CreateApiKeyBody>;
export const ApiKeyList = Type.Object({ results: Type.Array(ApiKeyResource) });
export type ApiKeyList = Static<typeof ApiKeyList>;
export const CreatedApiKey = Type.Intersect([
  ApiKeyResource,
  Type.Object({ cle: Type.String({ description: "La clé, montrée une seule fois" }) }),
]);
export type CreatedApiKey = Static<typeof CreatedApiKey>;
