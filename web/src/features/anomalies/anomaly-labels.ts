import type { AnomalyStatus, AnomalyType } from "./anomalies-api.ts";

export const TYPE_LABELS: Record<AnomalyType, string> = {
  adresse_absente: "Adresse absente ou introuvable",
  position_erronee: "Immeuble mal placé sur la carte",
  etat_errone: "État de la fibre erroné",
  autre: "Autre problème",
};

/** What each type means, shown under its choice in the form. */
export const TYPE_HINTS: Record<AnomalyType, string> = {
  adresse_absente: "Votre adresse n'est pas proposée, ou un autre nom ou numéro est utilisé.",
  position_erronee: "Le bâtiment indiqué n'est pas au bon endroit.",
  etat_errone: "Par exemple : la fibre est dite disponible mais aucun opérateur ne peut vous raccorder.",
  autre: "Tout autre problème sur les informations de cette adresse.",
};

export const STATUS_LABELS: Record<AnomalyStatus, string> = {
  nouvelle: "Nouveau",
  en_cours: "En cours de traitement",
  resolue: "Résolu",
  rejetee: "Rejeté",
};

export const STATUS_TONES: Record<AnomalyStatus, "succes" | "echec" | "neutre"> = {
  nouvelle: "neutre",
  en_cours: "neutre",
  resolue: "succes",
  rejetee: "echec",
};

export const ANOMALY_TYPES = Object.keys(TYPE_LABELS) as AnomalyType[];
export const ANOMALY_STATUSES = Object.keys(STATUS_LABELS) as AnomalyStatus[];
