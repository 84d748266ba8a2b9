import { type Static, type TSchema, Type } from "typebox";
import { ErrorResponse } from "../../../shared/http/error-response.schema.ts";
import { CLASSES_ARCEP } from "../../broadband/broadband.tables.ts";
import { OffresLocal } from "../service-catalogues/catalogue.schemas.ts";

const Classe = Type.Enum([...CLASSES_ARCEP], {
  description:
    "Classe de débit ARCEP, comme seuil : INEL < 0,5 ; HD05 ≥ 0,5 ; HD3 ≥ 3 ; BHD8 ≥ 8 ; THD30 ≥ 30 ; THD100 ≥ 100 ; THD1G ≥ 1 000 Mbit/s",
});
const Techno = Type.Enum(["FO", "CU", "COAX", "4GF", "THDR", "WMX", "SAT"], { description: "Code technologie ARCEP" });
/**
 * `schema` or null, written as a list of types rather than an anyOf: fast-json-stringify picks an
 * anyOf branch by validating the value against it (a whole object, on every answer), a list of
 * types by `typeof`. Same JSON, same static type.
 */
function orNull<T extends TSchema>(schema: T, options: { description?: string } = {}) {
  const s = schema as unknown as { type?: string; enum?: unknown[] };
  const nullable = s.enum ? { enum: [...s.enum, null] } : { type: [s.type, "null"] };
  return Type.Unsafe<Static<T> | null>({ ...schema, ...options, ...nullable });
}

const NullableString = orNull(Type.String());
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
      description:
        "Identifiant d'adresse BAN (clé d'interopérabilité) ; une adresse sans immeuble à elle a la réponse de l'immeuble le plus proche de sa position (à moins de 200 m, `distanceM`)",
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
  format: Type.Optional(
    Type.Enum(["json", "csv"], {
      default: "json",
      description:
        "csv : le tableau des offres entreprises (une ligne par immeuble et par offre ; séparateur « ; », UTF-8)",
    }),
  ),
  date: Type.Optional(
    Type.String({
      pattern: "^\\d{4}-\\d{2}-\\d{2}$",
      description:
        "Jour de référence (AAAA-MM-JJ ; aujourd'hui par défaut) : les versions de catalogue valides ce jour-là s'appliquent, " +
        "et l'ouverture commerciale de la fibre est jugée ce jour-là (sur les immeubles du dernier trimestre publié)",
      examples: ["2026-03-01"],
    }),
  ),
});
export type EligibilityQuerystring = Static<typeof EligibilityQuerystring>;

const Technologie = Type.Object({
  code: Techno,
  libelle: Type.String(),
  disponible: Type.Boolean({ description: "Au moins un opérateur la commercialise ici" }),
  descendant: orNull(Classe, {
    description: "Meilleure classe descendante des opérateurs présents",
  }),
  montant: orNull(Classe, { description: "Meilleure classe montante des opérateurs présents" }),
  operateurs: Type.Array(Operateur, { description: "Opérateurs commerciaux qui la vendent" }),
  operateursSatures: Type.Array(Operateur, {
    description: "Opérateurs qui ne la vendent pas pour l'instant : réseau saturé",
  }),
});

/** A building's own identity and place. */
export const ImmeubleFiche = Type.Object({
  id: Type.String(),
  adresseId: NullableString,
  numero: NullableString,
  rep: NullableString,
  nomVoie: NullableString,
  codeInsee: Type.String(),
  lon: orNull(Type.Number()),
  lat: orNull(Type.Number()),
  type: NullableString,
  nbLocaux: Type.Integer(),
});

/*
 * What a building's answer says besides its identity and place, in four stretches that the route
 * serialises and shares apart (lookup-eligibility/answer-parts.ts): each depends on fewer facts than
 * the whole (the network, the FttH facts, the eligibility rows, the commune), so each has few
 * distinct values in a région. ImmeubleContexte is the four put together, in this order.
 */
export const ContexteReseau = Type.Object({
  reseau: orNull(Operateur, { description: "Réseau FttH (RIP ou privé)" }),
  operateurInfrastructure: orNull(Operateur),
});
export const ContexteFibre = Type.Object({
  fibre: Type.Object({
    etat: Type.Enum(["raccordable", "raccordable_sur_demande", "prevu", "non_prevu"]),
    disponible: Type.Boolean({ description: "Immeuble et PM déployés, ouverture commerciale atteinte" }),
    ouvertureCommerciale: orNull(Type.String({ format: "date" }), {
      description: "Ouverture commerciale à venir du PM",
    }),
    datePrevue: orNull(Type.String({ format: "date" }), {
      description: "Date prévue de raccordabilité, quand elle est connue",
    }),
  }),
});
export const ContexteTechnologies = Type.Object({
  technologies: Type.Array(Technologie),
  meilleur: orNull(Type.Object({ descendant: Classe, montant: Classe, technologies: Type.Array(Techno) })),
});
export const ContexteCuivre = Type.Object({
  fermetureCuivre: orNull(
    Type.Object({
      trimestre: Type.String(),
      lot: NullableString,
      fermetureCommerciale: NullableString,
      fermetureTechnique: NullableString,
      message: NullableString,
    }),
  ),
});

