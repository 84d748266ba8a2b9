import { type Static, Type } from "typebox";
import { ErrorResponse } from "../../../shared/http/error-response.schema.ts";

/** TypeBox schemas of the catalogue routes; `Offre` and `OffresLocal` also serve the lookup's answer. */

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
/**
 * A nullable number in a request body. Not a union: with the app's `coerceTypes`, Ajv would turn
 * null into 0 in `anyOf [number, null]` (a free offer instead of "sur devis"); a type list is exact.
 */
const NullableNumber = (options: { description?: string; examples?: unknown[]; minimum?: number } = {}) =>
  Type.Unsafe<number | null>({ type: ["number", "null"], ...options });
const NullableInteger = (options: { description?: string; examples?: unknown[] } = {}) =>
  Type.Unsafe<number | null>({ type: ["integer", "null"], ...options });
const NullableString = (options: { description?: string; examples?: unknown[]; maxLength?: number } = {}) =>
  Type.Unsafe<string | null>({ type: ["string", "null"], ...options });
const IsoDate = Type.String({ format: "date", description: "Date ISO AAAA-MM-JJ" });

export const Famille = Type.Enum(["ftth", "ftth_pro", "ftte_passive", "ftte_active", "ftto"], {
  description:
    "Famille d'offre : FttH, FttH pro (fibre mutualisée), FttE passive (NRO ou PM), FttE activée, FttO (fibre dédiée)",
});

const OptionOffre = Type.Object({
  nom: Type.String({ minLength: 1, maxLength: 120 }),
  mensuelHt: NullableNumber({ minimum: 0, description: "Prix mensuel HT ; vide = sur devis" }),
});

/** Fields shared by an offer as served and as written. */
const offerFields = {
  code: Type.String({ description: "Code de l'offre, unique dans la version", examples: ["FTTO-100"] }),
  nom: Type.String({ examples: ["FttO 100 Mbit/s"] }),
  famille: Famille,
  debitDescendantMbps: Type.Number({ description: "Débit crête descendant, Mbit/s", examples: [100] }),
  debitMontantMbps: Type.Number({ description: "Débit crête montant, Mbit/s", examples: [100] }),
  debitGarantiMbps: Nullable(Type.Number({ description: "Débit garanti, Mbit/s ; vide = au mieux" })),
  symetrique: Type.Boolean(),
  gtrHeures: Nullable(Type.Number({ description: "Garantie de temps de rétablissement, heures ; vide = aucune" })),
  gtrLabel: Nullable(Type.String({ description: "Quand la GTR court", examples: ["4 h ouvrées"] })),
  disponibilitePct: Nullable(Type.Number({ description: "Disponibilité garantie, %" })),
  fraisAccesHt: Nullable(Type.Number({ description: "Frais d'accès au service (FAS), € HT ; vide = sur devis" })),
  mensuelHt: Nullable(Type.Number({ description: "Abonnement mensuel, € HT ; vide = sur devis" })),
  engagementMois: Type.Integer({ description: "Durée minimale d'engagement, mois" }),
  delaiLivraisonJours: Nullable(Type.Integer({ description: "Délai de livraison, jours" })),
  options: Type.Array(OptionOffre),
  surDevis: Type.Boolean({ description: "Prix après étude : aucun prix n'est donné" }),
  raison: Nullable(Type.String({ description: "Pourquoi sur devis" })),
};

/** An offer as a network's catalogue defines it. */
export const OffreCatalogue = Type.Object(offerFields);

/** An offer as it applies somewhere: with its network and catalogue version. */
export const Offre = Type.Object({
  reseau: Type.String({ examples: ["RIP50"] }),
  reseauNom: Type.String(),
  version: Type.String(),
  valideDu: IsoDate,
  valideAu: Nullable(IsoDate),
  exemple: Type.Boolean({ description: "Catalogue d'exemple (démonstration) : prix non contractuels" }),
  ...offerFields,
  aVenir: Type.Boolean({
    description:
      "Pas encore commandable ici : la fibre de ce réseau est prévue pour l'immeuble (date dans `fibre`), l'offre en dépend ; prix du catalogue en vigueur",
  }),
  raison: Nullable(Type.String({ description: "Pourquoi sur devis, ou pourquoi à venir" })),
});

/** The offers that apply to one premise (`PremiseOffers` of the port). */
export const OffresLocal = Type.Object({
  offres: Type.Array(Offre, {
    description: "Offres de chaque réseau, par famille puis prix mensuel (sur devis en dernier)",
  }),
  raccordementComplexe: Nullable(Type.String({ description: "Raccordement complexe : la raison" })),
});

export const StatutVersion = Type.Enum(["passee", "en_vigueur", "a_venir"]);

