import { type Static, type TSchema, Type } from "typebox";
import { RATTACHEMENTS, STATUTS_ANOMALIE, TYPES_ANOMALIE } from "./address-anomalies.tables.ts";

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const TypeAnomalie = Type.Enum([...TYPES_ANOMALIE], {
  description:
    "adresse_absente (adresse inconnue ou introuvable), position_erronee (immeuble mal placé), " +
    "etat_errone (état de la fibre faux), autre",
});
export const StatutAnomalie = Type.Enum([...STATUTS_ANOMALIE], {
  description: "nouvelle, en_cours, resolue ou rejetee (resolue et rejetee closent le signalement)",
});
const Rattachement = Type.Enum([...RATTACHEMENTS], {
  description:
    "Comment le réseau responsable a été trouvé : immeuble, adresse (immeubles de l'adresse BAN), " +
    "proximite (immeuble à 200 m au plus), departement (RIP du département), aucun",
});
const Reseau = Type.Object({ code: Type.String(), nom: Nullable(Type.String()) });

/** Follow tokens: 32 random bytes in base64url. */
export const JETON_PATTERN = "^[A-Za-z0-9_-]{43}$";

export const ReportBody = Type.Object({
  type: TypeAnomalie,
  description: Type.String({ minLength: 1, maxLength: 2000, description: "Le problème, en quelques phrases" }),
  adresse: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 300,
      description: "Adresse en texte libre",
      examples: ["12 rue des Lilas, Coutances"],
    }),
  ),
  id: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: "Identifiant d'adresse BAN" })),
  immeuble: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: "Identifiant d'immeuble" })),
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90, description: "Latitude WGS 84" })),
  lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180, description: "Longitude WGS 84" })),
  commune: Type.Optional(Type.String({ pattern: "^(\\d{5}|2[AB]\\d{3})$", description: "Code INSEE de la commune" })),
  contact: Type.Optional(
    Type.String({
      format: "email",
      maxLength: 254,
      description:
        "E-mail facultatif, pour que l'opérateur puisse demander une précision : jamais publié, effacé 90 jours après la clôture",
    }),
  ),
});
export type ReportBody = Static<typeof ReportBody>;

export const ReportCreated = Type.Object({
  jeton: Type.String({ description: "Jeton de suivi, montré une seule fois : il ouvre la page de suivi" }),
  lien: Type.String({ description: "Chemin de la page de suivi sur cette plateforme" }),
  statut: StatutAnomalie,
  reseau: Nullable(Reseau),
  rattachement: Rattachement,
});
export type ReportCreated = Static<typeof ReportCreated>;

const PublicEvent = Type.Object({
  quand: Type.String(),
  statut: StatutAnomalie,
  message: Nullable(Type.String({ description: "Réponse publique ; null pour un simple changement de statut" })),
  auteur: Type.String({ description: "Qui : « Vous », « Opérateur du réseau », « Région »" }),
});

export const FollowResponse = Type.Object({
  type: TypeAnomalie,
  description: Type.String(),
  adresse: Nullable(Type.String()),
  commune: Nullable(Type.String()),
  reseau: Nullable(Reseau),
  statut: StatutAnomalie,
  creeLe: Type.String(),
  modifieLe: Type.String(),
  closLe: Nullable(Type.String()),
  evenements: Type.Array(PublicEvent),
});
export type FollowResponse = Static<typeof FollowResponse>;

export const AnomalySummary = Type.Object({
  id: Type.String({ format: "uuid" }),
  type: TypeAnomalie,
  description: Type.String(),
  adresse: Nullable(Type.String()),
  adresseId: Nullable(Type.String()),
  immeuble: Nullable(Type.String()),
  lat: Nullable(Type.Number()),
  lon: Nullable(Type.Number()),
  commune: Nullable(Type.String()),
  reseau: Nullable(Reseau),
  rattachement: Rattachement,
  statut: StatutAnomalie,
  statutInterop: Type.String({ description: "Statut équivalent du protocole Interop'Fibre AnomalieAdresse" }),
  typeInterop: Nullable(Type.String({ description: "Type de ticket Interop'Fibre équivalent, s'il y en a un" })),
  contact: Nullable(Type.String({ description: "E-mail du déclarant (donnée personnelle, s'il l'a laissé)" })),
  creeLe: Type.String(),
  modifieLe: Type.String(),
  closLe: Nullable(Type.String()),
});
export type AnomalySummary = Static<typeof AnomalySummary>;

const InboxEvent = Type.Object({
  id: Type.String(),
  quand: Type.String(),
  nature: Type.Enum(["signalement", "reponse"]),
  auteur: Type.String(),
  auteurRole: Type.String(),
  statutAvant: Nullable(StatutAnomalie),
  statutApres: StatutAnomalie,
  message: Nullable(Type.String()),
  public: Type.Boolean(),
});

export const AnomalyDetail = Type.Intersect([AnomalySummary, Type.Object({ evenements: Type.Array(InboxEvent) })]);
export type AnomalyDetail = Static<typeof AnomalyDetail>;

export const InboxQuery = Type.Object({
  statut: Type.Optional(StatutAnomalie),
  reseau: Type.Optional(
    Type.String({ minLength: 1, maxLength: 100, description: "Code du réseau ; « aucun » : sans réseau responsable" }),
  ),
  type: Type.Optional(TypeAnomalie),
  commune: Type.Optional(Type.String({ pattern: "^(\\d{5}|2[AB]\\d{3})$", description: "Code INSEE" })),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
  format: Type.Enum(["json", "csv", "xlsx"], {
    default: "json",
    description: "csv et xlsx : toutes les lignes filtrées",
  }),
});
export type InboxQuery = Static<typeof InboxQuery>;

export const InboxPage = Type.Object({
  total: Type.Integer(),
  results: Type.Array(AnomalySummary),
  reseaux: Type.Array(Reseau, { description: "Réseaux que l'appelant peut filtrer (son périmètre)" }),
});
export type InboxPage = Static<typeof InboxPage>;

export const AnswerBody = Type.Object({
  message: Type.String({ minLength: 1, maxLength: 2000 }),
  statut: Type.Optional(
    Type.Enum(["en_cours", "resolue", "rejetee"], { description: "Nouveau statut ; absent : inchangé" }),
  ),
  public: Type.Boolean({
    default: true,
    description: "Visible du déclarant sur la page de suivi (sinon note interne)",
  }),
});
export type AnswerBody = Static<typeof AnswerBody>;
