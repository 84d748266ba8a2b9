import { type TSchema, Type } from "typebox";
import { CodeParam, NiveauParam } from "../../territory/territory.schemas.ts";

// The schemas are imported by the web front end (types only): they import nothing but TypeBox and
// other schemas.

/** API keys of the speed-class bins, in order (columns `inel`, `0_3`, … `100` of thd_stat_commune). */
export const CLASSES_API = ["inel", "0-3", "3-8", "8-30", "30-100", "100+"] as const;
export type ClasseApi = (typeof CLASSES_API)[number];

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const ObservatoireParams = Type.Object({ niveau: NiveauParam, code: CodeParam });

export const TrimestreParam = Type.String({
  pattern: "^[0-9]{4}T[1-4]$",
  description: "Trimestre AAAATn ; par défaut le dernier trimestre publié",
  examples: ["2018T1"],
});

export const FormatTableau = Type.Enum(["json", "csv", "xlsx"], {
  default: "json",
  description: "csv (séparateur point-virgule, UTF-8 avec BOM) ou xlsx : le tableau à télécharger",
});
export const FormatGeographique = Type.Enum(["json", "csv", "xlsx", "geojson"], {
  default: "json",
  description: "csv (séparateur point-virgule, UTF-8 avec BOM), xlsx ou geojson : le tableau à télécharger",
});

export const VarianteParam = Type.Enum(["filaire", "terrestre", "toutes"], {
  description: "filaire : cuivre, câble, fibre ; terrestre : sans le satellite ; toutes : toutes technologies",
});

export const TerritoireRef = Type.Object({ niveau: NiveauParam, code: Type.String(), nom: Type.String() });

export const TrimestreRef = Type.Object({
  code: Type.String(),
  statut: Type.Enum(["brouillon", "publie"]),
  fin: Type.String({ description: "Date que décrivent les chiffres (dernier jour du trimestre)" }),
  simule: Type.Boolean({ description: "Chiffres simulés (démonstration)" }),
});

export const Avertissement = Nullable(
  Type.String({ description: "Présent quand les chiffres sont simulés : à afficher avec eux" }),
);

const Part = Nullable(Type.Number({ description: "Part en % (2 décimales) ; null sans données" }));

export const ClasseFigure = Type.Object({
  classe: Type.Enum([...CLASSES_API]),
  libelle: Type.String(),
  locaux: Type.Integer(),
  part: Part,
});

export const VarianteFigures = Nullable(
  Type.Object({
    libelle: Type.String(),
    locauxCouverts: Type.Integer({ description: "Locaux des communes dont les classes de débit sont connues" }),
    classes: Type.Array(ClasseFigure),
    thd: Type.Object({ locaux: Type.Integer(), part: Part }, { description: "Très haut débit : 30 Mbit/s et plus" }),
  }),
);

export const FtthFigures = Type.Object({
  locauxCouverts: Type.Integer({ description: "Locaux des communes dont les chiffres FttH sont connus" }),
  raccordables: Nullable(Type.Integer()),
  part: Part,
  raccordablesDemande: Nullable(Type.Integer({ description: "Raccordables à la demande" })),
  partDemande: Part,
});

export const Figures = {
  communesAvecDonnees: Type.Integer(),
  locaux: Type.Integer(),
  variantes: Type.Object({ filaire: VarianteFigures, terrestre: VarianteFigures, toutes: VarianteFigures }),
  ftth: FtthFigures,
  technologies: Type.Array(
    Type.Object({
      technologie: Type.Enum(["cu", "coax", "ftth", "4gf", "thdr", "sat"]),
      libelle: Type.String(),
      locaux: Type.Integer({ description: "Locaux éligibles (un local compte sous chacune de ses technologies)" }),
      part: Part,
    }),
  ),
};

export const ShareFigures = {
  communesAvecDonnees: Type.Integer(),
  locaux: Type.Integer(),
  thd: Type.Object(
    { filaire: Part, terrestre: Part, toutes: Part },
    { description: "Part des locaux à 30 Mbit/s et plus, par variante" },
  ),
  ftth: Type.Object({ raccordables: Nullable(Type.Integer()), part: Part }),
};
