import { type Static, Type } from "typebox";
import { ErrorResponse } from "../../../shared/http/error-response.schema.ts";
import { CLASSES_ARCEP } from "../../broadband/broadband.tables.ts";

const Classe = Type.Enum([...CLASSES_ARCEP], {
  description:
    "Classe de débit ARCEP, comme seuil : INEL < 0,5 ; HD05 ≥ 0,5 ; HD3 ≥ 3 ; BHD8 ≥ 8 ; THD30 ≥ 30 ; THD100 ≥ 100 ; THD1G ≥ 1 000 Mbit/s",
});
const Techno = Type.Enum(["FO", "CU", "COAX", "4GF", "THDR", "WMX", "SAT"], { description: "Code technologie ARCEP" });
const NullableString = Type.Union([Type.String(), Type.Null()]);
const Operateur = Type.Object({ code: Type.String(), nom: NullableString });

export const EligibilityQuerystring = Type.Object({
  adresse: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description: "Adresse en texte libre, géocodée (la meilleure réponse ; les autres si elle est ambiguë)",
      examples: ["1 av de la republique caen"],
    }),
  ),
  id: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 100,
      description: "Identifiant d'adresse BAN (clé d'interopérabilité)",
      examples: ["61001_0010_00012"],
    }),
  ),
  immeuble: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 100,
      description: "Identifiant d'immeuble",
      examples: ["IMB/61001/X/0001"],
    }),
  ),
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90, description: "Latitude WGS 84", examples: [48.43] })),
  lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180, description: "Longitude WGS 84", examples: [0.09] })),
});
export type EligibilityQuerystring = Static<typeof EligibilityQuerystring>;

const Technologie = Type.Object({
  code: Techno,
  libelle: Type.String(),
  disponible: Type.Boolean({ description: "Au moins un opérateur la commercialise ici" }),
  descendant: Type.Union([Classe, Type.Null()], {
    description: "Meilleure classe descendante des opérateurs présents",
  }),
  montant: Type.Union([Classe, Type.Null()], { description: "Meilleure classe montante des opérateurs présents" }),
  operateurs: Type.Array(Operateur, { description: "Opérateurs commerciaux qui la vendent" }),
  operateursSatures: Type.Array(Operateur, {
    description: "Opérateurs qui ne la vendent pas pour l'instant : réseau saturé",
  }),
});

const Immeuble = Type.Object({
  immeuble: Type.Object({
    id: Type.String(),
    adresseId: NullableString,
    numero: NullableString,
    rep: NullableString,
    nomVoie: NullableString,
    codeInsee: Type.String(),
    lon: Type.Union([Type.Number(), Type.Null()]),
    lat: Type.Union([Type.Number(), Type.Null()]),
    type: NullableString,
    nbLocaux: Type.Integer(),
  }),
  reseau: Type.Union([Operateur, Type.Null()], { description: "Réseau FttH (RIP ou privé)" }),
  operateurInfrastructure: Type.Union([Operateur, Type.Null()]),
  fibre: Type.Object({
    etat: Type.Enum(["raccordable", "raccordable_sur_demande", "prevu", "non_prevu"]),
    disponible: Type.Boolean({ description: "Immeuble et PM déployés, ouverture commerciale atteinte" }),
    ouvertureCommerciale: Type.Union([Type.String({ format: "date" }), Type.Null()], {
      description: "Ouverture commerciale à venir du PM",
    }),
    datePrevue: Type.Union([Type.String({ format: "date" }), Type.Null()], {
      description: "Date prévue de raccordabilité, quand elle est connue",
    }),
  }),
  technologies: Type.Array(Technologie),
  meilleur: Type.Union([
    Type.Object({ descendant: Classe, montant: Classe, technologies: Type.Array(Techno) }),
    Type.Null(),
  ]),
  fermetureCuivre: Type.Union([
    Type.Object({
      trimestre: Type.String(),
      lot: NullableString,
      fermetureCommerciale: NullableString,
      fermetureTechnique: NullableString,
      message: NullableString,
    }),
    Type.Null(),
  ]),
});

const Geocodage = Type.Object(
  {
    requete: Type.String({ description: "Le texte demandé" }),
    label: Type.String({ description: "L'adresse retenue" }),
    score: Type.Number({ description: "Score de correspondance, de 0 à 1" }),
    id: Type.String({ description: "Identifiant de l'adresse retenue" }),
    alternatives: Type.Array(Type.Object({ id: Type.String(), label: Type.String(), score: Type.Number() }), {
      description:
        "Autres adresses possibles, listées quand la correspondance est ambiguë (deuxième score à 0,05 ou moins du meilleur, ou meilleur score sous 0,6)",
    }),
  },
  { description: "Géocodage de la recherche par `adresse` (null pour les autres critères)" },
);

export const EligibilityResponse = Type.Object({
  trimestre: Type.Object({ code: Type.String(), simule: Type.Boolean() }),
  geocodage: Type.Union([Geocodage, Type.Null()]),
  dateReference: Type.String({ format: "date", description: "Jour auquel l'ouverture commerciale est jugée" }),
  distanceM: Type.Union([Type.Integer(), Type.Null()], {
    description:
      "Distance au point demandé (recherche par lat/lon), ou à la position de l'adresse géocodée quand elle n'a pas d'immeuble, en mètres",
  }),
  immeubles: Type.Array(Immeuble),
  simule: Type.Boolean({ description: "Données simulées (démonstration)" }),
});
export type EligibilityResponse = Static<typeof EligibilityResponse>;

export const lookupEligibilitySchema = {
  summary: "Éligibilité d'une adresse, d'un immeuble ou d'un point",
  description:
    "Exactement un critère : `adresse` (texte libre géocodé ; sans immeuble à cette adresse, l'immeuble le plus proche à 200 m au plus), " +
    "`id` (adresse BAN), `immeuble`, ou `lat` et `lon` (immeuble le plus proche à 200 m au plus). " +
    "Règles de Ma connexion internet (ARCEP) sur le dernier trimestre publié : fibre ouverte quand l'immeuble et son PM " +
    "sont déployés et l'ouverture commerciale atteinte, autres technologies par classe de débit, meilleur débit, " +
    "fermeture du cuivre de la commune.",
  tags: ["eligibilite"],
  querystring: EligibilityQuerystring,
  response: { 200: EligibilityResponse, 400: ErrorResponse, 404: ErrorResponse },
};