/** What a building's answer says besides its identity and place: many buildings share it. */
export const ImmeubleContexte = Type.Object({
  ...ContexteReseau.properties,
  ...ContexteFibre.properties,
  ...ContexteTechnologies.properties,
  ...ContexteCuivre.properties,
});

/**
 * A building's answer without its offers. The route serialises its two parts apart (the context is
 * shared by many buildings) and the offers apart (shared by every building of a network): `immeuble`
 * first, then the context's properties, so that the parts put together are this schema's JSON.
 */
export const ImmeubleSansOffres = Type.Object({
  immeuble: ImmeubleFiche,
  ...ImmeubleContexte.properties,
});

// `offres` last: the route writes a building's JSON, then appends its offers' (lookup-eligibility.routes.ts).
const Immeuble = Type.Object({
  ...ImmeubleSansOffres.properties,
  offres: Type.Object(OffresLocal.properties, {
    description:
      "Offres entreprises qui s'appliquent à l'immeuble, de chaque réseau, côte à côte (catalogues de services à `date`)",
  }),
});

export const Geocodage = Type.Object(
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
  geocodage: orNull(Geocodage),
  dateReference: Type.String({ format: "date", description: "Jour auquel l'ouverture commerciale est jugée" }),
  distanceM: orNull(Type.Integer(), {
    description:
      "Distance au point demandé (recherche par lat/lon), ou à la position de l'adresse (géocodée ou donnée par son identifiant) quand elle n'a pas d'immeuble, en mètres",
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
    "fermeture du cuivre de la commune, et pour chaque immeuble les offres entreprises de chaque réseau qui le dessert " +
    "(catalogues de services, versions valides à `date`), côte à côte : « sur devis » avec la raison, raccordement complexe signalé.",
  tags: ["eligibilite"],
  querystring: EligibilityQuerystring,
  response: { 200: EligibilityResponse, 400: ErrorResponse, 404: ErrorResponse },
};

export const EligibilityIndexStatus = Type.Object({
  trimestre: orNull(Type.String(), { description: "Trimestre tenu en mémoire (ou en cours de lecture)" }),
  pret: Type.Boolean({
    description: "Les recherches par `id` et `immeuble` lisent la mémoire ; sinon la base (mêmes réponses)",
  }),
  immeubles: Type.Integer(),
  lignes: Type.Integer({ description: "Lignes d'éligibilité (immeuble × opérateur × technologie)" }),
  profils: Type.Integer({ description: "Ensembles de lignes distincts, partagés par les immeubles" }),
  octets: Type.Integer({ description: "Mémoire des tableaux de l'index" }),
  dureeMs: orNull(Type.Number(), { description: "Durée de la dernière construction" }),
  erreur: NullableString,
  parties: Type.Object(
    {
      pretes: Type.Boolean({
        description:
          "Les morceaux de réponse (réseau, fibre, technologies, cuivre, offres) de chaque immeuble de l'index sont " +
          "prêts pour la date du jour : une première recherche est servie comme une deuxième",
      }),
      date: orNull(Type.String({ format: "date" }), {
        description:
          "Jour pour lequel ils sont préparés (de nouveau chaque jour, et à chaque nouvel index ou catalogue)",
      }),
      immeubles: Type.Integer({ description: "Immeubles de l'index parcourus" }),
      reponsesConstruites: Type.Integer({
        description: "Réponses construites en entier pour cela (une par morceau encore inconnu)",
      }),
      dureeMs: orNull(Type.Number()),
      erreur: NullableString,
    },
    { description: "Préparation des morceaux de réponse, en arrière-plan après la construction de l'index" },
  ),
});

export const eligibilityIndexSchema = {
  summary: "État de l'index d'éligibilité en mémoire",
  description:
    "Le serveur garde en mémoire les immeubles et lignes d'éligibilité du dernier trimestre publié, lus en arrière-plan " +
    "au démarrage et à chaque nouvelle publication ; tant qu'il n'est pas prêt, les recherches lisent la base.",
  tags: ["eligibilite"],
  response: { 200: EligibilityIndexStatus },
};
