import fastJsonStringify from "fast-json-stringify";
import type { Static } from "typebox";
import type { EtatFibre } from "../eligibility-rules/eligibility-rules.ts";
import { OffresLocal } from "../service-catalogues/catalogue.schemas.ts";
import type {
  CatalogueSnapshot,
  PremiseOffers,
  PremiseOffersQuery,
} from "../service-catalogues/catalogue-offers.port.ts";
import type { BuildingContext, StoredBuilding } from "./eligibility-store.ts";
import {
  ContexteCuivre,
  ContexteFibre,
  ContexteReseau,
  ContexteTechnologies,
  type ImmeubleContexte,
  ImmeubleFiche,
} from "./lookup-eligibility.schema.ts";
import type { BuildingAnswer, EligibilityAnswer } from "./lookup-eligibility.service.ts";
import { identityOf } from "./object-identity.ts";

/**
 * The `immeubles` of an eligibility answer as JSON parts. Per building: its own part (`immeuble`:
 * id, address, position), its context part (network, FttH, technologies, copper closure, then
 * `"offres":`), and its offers. The context is serialised in four stretches (the schema's
 * ContexteReseau, ContexteFibre, ContexteTechnologies, ContexteCuivre), and for a building of the
 * in-memory index each stretch and the offers are kept by the codes they depend on (ContextParts):
 * a région has some 300,000 distinct whole contexts (profiles × FttH dates × communes), too many
 * to keep, but only thousands of each stretch, so that nearly every first lookup finds all of them
 * and applies no rule and serialises only its own part.
 */

export const FTTH_VERDICT: Record<EtatFibre, PremiseOffersQuery["ftth"]> = {
  raccordable: "ouverte",
  raccordable_sur_demande: "ouverte",
  prevu: "prevue",
  non_prevu: "non_prevue",
};

/**
 * Each part's serialiser, compiled once from its schema as Fastify compiles a route's (its default
 * compiler is fast-json-stringify with no option; the tests compare with the route's): parts are then
 * made outside any request too (ContextParts.keepAll), and a request does not look its serialiser up.
 */
const compile = <T>(schema: unknown) =>
  fastJsonStringify(schema as Parameters<typeof fastJsonStringify>[0]) as (value: T) => string;
const serialiseFiche = compile<Static<typeof ImmeubleFiche>>(ImmeubleFiche);
const serialiseReseau = compile<Static<typeof ContexteReseau>>(ContexteReseau);
const serialiseFibre = compile<Static<typeof ContexteFibre>>(ContexteFibre);
const serialiseTechnologies = compile<Static<typeof ContexteTechnologies>>(ContexteTechnologies);
const serialiseCuivre = compile<Static<typeof ContexteCuivre>>(ContexteCuivre);
const serialiseOffres = compile<Static<typeof OffresLocal>>(OffresLocal);

/** A building's identity and place. */
function presentFiche(b: BuildingAnswer["building"]): Static<typeof ImmeubleFiche> {
  return {
    id: b.id,
    adresseId: b.adresse_id,
    numero: b.numero,
    rep: b.rep,
    nomVoie: b.nom_voie,
    codeInsee: b.code_insee,
    lon: b.lon,
    lat: b.lat,
    type: b.type,
    nbLocaux: Number(b.nb_locaux),
  };
}

/** An object's JSON without its braces: stretches put together with commas make one object. */
const inner = (json: string) => json.slice(1, -1);

/** A building's context as ImmeubleContexte shows it (operators named). */
export function presentContext({
  reseau,
  operateurInfra,
  eligibility,
  operatorNames,
  fermetureCuivre,
}: BuildingAnswer): Static<typeof ImmeubleContexte> {
  const named = (code: string) => ({ code, nom: operatorNames.get(code) ?? null });
  return {
    reseau,
    operateurInfrastructure: operateurInfra,
    fibre: eligibility.ftth,
    technologies: eligibility.technologies.map((t) => ({
      ...t,
      operateurs: t.operateurs.map(named),
      operateursSatures: t.operateursSatures.map(named),
    })),
    meilleur: eligibility.meilleur,
    fermetureCuivre,
  };
}

/** The four stretches of a building's context, serialised: with commas between, ImmeubleContexte's JSON. */
export function contextStretches(b: BuildingAnswer): {
  reseau: string;
  fibre: string;
  technologies: string;
  cuivre: string;
} {
  const c = presentContext(b);
  return {
    reseau: inner(serialiseReseau({ reseau: c.reseau, operateurInfrastructure: c.operateurInfrastructure })),
    fibre: inner(serialiseFibre({ fibre: c.fibre })),
    technologies: inner(serialiseTechnologies({ technologies: c.technologies, meilleur: c.meilleur })),
    cuivre: inner(serialiseCuivre({ fermetureCuivre: c.fermetureCuivre })),
  };
}

