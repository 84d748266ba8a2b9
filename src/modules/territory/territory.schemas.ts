import { type Static, Type } from "typebox";

export const NiveauParam = Type.Enum(["regions", "departements", "epci", "communes"], {
  description: "Niveau de territoire : regions, departements, epci ou communes",
});

export const CodeParam = Type.String({
  pattern: "^[0-9AB]{2,9}$",
  description: "Code INSEE (région, département, commune) ou SIREN (EPCI)",
  examples: ["14118"],
});

export const DensiteInsee = Type.Object(
  {
    niveau: Type.Integer({ minimum: 1, maximum: 7 }),
    libelle: Type.String(),
  },
  { description: "Grille communale de densité de l'INSEE (7 niveaux)" },
);

export const SourceContour = Type.Enum(["polygone", "enfants", "centre"], {
  description:
    "polygone : contour publié ; enfants : union des contours des territoires qui le composent ; centre : seul le centre est connu",
});

export const TerritoireResume = Type.Object(
  {
    niveau: NiveauParam,
    code: Type.String(),
    nom: Type.String(),
    population: Type.Integer({ description: "Population municipale (COG)" }),
    region: Type.Union([Type.String(), Type.Null()]),
    departement: Type.Union([Type.String(), Type.Null()]),
    epci: Type.Union([Type.String(), Type.Null()]),
    codesPostaux: Type.Array(Type.String()),
    centre: Type.Object({ lon: Type.Number(), lat: Type.Number() }),
    surfaceKm2: Type.Union([Type.Number(), Type.Null()]),
    densitePopulation: Type.Union([Type.Number(), Type.Null()], {
      description: "Habitants par km²",
    }),
    densiteInsee: Type.Union([DensiteInsee, Type.Null()]),
    sourceContour: SourceContour,
  },
  { $id: "TerritoireResume" },
);
export type TerritoireResume = Static<typeof TerritoireResume>;
