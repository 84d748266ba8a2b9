import type { OfferFamily } from "./catalogue-offers.port.ts";
import { OFFER_FAMILIES, type OfferDefinition } from "./catalogue-snapshot.ts";

/** An offer as a catalogue write gives it (API body, form, import line): optional fields may be absent. */
export interface OfferInput {
  code: string;
  nom: string;
  famille: OfferFamily;
  debitDescendantMbps: number;
  debitMontantMbps: number;
  debitGarantiMbps?: number | null;
  symetrique?: boolean;
  gtrHeures?: number | null;
  gtrLabel?: string | null;
  disponibilitePct?: number | null;
  fraisAccesHt?: number | null;
  mensuelHt?: number | null;
  engagementMois: number;
  delaiLivraisonJours?: number | null;
  options?: { nom: string; mensuelHt: number | null }[];
  surDevis?: boolean;
  raison?: string | null;
}

export interface VersionFields {
  valideDu: string;
  valideAu?: string | null;
  couvertureDepartements?: string[];
  couvertureCommunes?: string[];
  note?: string | null;
  exemple?: boolean;
  offres: OfferInput[];
}

export interface VersionInput extends VersionFields {
  version: string;
}

/** One reason a write is refused: the field, and the offer (index in `offres`) when it is an offer's. */
export interface Problem {
  champ: string;
  offre?: number;
  message: string;
}

export const VERSION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,29}$/;
export const RESEAU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;
const OFFER_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;
const DEPARTEMENT_PATTERN = /^(\d{2}|2A|2B|97\d)$/;
const COMMUNE_PATTERN = /^(\d{5}|2A\d{3}|2B\d{3})$/;
export const MAX_OFFERS = 200;

export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** Checks what a schema cannot say (dates, consistency, uniqueness); `today` bounds the start date. */
export function validateVersion(input: VersionFields & { version?: string }, today: string): Problem[] {
  const problems: Problem[] = [];
  const add = (champ: string, message: string, offre?: number) =>
    problems.push(offre === undefined ? { champ, message } : { champ, offre, message });
  if (input.version !== undefined && !VERSION_PATTERN.test(input.version)) {
    add("version", "doit faire 1 à 30 caractères parmi lettres, chiffres, « . », « _ » et « - »");
  }
  if (!isIsoDate(input.valideDu)) add("valideDu", "doit être une date AAAA-MM-JJ");
  else if (input.valideDu < today) {
    add("valideDu", `ne peut pas précéder aujourd'hui (${today}) : une version en vigueur ou passée ne change plus`);
  }
  if (input.valideAu != null) {
    if (!isIsoDate(input.valideAu)) add("valideAu", "doit être une date AAAA-MM-JJ ou être vide");
    else if (isIsoDate(input.valideDu) && input.valideAu <= input.valideDu) add("valideAu", "doit suivre valideDu");
  }
  for (const code of input.couvertureDepartements ?? []) {
    if (!DEPARTEMENT_PATTERN.test(code)) add("couvertureDepartements", `« ${code} » n'est pas un code de département`);
  }
  for (const code of input.couvertureCommunes ?? []) {
    if (!COMMUNE_PATTERN.test(code)) add("couvertureCommunes", `« ${code} » n'est pas un code INSEE de commune`);
  }
  if (input.offres.length === 0) add("offres", "au moins une offre est nécessaire");
  if (input.offres.length > MAX_OFFERS) add("offres", `au plus ${MAX_OFFERS} offres par version`);
  const codes = new Set<string>();
  input.offres.forEach((o, i) => {
    for (const p of validateOffer(o)) add(p.champ, p.message, i);
    if (codes.has(o.code)) add("code", `le code « ${o.code} » est déjà celui d'une autre offre`, i);
    codes.add(o.code);
  });
  return problems;
}