/**
 * The parts are UTF-8 bytes, encoded once when made: the answer is then copied together rather than
 * encoded from a string at each request (Latin-1 text to UTF-8 was 16 µs of a 5 kB answer, measured
 * in process, against 8 µs to encode the building's own part and copy the rest).
 */
const utf8 = (text: string) => Buffer.from(text, "utf8");

/**
 * The same for a part kept for the process's life (stretches, offers, envelopes): in a buffer of its
 * own, since a small `Buffer.from` is a slice of an 8 kB pool and would keep that whole pool alive.
 */
function keptUtf8(text: string): Buffer {
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text, "utf8"));
  bytes.write(text, "utf8");
  return bytes;
}

/** The bytes of a building's context: each stretch with the comma after it, the last with `"offres":`. */
function stretchBytes(s: { reseau: string; fibre: string; technologies: string; cuivre: string }) {
  return {
    reseau: keptUtf8(`${s.reseau},`),
    fibre: keptUtf8(`${s.fibre},`),
    technologies: keptUtf8(`${s.technologies},`),
    cuivre: keptUtf8(`${s.cuivre},"offres":`),
  };
}

const offersJson = new WeakMap<PremiseOffers, Buffer>();
const offersByContent = new Map<string, Buffer>();

/** The offers' JSON, then the building's closing brace. */
function offersPart(offers: PremiseOffers): Buffer {
  let offered = offersJson.get(offers);
  if (offered === undefined) {
    // Communes of one département mostly get the same offers (the snapshot shares the offer
    // objects): one serialisation per distinct list, not per commune.
    const content = `${offers.raccordementComplexe}\u0001${offers.offres.map(identityOf).join(",")}`;
    offered = offersByContent.get(content);
    if (offered === undefined) {
      offered = keptUtf8(`${serialiseOffres(offers as Static<typeof OffresLocal>)}}`);
      if (offersByContent.size >= 10_000) offersByContent.clear();
      offersByContent.set(content, offered);
    }
    offersJson.set(offers, offered);
  }
  return offered;
}

function buildingOffers(b: BuildingAnswer, date: string, snapshot: CatalogueSnapshot): Buffer {
  return offersPart(
    snapshot.offersFor({
      codeInsee: b.building.code_insee,
      reseau: b.building.reseau,
      ftth: FTTH_VERDICT[b.eligibility.ftth.etat],
      etatImmeuble: b.building.etat_ftth,
      date,
    }),
  );
}

/** A building's context stretches (up to `"offres":`) and its offers (with its closing brace), as bytes. */
export interface SharedParts {
  reseau: Buffer;
  fibre: Buffer;
  technologies: Buffer;
  cuivre: Buffer;
  offers: Buffer;
}

interface FibreStretch {
  bytes: Buffer;
  disponible: boolean;
  etat: EtatFibre;
}

/** What depends on the reference date and the catalogue snapshot. */
interface DatedParts {
  /** By FttH facts (IndexedContext.fibre). */
  fibre: Map<number, FibreStretch>;
  /** By commune, network and building state (IndexedContext.place) and FttH verdict. */
  offers: Map<number, Buffer>;
}

/** Each map holds a few thousand entries on a région; the bound only stops a runaway. */
const MAX_ENTRIES = 100_000;
/** Reference dates and catalogue snapshots in use at once: today, and the few a client asks for. */
const MAX_DATED = 16;

function keep<K, T>(map: Map<K, T>, key: K, value: T): void {
  if (map.size >= MAX_ENTRIES) map.clear();
  map.set(key, value);
}

/**
 * The stretches and offers of indexed buildings, each kept by what it depends on: the network part
 * by network and infrastructure operator; the FttH part by the FttH facts and the reference date;
 * the technologies by eligibility profile and whether FttH is open (fibre rows count only then);
 * the copper closure by commune; the offers by catalogue snapshot, date, commune, network, FttH
 * verdict and building state (what `offersFor` reads). The codes mean something only within their
 * scope (index, names, publications): a new scope empties every map.
 */
export class ContextParts {
  private scope = "";
  private readonly reseau = new Map<number, Buffer>();
  private readonly technologies = new Map<number, Buffer>();
  private readonly cuivre = new Map<number, Buffer>();
  private readonly dated = new Map<string, DatedParts>();

  private within(scope: string): void {
    if (scope === this.scope) return;
    this.scope = scope;
    this.reseau.clear();
    this.technologies.clear();
    this.cuivre.clear();
    this.dated.clear();
  }

  private datedParts(date: string, snapshot: CatalogueSnapshot): DatedParts {
    const key = `${date}|${identityOf(snapshot)}`;
    let parts = this.dated.get(key);
    if (parts === undefined) {
      if (this.dated.size >= MAX_DATED) this.dated.clear();
      parts = { fibre: new Map(), offers: new Map() };
      this.dated.set(key, parts);
    }
    return parts;
  }

