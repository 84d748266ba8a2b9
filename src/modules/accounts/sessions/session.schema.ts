import { type Static, Type } from "typebox";

export const RoleGrantSchema = Type.Object({
  role: Type.Enum(["admin", "agent", "operateur", "gestionnaire", "partenaire"]),
  perimetre: Type.String({
    maxLength: 100,
    description: "Réseau, tiers-lieu ou organisation ; vide pour admin et agent",
  }),
});

export const CurrentUser = Type.Object({
  id: Type.String(),
  email: Type.String(),
  nom: Type.String(),
  roles: Type.Array(RoleGrantSchema),
});

export const SessionResponse = Type.Object({
  connecte: Type.Boolean(),
  utilisateur: Type.Optional(CurrentUser),
  jetonCsrf: Type.Optional(Type.String({ description: "À renvoyer dans l'en-tête X-CSRF-Token des écritures" })),
  oidc: Type.Boolean({ description: "Connexion OpenID Connect disponible" }),
  comptesDemo: Type.Array(Type.Object({ role: Type.String(), email: Type.String(), motDePasse: Type.String() }), {
    description: "Comptes de démonstration (mode démo seulement)",
  }),
});
export type SessionResponse = Static<typeof SessionResponse>;

export const SignInBody = Type.Object({
  email: Type.String({ minLength: 3, maxLength: 320 }),
  motDePasse: Type.String({ minLength: 1, maxLength: 1024 }),
});
