import type {
  CatalogueOffer,
  CatalogueSnapshot,
  OfferFamily,
  PremiseOffers,
  PremiseOffersQuery,
} from "./catalogue-offers.port.ts";

/** Family order of every listing: from the shared PON to the dedicated fibre. */
export const OFFER_FAMILIES: readonly OfferFamily[] = ["ftth", "ftth_pro", "ftte_passive", "ftte_active", "ftto"];

/** An offer as its catalogue defines it (the version's fields are added when it is served). */
export type OfferDefinition = Omit<
  CatalogueOffer,
  "reseau" | "reseauNom" | "version" | "valideDu" | "valideAu" | "exemple" | "aVenir"
>;

/** One catalogue version with its offers, as stored. */
export interface CatalogueVersion {
  reseau: string;
  reseauNom: string;
  version: string;
  valideDu: string;
  valideAu: string | null;
  exemple: boolean;
  couvertureDepartements: string[];
  couvertureCommunes: string[];
  note: string | null;
  creeLe: string;
  creePar: string | null;
  modifieLe: string;
  offres: OfferDefinition[];
}

/** Reasons given with "sur devis" and complex connections: part of the API, tested. */
export const RAISONS = {
  horsReseau: (nom: string) =>
    `Immeuble hors du réseau ${nom} : prix après étude du raccordement depuis le réseau le plus proche.`,
  nonDeploye: "Fibre pas encore déployée jusqu'à cet immeuble : prix après étude du raccordement.",
  catalogue: "Tarif sur étude, selon le site.",
  aucunImmeuble:
    "Aucun immeuble connu à cette adresse : l'adresse doit d'abord être créée chez l'opérateur d'infrastructure, puis le raccordement étudié.",
  surDemande:
    "Immeuble raccordable sur demande : le raccordement demande une étude et des travaux spécifiques, avec un délai plus long.",
  nonPrevue:
    "Fibre mutualisée non prévue pour cet immeuble : seule une fibre dédiée (FttO) est possible, après étude de génie civil.",
  aVenir:
    "À venir : la fibre de ce réseau est prévue pour cet immeuble ; l'offre sera commandable à son ouverture commerciale.",
} as const;

export function departementOf(codeInsee: string): string {
  return codeInsee.startsWith("97") ? codeInsee.slice(0, 3) : codeInsee.slice(0, 2);
}

/** IPE "RACD" or its normalised form in thd_immeuble. */
function onRequest(etat: string | null): boolean {
  if (!etat) return false;
  const e = etat.toLowerCase();
  return e === "racd" || e === "raccordable_demande" || e === "raccordable demande";
}

interface VersionEntry {
  version: CatalogueVersion;
  departements: ReadonlySet<string>;
  communes: ReadonlySet<string>;
  /** FttH, FttH pro, FttE: sold only where FttH is open on this network. */
  mutualisees: readonly CatalogueOffer[];
  /** The same, shown "à venir" where this network's FttH is planned for the building. */
  mutualiseesAVenir: readonly CatalogueOffer[];
  /** FttO as priced (on the network's footprint), and its "sur devis" variants. */
  ftto: readonly CatalogueOffer[];
  fttoNonDeploye: readonly CatalogueOffer[];
  fttoHorsReseau: readonly CatalogueOffer[];
}

const MEMO_LIMIT = 20_000;

/**
 * Every catalogue version in memory (they are small) and the applicability rules (README.md).
 * Answers are memoised by what they depend on (date, network, FttH verdict, on-request state,
 * commune): a 100,000-site batch computes a few hundred distinct answers. Returned objects are
 * frozen and shared: callers must not mutate them.
 */
export class CatalogueData implements CatalogueSnapshot {
  /** Sorted by network, then start date. */
  readonly versions: readonly CatalogueVersion[];
  private readonly byReseau = new Map<string, VersionEntry[]>();
  private readonly inForceByDate = new Map<string, VersionEntry[]>();
  private readonly memo = new Map<string, PremiseOffers>();

  constructor(versions: CatalogueVersion[]) {
    this.versions = [...versions].sort((a, b) =>
      a.reseau === b.reseau ? compare(a.valideDu, b.valideDu) : compare(a.reseau, b.reseau),
    );
    for (const version of this.versions) {
      const list = this.byReseau.get(version.reseau) ?? [];
      list.push(buildEntry(version));
      this.byReseau.set(version.reseau, list);
    }
  }

  reseaux(): string[] {
    return [...this.byReseau.keys()];
  }

  versionsOf(reseau: string): readonly CatalogueVersion[] {
    return (this.byReseau.get(reseau) ?? []).map((e) => e.version);
  }

  /** The version of `reseau` valid at `date`, if any. */
  versionAt(reseau: string, date: string): CatalogueVersion | undefined {
    return this.entryAt(reseau, date)?.version;
  }

  /** Every offer in force at `date`, network by network, as the catalogues price them. */
  offersInForce(date: string): CatalogueOffer[] {
    return this.inForce(date).flatMap((e) => [...e.mutualisees, ...e.ftto]);
  }