  /** The parts of an indexed building when every one is kept; undefined otherwise. */
  known({ scope, codes: c }: BuildingContext, date: string, snapshot: CatalogueSnapshot): SharedParts | undefined {
    this.within(scope);
    const dated = this.datedParts(date, snapshot);
    const reseau = this.reseau.get(pair(c.reseau, c.operateurInfra));
    const fibre = dated.fibre.get(c.fibre);
    if (reseau === undefined || fibre === undefined) return undefined;
    const technologies = this.technologies.get(c.profile * 2 + (fibre.disponible ? 1 : 0));
    const cuivre = this.cuivre.get(c.commune);
    const offers = dated.offers.get(offersKey(c, fibre.etat));
    if (technologies === undefined || cuivre === undefined || offers === undefined) return undefined;
    return { reseau, fibre: fibre.bytes, technologies, cuivre, offers };
  }

  /** The parts of a building answered in full; kept when it comes from the index. */
  of(b: BuildingAnswer, date: string, snapshot: CatalogueSnapshot): SharedParts {
    const s = stretchBytes(contextStretches(b));
    const offers = buildingOffers(b, date, snapshot);
    if (b.context !== undefined) {
      const { scope, codes: c } = b.context;
      this.within(scope);
      const dated = this.datedParts(date, snapshot);
      const { disponible, etat } = b.eligibility.ftth;
      keep(this.reseau, pair(c.reseau, c.operateurInfra), s.reseau);
      keep(dated.fibre, c.fibre, { bytes: s.fibre, disponible, etat });
      keep(this.technologies, c.profile * 2 + (disponible ? 1 : 0), s.technologies);
      keep(this.cuivre, c.commune, s.cuivre);
      keep(dated.offers, offersKey(c, etat), offers);
    }
    return { ...s, offers };
  }
}

/** Two codes as one number (codes count distinct values of a column: far below 2^26). */
const pair = (a: number, b: number) => a * 0x4000000 + b;

const VERDICT_CODES: Record<EtatFibre, number> = {
  raccordable: 0,
  raccordable_sur_demande: 1,
  prevu: 2,
  non_prevu: 3,
};
const offersKey = (c: BuildingContext["codes"], etat: EtatFibre) => c.place * 4 + VERDICT_CODES[etat];

/** A building's JSON up to its context: `{"immeuble":{…},`. Only this part is the building's own. */
function headPart(building: BuildingAnswer["building"]): Buffer {
  return utf8(`{"immeuble":${serialiseFiche(presentFiche(building))},`);
}

const COMMA = keptUtf8(",");

/** The buildings' bytes in order: per building, its own part, its context stretches and its offers (commas between buildings). */
function buildingParts(
  buildings: readonly { building: BuildingAnswer["building"] }[],
  shared: readonly SharedParts[],
): Buffer[] {
  const parts: Buffer[] = [];
  buildings.forEach(({ building }, i) => {
    const s = shared[i] as SharedParts;
    if (i > 0) parts.push(COMMA);
    parts.push(headPart(building), s.reseau, s.fibre, s.technologies, s.cuivre, s.offers);
  });
  return parts;
}

/** The parts of an answer built in full (the stretches of its indexed buildings kept for the next ones). */
export function answerParts(contexts: ContextParts, answer: EligibilityAnswer, snapshot: CatalogueSnapshot): Buffer[] {
  const shared = answer.buildings.map((b) => contexts.of(b, answer.dateReference, snapshot));
  return buildingParts(answer.buildings, shared);
}

/** The same parts when every building comes from the index with all its parts kept (no rule to apply); else null. */
export function knownParts(
  contexts: ContextParts,
  date: string,
  snapshot: CatalogueSnapshot,
  buildings: readonly StoredBuilding[],
): Buffer[] | null {
  const known: SharedParts[] = [];
  for (const { context } of buildings) {
    const shared = context === undefined ? undefined : contexts.known(context, date, snapshot);
    if (shared === undefined) return null;
    known.push(shared);
  }
  return buildingParts(buildings, known);
}

const EMPTY_BUILDINGS = '"immeubles":[]';

/**
 * An answer's envelope (serialised by the route's schema with no building), split where the
 * buildings go; `kept` when it is kept for other answers (id and building lookups).
 */
export function splitEnvelope(envelope: string, kept: boolean): [Buffer, Buffer] {
  // `immeubles` comes after every text field of the envelope: its last occurrence is the property.
  const at = envelope.lastIndexOf(EMPTY_BUILDINGS) + EMPTY_BUILDINGS.length - 1;
  const encode = kept ? keptUtf8 : utf8;
  return [encode(envelope.slice(0, at)), encode(envelope.slice(at))];
}

/** The whole answer: the envelope around the buildings' parts, copied into one buffer. */
export function assemble([head, tail]: readonly [Buffer, Buffer], parts: readonly Buffer[]): Buffer {
  let length = head.length + tail.length;
  for (const part of parts) length += part.length;
  return Buffer.concat([head, ...parts, tail], length);
}
