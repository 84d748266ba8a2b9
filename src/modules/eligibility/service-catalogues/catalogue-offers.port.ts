/**
 * What the lookup and the batch ask of the service catalogues (issue 6): the offers that apply to
 * one premise at a date, from every network serving it, side by side. Synchronous on a snapshot so
 * that a 100,000-site batch and the hot lookup path pay no query per site; the snapshot is taken
 * once per request or per batch.
 */

/** Offer families, from the shared PON to the dedicated fibre (reference broadband.md §4.1). */
export type OfferFamily = "ftth" | "ftth_pro" | "ftte_passive" | "ftte_active" | "ftto";

/** The premise, as the eligibility rules saw it. */
export interface PremiseOffersQuery {
  /** COG code of the premise's commune. */
  codeInsee: string;
  /** Network of the premise's building (thd_immeuble.reseau), null when no building is known. */
  reseau: string | null;
  /** FttH verdict of the rules for that building; null when no building is known. */
  ftth: "ouverte" | "prevue" | "non_prevue" | null;
  /** Building state of the IPE (e.g. "RACD" raccordable sur demande), null when unknown. */
  etatImmeuble: string | null;
  /** Catalogue versions valid at this date apply (ISO "AAAA-MM-JJ"). */
  date: string;
}

export interface CatalogueOffer {
  reseau: string;
  reseauNom: string;
  /** Version label of the catalogue the offer comes from, and its validity. */
  version: string;
  valideDu: string;
  valideAu: string | null;
  /** True for the demo catalogues: plausible, not real prices. */
  exemple: boolean;
  code: string;
  nom: string;
  famille: OfferFamily;
  debitDescendantMbps: number;
  debitMontantMbps: number;
  /** Guaranteed rate; null when best effort. */
  debitGarantiMbps: number | null;
  symetrique: boolean;
  /** Repair-time guarantee in hours (GTR), null when none; `gtrLabel` says when it runs ("4 h ouvrées"). */
  gtrHeures: number | null;
  gtrLabel: string | null;
  disponibilitePct: number | null;
  /** Prices excluding VAT, euros; null when the offer is "sur devis". */
  fraisAccesHt: number | null;
  mensuelHt: number | null;
  engagementMois: number;
  delaiLivraisonJours: number | null;
  options: { nom: string; mensuelHt: number | null }[];
  /** The offer needs a study: no price is given. `raison` says why, in French. */
  surDevis: boolean;
  /**
   * Not orderable here yet: the network's FttH is planned for the building (its date is in the
   * answer's `fibre`), and the offer rides on it; priced as the catalogue in force prices it.
   */
  aVenir: boolean;
  /** Why "sur devis", or why "à venir" (in French). */
  raison: string | null;
}

export interface PremiseOffers {
  /** Every applicable offer of every network serving the premise, cheapest first within a family. */
  offres: CatalogueOffer[];
  /** Set when the premise needs a complex connection; the French reason. */
  raccordementComplexe: string | null;
}

export interface CatalogueSnapshot {
  offersFor(query: PremiseOffersQuery): PremiseOffers;
}

/** Kept by the eligibility module; a snapshot reflects every catalogue write made before it was taken. */
export interface CataloguePort {
  snapshot(): Promise<CatalogueSnapshot>;
  /** The snapshot without waiting, when the one in hand is fresh (the hot lookup path); else undefined. */
  freshSnapshot(): CatalogueSnapshot | undefined;
}