export const VersionResume = Type.Object({
  reseau: Type.String(),
  reseauNom: Type.String(),
  version: Type.String(),
  valideDu: IsoDate,
  valideAu: Nullable(IsoDate),
  statut: StatutVersion,
  modifiable: Type.Boolean({ description: "Version à venir : modifiable et supprimable" }),
  exemple: Type.Boolean(),
  couvertureDepartements: Type.Array(Type.String()),
  couvertureCommunes: Type.Array(Type.String()),
  note: Nullable(Type.String()),
  nbOffres: Type.Integer(),
  modifieLe: Type.String(),
});
export type VersionResume = Static<typeof VersionResume>;

export const VersionDetail = Type.Object({ ...VersionResume.properties, offres: Type.Array(OffreCatalogue) });
export type VersionDetail = Static<typeof VersionDetail>;

// ----- Write bodies: bounds here, consistency rules in catalogue-validation.ts.

const OffreSaisie = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 40, examples: ["FTTO-100"] }),
    nom: Type.String({ minLength: 1, maxLength: 120, examples: ["FttO 100 Mbit/s"] }),
    famille: Famille,
    debitDescendantMbps: Type.Number({ examples: [100] }),
    debitMontantMbps: Type.Number({ examples: [100] }),
    debitGarantiMbps: Type.Optional(NullableNumber({ examples: [100] })),
    symetrique: Type.Optional(Type.Boolean({ examples: [true] })),
    gtrHeures: Type.Optional(NullableNumber({ examples: [4] })),
    gtrLabel: Type.Optional(NullableString({ maxLength: 60, examples: ["4 h ouvrées"] })),
    disponibilitePct: Type.Optional(NullableNumber({ examples: [99.9] })),
    fraisAccesHt: Type.Optional(NullableNumber({ examples: [1500] })),
    mensuelHt: Type.Optional(NullableNumber({ examples: [350] })),
    engagementMois: Type.Integer({ examples: [36] }),
    delaiLivraisonJours: Type.Optional(NullableInteger({ examples: [60] })),
    options: Type.Optional(Type.Array(OptionOffre, { maxItems: 20 })),
    surDevis: Type.Optional(Type.Boolean()),
    raison: Type.Optional(NullableString({ maxLength: 300 })),
  },
  { additionalProperties: false },
);

const versionFields = {
  valideDu: Type.String({
    description: "Premier jour de validité (AAAA-MM-JJ), aujourd'hui ou plus tard",
    examples: ["2027-01-01"],
  }),
  valideAu: Type.Optional(
    NullableString({ description: "Premier jour où elle ne s'applique plus ; vide = sans fin", examples: [null] }),
  ),
  couvertureDepartements: Type.Optional(
    Type.Array(Type.String(), {
      maxItems: 110,
      description: "Départements où la fibre dédiée (FttO) du réseau est vendue",
      examples: [["50"]],
    }),
  ),
  couvertureCommunes: Type.Optional(
    Type.Array(Type.String(), { maxItems: 5000, description: "Communes (codes INSEE) couvertes en plus" }),
  ),
  note: Type.Optional(NullableString({ maxLength: 1000 })),
  exemple: Type.Optional(Type.Boolean({ description: "Catalogue d'exemple (démonstration)" })),
  offres: Type.Array(OffreSaisie, { minItems: 1, maxItems: 200 }),
};

export const NouvelleVersion = Type.Object(
  {
    version: Type.String({ minLength: 1, maxLength: 30, description: "Libellé de la version", examples: ["2027"] }),
    ...versionFields,
  },
  { additionalProperties: false },
);
export const VersionModifiee = Type.Object(versionFields, { additionalProperties: false });

export const ReseauParams = Type.Object({
  reseau: Type.String({ minLength: 1, maxLength: 40, description: "Code du réseau (thd_reseau)", examples: ["RIP50"] }),
});
export const VersionParams = Type.Object({
  ...ReseauParams.properties,
  version: Type.String({ minLength: 1, maxLength: 30, examples: ["2026"] }),
});

export const FormatExport = Type.Enum(["json", "csv", "xlsx"], {
  default: "json",
  description: "Format de la réponse",
});

/** A refused write: the first problem in `message`, all of them in `erreurs` (with the file line for an import). */
export const ErreurCatalogue = Type.Object({
  ...ErrorResponse.properties,
  erreurs: Type.Optional(
    Type.Array(
      Type.Object({
        champ: Type.String(),
        offre: Type.Optional(Type.Integer({ description: "Indice de l'offre dans `offres`" })),
        ligne: Type.Optional(Type.Integer({ description: "Ligne du fichier importé" })),
        message: Type.String(),
      }),
    ),
  ),
  versions: Type.Optional(Type.Array(Type.String(), { description: "Versions chevauchées" })),
});

export type Offre = Static<typeof Offre>;
export type OffreCatalogue = Static<typeof OffreCatalogue>;
export type OffresLocal = Static<typeof OffresLocal>;
export type NouvelleVersion = Static<typeof NouvelleVersion>;

export const ERROR_RESPONSES = { 400: ErreurCatalogue, 404: ErrorResponse, 409: ErreurCatalogue };
