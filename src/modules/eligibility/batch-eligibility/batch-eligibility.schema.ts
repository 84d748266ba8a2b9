import { type Static, Type } from "typebox";
import { ErrorResponse } from "../../../shared/http/error-response.schema.ts";
import { STATUTS_LOT } from "./batch-jobs.tables.ts";

const NullableString = Type.Union([Type.String(), Type.Null()]);

export const LotParams = Type.Object({
  id: Type.String({ pattern: "^[A-Za-z0-9_-]{16,64}$", description: "Identifiant du lot (jeton reçu au dépôt)" }),
});
export type LotParams = Static<typeof LotParams>;

export const Colonnes = Type.Object({
  adresse: Type.Optional(Type.Array(Type.String(), { description: "Colonnes réunies pour former l'adresse" })),
  id: Type.Optional(Type.String({ description: "Colonne de l'identifiant d'adresse BAN" })),
  lat: Type.Optional(Type.String()),
  lon: Type.Optional(Type.String()),
  postcode: Type.Optional(Type.String({ description: "Colonne du code postal (filtre du géocodage)" })),
  citycode: Type.Optional(Type.String({ description: "Colonne du code INSEE de la commune (filtre du géocodage)" })),
});

export const LotStatut = Type.Object(
  {
    id: Type.String(),
    statut: Type.Enum([...STATUTS_LOT], {
      description:
        "en_attente (dans la file), en_cours, termine (résultats téléchargeables), echoue (voir message), interrompu (voir message)",
    }),
    fichier: Type.String(),
    encodage: Type.String({ description: "Encodage détecté du fichier : utf-8 ou windows-1252" }),
    separateur: Type.String(),
    colonnes: Colonnes,
    dateReference: Type.String({ description: "Date des ouvertures commerciales et des catalogues appliqués" }),
    trimestre: NullableString,
    total: Type.Integer({ description: "Sites (lignes de données) du fichier" }),
    traitees: Type.Integer(),
    resolues: Type.Integer(),
    echecs: Type.Integer({ description: "Sites non résolus ; la raison de chacun est dans les résultats" }),
    pourcentage: Type.Number({ minimum: 0, maximum: 100 }),
    resteSecondes: Type.Union([Type.Integer(), Type.Null()], {
      description: "Estimation du temps restant, d'après le rythme constaté",
    }),
    creeLe: Type.String(),
    demarreLe: NullableString,
    termineLe: NullableString,
    message: NullableString,
    raisons: Type.Array(Type.Object({ raison: Type.String(), nombre: Type.Integer() }), {
      description: "Sites non résolus, par raison (les plus fréquentes d'abord)",
    }),
    premiersEchecs: Type.Array(Type.Object({ ligne: Type.Integer(), entree: Type.String(), raison: Type.String() }), {
      description: "Les premiers sites non résolus (ligne du fichier, en-tête = ligne 1)",
    }),
    resultats: Type.Union([Type.Object({ csv: Type.String(), xlsx: Type.String() }), Type.Null()], {
      description: "Liens de téléchargement, une fois le lot terminé",
    }),
  },
  { $id: "LotEligibilite", title: "LotEligibilite" },
);
export type LotStatut = Static<typeof LotStatut>;

export const ResultatQuerystring = Type.Object({
  format: Type.Optional(Type.Enum(["csv", "xlsx"], { default: "csv", description: "csv (défaut) ou xlsx" })),
});
export type ResultatQuerystring = Static<typeof ResultatQuerystring>;

const MULTIPART_FIELDS =
  "Formulaire multipart : `fichier` (le CSV, UTF-8 ou Windows-1252, séparateur détecté ; au plus 100 000 sites et 20 Mio), puis un mode : `adresse` (colonnes qui forment l'adresse, répétable ; toutes par défaut) avec les filtres facultatifs `postcode` et `citycode` (colonnes), ou `id` (colonne de l'identifiant d'adresse BAN), ou `lat` et `lon` (colonnes des coordonnées WGS 84). Facultatifs : `separateur` (; , tabulation |), `date` (AAAA-MM-JJ, date de référence ; aujourd'hui par défaut).";

export const createLotSchema = {
  summary: "Déposer un fichier de sites (éligibilité multi-sites)",
  description: `${MULTIPART_FIELDS} Réponse 202 : le lot, traité en arrière-plan ; suivre sa progression sur son adresse (en-tête Location), puis télécharger les résultats en CSV ou XLSX. Les lots terminés sont conservés 7 jours. Nombre de dépôts limité par heure (par adresse IP, ou par clé d'API de portée eligibilite:lire).`,
  tags: ["eligibilite"],
  consumes: ["multipart/form-data"],
  response: { 202: LotStatut, 400: ErrorResponse, 409: ErrorResponse, 413: ErrorResponse, 429: ErrorResponse },
};

export const getLotSchema = {
  summary: "État d'un lot d'éligibilité multi-sites",
  description: "Statut, compteurs, pourcentage, temps restant estimé, premières raisons d'échec.",
  tags: ["eligibilite"],
  params: LotParams,
  response: { 200: LotStatut, 404: ErrorResponse },
};

export const getLotResultSchema = {
  summary: "Résultats d'un lot (CSV ou XLSX)",
  description:
    "Les colonnes du fichier déposé, puis pour chaque site : statut, raison (si non résolu), adresse trouvée et score, immeuble, réseau, état et date de la fibre, classe de débit par technologie, meilleure offre par critère (prix, débit garanti, GTR).",
  tags: ["eligibilite"],
  params: LotParams,
  querystring: ResultatQuerystring,
  produces: ["text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
  response: { 404: ErrorResponse, 409: ErrorResponse },
};

export const deleteLotSchema = {
  summary: "Annuler un lot et effacer ses données",
  tags: ["eligibilite"],
  params: LotParams,
  response: { 204: Type.Null(), 404: ErrorResponse },
};
