import { type Static, Type } from "typebox";

/** The body of every error response; referenced by each route's schema. */
export const ErrorResponse = Type.Object(
  {
    statusCode: Type.Integer(),
    code: Type.String({
      description: "Code stable, à tester plutôt que le message",
    }),
    message: Type.String({ description: "Message en français" }),
    parametre: Type.Optional(
      Type.String({
        description: "Paramètre en cause, pour une requête invalide",
      }),
    ),
  },
  { $id: "Erreur", title: "Erreur" },
);
export type ErrorResponse = Static<typeof ErrorResponse>;