function validateOffer(o: OfferInput): Problem[] {
  const problems: Problem[] = [];
  const add = (champ: string, message: string) => problems.push({ champ, message });
  const range = (champ: string, value: number | null | undefined, min: number, max: number, integer = false) => {
    if (value === null || value === undefined) return;
    if (typeof value !== "number" || !Number.isFinite(value)) add(champ, "doit être un nombre");
    else if (integer && !Number.isInteger(value)) add(champ, "doit être un nombre entier");
    else if (value < min || value > max) add(champ, `doit être compris entre ${min} et ${max}`);
  };
  if (typeof o.code !== "string" || !OFFER_CODE_PATTERN.test(o.code)) {
    add("code", "doit faire 1 à 40 caractères parmi lettres, chiffres, « . », « _ » et « - »");
  }
  if (typeof o.nom !== "string" || o.nom.trim() === "" || o.nom.length > 120)
    add("nom", "doit faire 1 à 120 caractères");
  if (!OFFER_FAMILIES.includes(o.famille)) add("famille", `doit valoir ${OFFER_FAMILIES.join(", ")}`);
  if (o.debitDescendantMbps === undefined || o.debitDescendantMbps === null)
    add("debitDescendantMbps", "est obligatoire");
  if (o.debitMontantMbps === undefined || o.debitMontantMbps === null) add("debitMontantMbps", "est obligatoire");
  range("debitDescendantMbps", o.debitDescendantMbps, 0.1, 100_000);
  range("debitMontantMbps", o.debitMontantMbps, 0.1, 100_000);
  range("debitGarantiMbps", o.debitGarantiMbps, 0.1, 100_000);
  if (o.debitGarantiMbps != null && o.debitGarantiMbps > Math.max(o.debitDescendantMbps, o.debitMontantMbps)) {
    add("debitGarantiMbps", "ne peut pas dépasser le débit crête");
  }
  range("gtrHeures", o.gtrHeures, 0.5, 720);
  range("disponibilitePct", o.disponibilitePct, 0, 100);
  range("fraisAccesHt", o.fraisAccesHt, 0, 10_000_000);
  range("mensuelHt", o.mensuelHt, 0, 10_000_000);
  if (o.engagementMois === undefined || o.engagementMois === null) add("engagementMois", "est obligatoire");
  range("engagementMois", o.engagementMois, 0, 120, true);
  range("delaiLivraisonJours", o.delaiLivraisonJours, 0, 730, true);
  if (!o.surDevis) {
    if (o.fraisAccesHt == null) add("fraisAccesHt", "est obligatoire sauf pour une offre sur devis");
    if (o.mensuelHt == null) add("mensuelHt", "est obligatoire sauf pour une offre sur devis");
  }
  for (const option of o.options ?? []) {
    if (typeof option.nom !== "string" || option.nom.trim() === "") add("options", "chaque option a un nom");
    range("options", option.mensuelHt, 0, 10_000_000);
  }
  return problems;
}

/** Fills the optional fields (null, false, []) and trims names. */
export function offerDefinition(o: OfferInput): OfferDefinition {
  return {
    code: o.code,
    nom: o.nom.trim(),
    famille: o.famille,
    debitDescendantMbps: o.debitDescendantMbps,
    debitMontantMbps: o.debitMontantMbps,
    debitGarantiMbps: o.debitGarantiMbps ?? null,
    symetrique: o.symetrique ?? false,
    gtrHeures: o.gtrHeures ?? null,
    gtrLabel: o.gtrLabel?.trim() || null,
    disponibilitePct: o.disponibilitePct ?? null,
    fraisAccesHt: o.fraisAccesHt ?? null,
    mensuelHt: o.mensuelHt ?? null,
    engagementMois: o.engagementMois,
    delaiLivraisonJours: o.delaiLivraisonJours ?? null,
    options: (o.options ?? []).map((x) => ({ nom: x.nom.trim(), mensuelHt: x.mensuelHt ?? null })),
    surDevis: o.surDevis ?? false,
    raison: o.raison?.trim() || null,
  };
}

/** "offres[2].mensuelHt : doit …" — how the API names a problem. */
export function describeProblem(p: Problem): string {
  return `${p.offre === undefined ? p.champ : `offres[${p.offre}].${p.champ}`} : ${p.message}`;
}
