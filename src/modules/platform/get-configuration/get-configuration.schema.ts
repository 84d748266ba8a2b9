import { type Static, Type } from "typebox";

export const ConfigurationResponse = Type.Object({
  plateforme: Type.Object({ nom: Type.String(), version: Type.String() }),
  region: Type.Object({ code: Type.String(), nom: Type.String() }),
  identite: Type.Object({
    couleurPrimaire: Type.String({
      description: "Couleur #rrggbb qui porte du texte blanc",
    }),
    couleurAccent: Type.String(),
    logo: Type.String({ description: "Adresse du logo" }),
  }),
  territoires: Type.Object({
    communes: Type.Integer(),
    communesAvecPolygone: Type.Integer(),
    contoursComplets: Type.Boolean({
      description: "Faux quand des communes ne sont connues que par leur centre",
    }),
  }),
});
export type ConfigurationResponse = Static<typeof ConfigurationResponse>;