  offersFor(query: PremiseOffersQuery): PremiseOffers {
    const surDemande = onRequest(query.etatImmeuble);
    const key = `${query.date}\u0001${query.reseau ?? ""}\u0001${query.ftth ?? ""}\u0001${surDemande ? 1 : 0}\u0001${query.codeInsee}`;
    const known = this.memo.get(key);
    if (known) return known;
    const answer = this.compute(query, surDemande);
    if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
    this.memo.set(key, answer);
    return answer;
  }

  private compute(query: PremiseOffersQuery, surDemande: boolean): PremiseOffers {
    const offres: CatalogueOffer[] = [];
    const open = query.ftth === "ouverte";
    const own = query.reseau === null ? undefined : this.entryAt(query.reseau, query.date);
    if (own && open) offres.push(...own.mutualisees);
    else if (own && query.ftth === "prevue") offres.push(...own.mutualiseesAVenir);
    const departement = departementOf(query.codeInsee);
    for (const entry of this.inForce(query.date)) {
      const onFootprint = entry.version.reseau === query.reseau;
      if (!onFootprint && !entry.departements.has(departement) && !entry.communes.has(query.codeInsee)) continue;
      offres.push(...(onFootprint ? (open ? entry.ftto : entry.fttoNonDeploye) : entry.fttoHorsReseau));
    }
    offres.sort(compareOffers);
    const raccordementComplexe =
      query.reseau === null
        ? RAISONS.aucunImmeuble
        : surDemande
          ? RAISONS.surDemande
          : query.ftth === "non_prevue"
            ? RAISONS.nonPrevue
            : null;
    return Object.freeze({ offres: Object.freeze(offres) as CatalogueOffer[], raccordementComplexe });
  }

  private entryAt(reseau: string, date: string): VersionEntry | undefined {
    const entries = this.byReseau.get(reseau);
    if (!entries) return undefined;
    for (const e of entries) {
      if (e.version.valideDu <= date && (e.version.valideAu === null || date < e.version.valideAu)) return e;
    }
    return undefined;
  }

  private inForce(date: string): VersionEntry[] {
    let list = this.inForceByDate.get(date);
    if (!list) {
      list = [];
      for (const reseau of this.byReseau.keys()) {
        const entry = this.entryAt(reseau, date);
        if (entry) list.push(entry);
      }
      if (this.inForceByDate.size >= 1000) this.inForceByDate.clear();
      this.inForceByDate.set(date, list);
    }
    return list;
  }
}

function buildEntry(version: CatalogueVersion): VersionEntry {
  const served = version.offres.map((o) => served_(version, o, o.surDevis ? (o.raison ?? RAISONS.catalogue) : null));
  const ftto = served.filter((o) => o.famille === "ftto");
  const onStudy = (raison: string) =>
    ftto.map((o) => (o.surDevis ? o : served_(version, definitionOf(o), raison))).map((o) => Object.freeze(o));
  return {
    version,
    departements: new Set(version.couvertureDepartements),
    communes: new Set(version.couvertureCommunes),
    mutualisees: served.filter((o) => o.famille !== "ftto"),
    // An offer on study keeps its own reason; the others say why they cannot be ordered yet.
    mutualiseesAVenir: served
      .filter((o) => o.famille !== "ftto")
      .map((o) => Object.freeze({ ...o, aVenir: true, raison: o.surDevis ? o.raison : RAISONS.aVenir })),
    ftto,
    fttoNonDeploye: onStudy(RAISONS.nonDeploye),
    fttoHorsReseau: onStudy(RAISONS.horsReseau(version.reseauNom)),
  };
}

/** The offer as served: the version's fields added; no price when it is on study. */
function served_(version: CatalogueVersion, offer: OfferDefinition, surDevisRaison: string | null): CatalogueOffer {
  const surDevis = surDevisRaison !== null;
  return Object.freeze({
    reseau: version.reseau,
    reseauNom: version.reseauNom,
    version: version.version,
    valideDu: version.valideDu,
    valideAu: version.valideAu,
    exemple: version.exemple,
    ...offer,
    fraisAccesHt: surDevis ? null : offer.fraisAccesHt,
    mensuelHt: surDevis ? null : offer.mensuelHt,
    surDevis,
    aVenir: false,
    raison: surDevisRaison,
  });
}

function definitionOf(offer: CatalogueOffer): OfferDefinition {
  const {
    reseau: _r,
    reseauNom: _n,
    version: _v,
    valideDu: _d,
    valideAu: _a,
    exemple: _e,
    aVenir: _f,
    ...definition
  } = offer;
  return definition;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** By family, then monthly price (sur devis last), then network and code for a stable order. */
export function compareOffers(a: CatalogueOffer, b: CatalogueOffer): number {
  const family = OFFER_FAMILIES.indexOf(a.famille) - OFFER_FAMILIES.indexOf(b.famille);
  if (family !== 0) return family;
  if (a.aVenir !== b.aVenir) return a.aVenir ? 1 : -1;
  if (a.mensuelHt !== b.mensuelHt) {
    if (a.mensuelHt === null) return 1;
    if (b.mensuelHt === null) return -1;
    return a.mensuelHt - b.mensuelHt;
  }
  return compare(a.reseau, b.reseau) || compare(a.code, b.code);
}
