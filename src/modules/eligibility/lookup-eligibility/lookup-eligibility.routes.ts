import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply } from "fastify";
import type { Kysely } from "kysely";
import type { Static } from "typebox";
import { WeightedLru } from "../../../shared/cache/weighted-lru.ts";
import { access } from "../../../shared/http/access-control.ts";
import { sendCsv, toCsv } from "../../../shared/http/csv.ts";
import { HttpError } from "../../../shared/http/errors.ts";
import type { BroadbandTables } from "../../broadband/broadband.tables.ts";
import type { AddressLookup } from "../address-lookup.ts";
import type { EtatFibre } from "../eligibility-rules/eligibility-rules.ts";
import { OffresLocal } from "../service-catalogues/catalogue.schemas.ts";
import type {
  CatalogueOffer,
  CataloguePort,
  CatalogueSnapshot,
  PremiseOffers,
  PremiseOffersQuery,
} from "../service-catalogues/catalogue-offers.port.ts";
import { identityOf } from "./answer-cache.ts";
import { type EligibilityStore, eligibilityStore, type QuarterRef, type StoredBuilding } from "./eligibility-store.ts";
import {
  type EligibilityQuerystring,
  eligibilityIndexSchema,
  ImmeubleContexte,
  ImmeubleFiche,
  lookupEligibilitySchema,
} from "./lookup-eligibility.schema.ts";
import {
  AddressNotFoundError,
  answerFor,
  type BuildingAnswer,
  type EligibilityAnswer,
  type EligibilityQuery,
  findBuildings,
  type Geocoding,
  geocodeText,
  lookupInQuarter,
  NothingFoundError,
  nothingNearAddress,
} from "./lookup-eligibility.service.ts";

const ONE_CRITERION = "Indiquer exactement un critère : « adresse », « id », « immeuble », ou « lat » et « lon ».";

type Criterion = EligibilityQuery | { by: "texte"; text: string };

/** Exactly one criterion; `lat` and `lon` go together. */
export function criterionOf(q: EligibilityQuerystring): Criterion {
  const given = [
    q.adresse !== undefined,
    q.id !== undefined,
    q.immeuble !== undefined,
    q.lat !== undefined || q.lon !== undefined,
  ].filter(Boolean).length;
  if (given !== 1) {
    throw new HttpError(400, "CRITERE_UNIQUE", ONE_CRITERION, { parametre: "adresse, id, immeuble, lat, lon" });
  }
  if (q.adresse !== undefined) {
    const text = q.adresse.trim();
    if (text === "") {
      throw new HttpError(400, "PARAMETRE_INVALIDE", "Paramètre « adresse » invalide : est vide", {
        parametre: "adresse",
      });
    }
    return { by: "texte", text };
  }
  if (q.id !== undefined) return { by: "adresse", id: q.id };
  if (q.immeuble !== undefined) return { by: "immeuble", id: q.immeuble };
  if (q.lat === undefined || q.lon === undefined) {
    const missing = q.lat === undefined ? "lat" : "lon";
    throw new HttpError(
      400,
      "PARAMETRE_INVALIDE",
      `Paramètre « ${missing} » invalide : est obligatoire avec « ${missing === "lat" ? "lon" : "lat"} »`,
      {
        parametre: missing,
      },
    );
  }
  return { by: "position", lat: q.lat, lon: q.lon };
}

const FTTH_VERDICT: Record<EtatFibre, PremiseOffersQuery["ftth"]> = {
  raccordable: "ouverte",
  raccordable_sur_demande: "ouverte",
  prevu: "prevue",
  non_prevu: "non_prevue",
};

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

/** The rest of a building's answer, offers aside. */
function presentContext({
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

/**
 * The `immeubles` of an answer as UTF-8 JSON parts: per building, its own JSON (`immeuble`), its
 * context's up to `"offres":`, then its offers' JSON. The offers are the snapshot's memoised objects, shared by every building with
 * the same network, FttH verdict and commune: serialised once each (offersJson), and held once by
 * the answer cache however many answers include them. A building read from the in-memory index has
 * a context key (StoredBuilding.context): its context JSON and its offers are kept per key, quarter,
 * date and catalogue snapshot (sharedByContext), so the next building with that context skips the
 * rules and the serialisation. `weight` counts the bytes owned. Strings, not buffers: a ~6 kB
 * Buffer.concat allocates an ArrayBuffer per answer (5 % of a first lookup's profile), while Node
 * writes a string body with its headers in one go.
 */
type ReplyLike = Pick<FastifyReply, "serializeInput">;
const offersJson = new WeakMap<PremiseOffers, string>();
const offersByContent = new Map<string, string>();
/** A building's context JSON without its braces, then `,"offres":`; and its offers' JSON. */
interface SharedParts {
  context: string;
  offers: string;
}
/** Per route plugin (one store): context keys are only meaningful within the store that made them. */
type SharedByContext = WeightedLru<SharedParts>;
/**
 * 32 MB of context JSON (about 1–2 kB each): contexts include the commune and the dates, so a région
 * has far more of them than fit; the most used stay.
 */
const SHARED_PARTS_BYTES = 32 * 1024 * 1024;
// TypeBox schemas as Fastify's serializeInput takes them.
const SERIALISE_FICHE = ImmeubleFiche as unknown as Record<string, unknown>;
const SERIALISE_CONTEXT = ImmeubleContexte as unknown as Record<string, unknown>;
const SERIALISE_OFFERS = OffresLocal as unknown as Record<string, unknown>;

const sharedKey = (quarter: string, date: string, snapshot: CatalogueSnapshot, context: string) =>
  `${quarter}|${date}|${identityOf(snapshot)}|${context}`;

function offersPart(reply: ReplyLike, offers: PremiseOffers): string {
  let offered = offersJson.get(offers);
  if (offered === undefined) {
    // Communes of one département mostly get the same offers (the snapshot shares the offer
    // objects): one serialisation per distinct list, not per commune.
    const content = `${offers.raccordementComplexe}\u0001${offers.offres.map(identityOf).join(",")}`;
    offered = offersByContent.get(content);
    if (offered === undefined) {
      offered = `${reply.serializeInput(offers as unknown as Record<string, unknown>, SERIALISE_OFFERS) as string}}`;
      if (offersByContent.size >= 10_000) offersByContent.clear();
      offersByContent.set(content, offered);
    }
    offersJson.set(offers, offered);
  }
  return offered;
}

function sharedParts(
  reply: ReplyLike,
  sharedByContext: SharedByContext,
  answer: EligibilityAnswer,
  building: BuildingAnswer,
  snapshot: CatalogueSnapshot,
): SharedParts {
  const key =
    building.context === undefined
      ? undefined
      : sharedKey(answer.trimestre.code, answer.dateReference, snapshot, building.context);
  const known = key === undefined ? undefined : sharedByContext.get(key);
  if (known !== undefined) return known;
  const shared = {
    context: `${(reply.serializeInput(presentContext(building) as Record<string, unknown>, SERIALISE_CONTEXT) as string).slice(1, -1)},"offres":`,
    offers: offersPart(
      reply,
      snapshot.offersFor({
        codeInsee: building.building.code_insee,
        reseau: building.building.reseau,
        ftth: FTTH_VERDICT[building.eligibility.ftth.etat],
        etatImmeuble: building.building.etat_ftth,
        date: answer.dateReference,
      }),
    ),
  };
  if (key !== undefined) {
    // The offers are counted once by their own memo (offersByContent), not here.
    sharedByContext.set(key, shared, shared.context.length + key.length + 64);
  }
  return shared;
}

/**
 * A building's JSON up to its context (ImmeubleSansOffres, `immeuble` first): with the context part,
 * up to `"offres":`. Only this part is the building's own.
 */
function headPart(reply: ReplyLike, building: BuildingAnswer["building"]): string {
  return `{"immeuble":${reply.serializeInput(presentFiche(building), SERIALISE_FICHE) as string},`;
}

/** The parts of buildings whose shared parts are given (in the same order). */
function buildingParts(
  reply: ReplyLike,
  buildings: readonly { building: BuildingAnswer["building"]; context?: string }[],
  shared: readonly SharedParts[],
): { parts: string[]; weight: number } {
  const parts: string[] = [];
  let weight = 0;
  buildings.forEach(({ building, context }, i) => {
    const { context: contextPart, offers } = shared[i] as SharedParts;
    const head = headPart(reply, building);
    parts.push(head, contextPart, offers);
    // A context outside the shared map (no index) belongs to this answer alone.
    weight += head.length + (context === undefined ? contextPart.length : 0);
  });
  return { parts, weight };
}

function answerParts(
  reply: ReplyLike,
  sharedByContext: SharedByContext,
  answer: EligibilityAnswer,
  snapshot: CatalogueSnapshot,
): { parts: string[]; weight: number } {
  const shared = answer.buildings.map((building) => sharedParts(reply, sharedByContext, answer, building, snapshot));
  return buildingParts(reply, answer.buildings, shared);
}

/** The same parts when every building's shared parts are known already (no rule to apply); else null. */
function knownParts(
  reply: ReplyLike,
  sharedByContext: SharedByContext,
  quarter: string,
  date: string,
  snapshot: CatalogueSnapshot,
  buildings: readonly StoredBuilding[],
): { parts: string[]; weight: number } | null {
  const known: SharedParts[] = [];
  for (const { context } of buildings) {
    const shared = context === undefined ? undefined : sharedByContext.get(sharedKey(quarter, date, snapshot, context));
    if (shared === undefined) return null;
    known.push(shared);
  }
  return buildingParts(reply, buildings, known);
}

const EMPTY_BUILDINGS = '"immeubles":[]';

/** An answer's envelope (serialised by the route's schema with no building), split where the buildings go. */
function splitEnvelope(envelope: string): [string, string] {
  // `immeubles` comes after every text field of the envelope: its last occurrence is the property.
  const at = envelope.lastIndexOf(EMPTY_BUILDINGS) + EMPTY_BUILDINGS.length - 1;
  return [envelope.slice(0, at), envelope.slice(at)];
}

/** The whole answer: the envelope around the buildings' parts. */
function assemble([head, tail]: readonly [string, string], parts: readonly string[]): string {
  let answer = head;
  for (let i = 0; i < parts.length; i += 3) {
    if (i > 0) answer += ",";
    answer += `${parts[i]}${parts[i + 1]}${parts[i + 2]}`;
  }
  return answer + tail;
}

/** A calendar date "AAAA-MM-JJ" (the schema checked the shape), or a 400 naming `date`. */
export function referenceDate(date: string): string {
  const parsed = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date) {
    throw new HttpError(
      400,
      "PARAMETRE_INVALIDE",
      `Paramètre « date » invalide : « ${date} » n'est pas une date du calendrier (AAAA-MM-JJ)`,
      {
        parametre: "date",
      },
    );
  }
  if (date < "2000-01-01" || date > "2100-12-31") {
    throw new HttpError(
      400,
      "PARAMETRE_INVALIDE",
      "Paramètre « date » invalide : doit être entre 2000-01-01 et 2100-12-31",
      {
        parametre: "date",
      },
    );
  }
  return date;
}

const parisDate = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Paris" });

/** Today in Paris (the catalogues' calendar), recomputed at most once a second. */
function parisToday(): () => string {
  let day = "";
  let until = 0;
  return () => {
    const now = Date.now();
    if (now >= until) {
      day = parisDate.format(now);
      until = now + 1000;
    }
    return day;
  };
}

/**
 * The answer to any criterion, uncached (the CSV export): free text is geocoded, then read by its
 * address id, else at the nearest building to its position.
 */
async function resolveAnswer(
  store: EligibilityStore,
  lookupAddress: AddressLookup,
  criterion: Criterion,
  quarter: QuarterRef,
  date: string,
): Promise<{ answer: EligibilityAnswer; geocodage: Geocoding | null }> {
  if (criterion.by !== "texte")
    return { answer: await lookupInQuarter(store, quarter, criterion, date), geocodage: null };
  const { geocodage, lat, lon } = geocodeText(lookupAddress, criterion.text);
  try {
    return { answer: await lookupInQuarter(store, quarter, { by: "adresse", id: geocodage.id }, date), geocodage };
  } catch (error) {
    if (!(error instanceof NothingFoundError)) throw error;
  }
  try {
    return { answer: await lookupInQuarter(store, quarter, { by: "position", lat, lon }, date), geocodage };
  } catch (error) {
    if (error instanceof NothingFoundError) throw nothingNearAddress(geocodage.label);
    throw error;
  }
}

const FAMILY_LABELS: Record<CatalogueOffer["famille"], string> = {
  ftth: "FttH",
  ftth_pro: "FttH pro",
  ftte_passive: "FttE passive",
  ftte_active: "FttE activée",
  ftto: "FttO (fibre dédiée)",
};
const yesNo = (value: boolean) => (value ? "oui" : "non");

/** The offers table of an answer: one line per building and offer, as the page shows it. */
function offersCsv(answer: EligibilityAnswer, snapshot: CatalogueSnapshot): string {
  const rows = answer.buildings.flatMap(({ building, eligibility }) => {
    const { offres, raccordementComplexe } = snapshot.offersFor({
      codeInsee: building.code_insee,
      reseau: building.reseau,
      ftth: FTTH_VERDICT[eligibility.ftth.etat],
      etatImmeuble: building.etat_ftth,
      date: answer.dateReference,
    });
    return offres.map((offre) => ({ building, offre, raccordementComplexe }));
  });
  return toCsv(rows, [
    { header: "Immeuble", value: (r) => r.building.id },
    {
      header: "Adresse",
      value: (r) => [r.building.numero, r.building.rep, r.building.nom_voie].filter(Boolean).join(" "),
    },
    { header: "Code INSEE", value: (r) => r.building.code_insee },
    { header: "Réseau", value: (r) => r.offre.reseauNom },
    { header: "Code réseau", value: (r) => r.offre.reseau },
    { header: "Offre", value: (r) => r.offre.nom },
    { header: "Code offre", value: (r) => r.offre.code },
    { header: "Famille", value: (r) => FAMILY_LABELS[r.offre.famille] },
    { header: "Débit descendant (Mbit/s)", value: (r) => r.offre.debitDescendantMbps },
    { header: "Débit montant (Mbit/s)", value: (r) => r.offre.debitMontantMbps },
    { header: "Débit garanti (Mbit/s)", value: (r) => r.offre.debitGarantiMbps },
    { header: "Symétrique", value: (r) => yesNo(r.offre.symetrique) },
    { header: "GTR (heures)", value: (r) => r.offre.gtrHeures },
    { header: "GTR", value: (r) => r.offre.gtrLabel },
    { header: "Disponibilité (%)", value: (r) => r.offre.disponibilitePct },
    { header: "Frais d'accès HT (€)", value: (r) => r.offre.fraisAccesHt },
    { header: "Mensuel HT (€)", value: (r) => r.offre.mensuelHt },
    { header: "Sur devis", value: (r) => yesNo(r.offre.surDevis) },
    { header: "Raison", value: (r) => r.offre.raison },
    { header: "Engagement (mois)", value: (r) => r.offre.engagementMois },
    { header: "Délai de livraison (jours)", value: (r) => r.offre.delaiLivraisonJours },
    { header: "Options", value: (r) => r.offre.options.map((o) => o.nom).join(", ") },
    { header: "Version du catalogue", value: (r) => r.offre.version },
    { header: "Valide du", value: (r) => r.offre.valideDu },
    { header: "Valide au", value: (r) => r.offre.valideAu },
    { header: "Catalogue d'exemple", value: (r) => yesNo(r.offre.exemple) },
    { header: "Raccordement complexe", value: (r) => r.raccordementComplexe },
  ]);
}

/** A file name part from the criterion: letters, digits, dashes and underscores only. */
function fileLabel(criterion: Criterion): string {
  const raw =
    criterion.by === "texte"
      ? criterion.text
      : criterion.by === "position"
        ? `${criterion.lat}_${criterion.lon}`
        : criterion.id;
  return (
    raw
      .normalize("NFD")
      .replace(/[^A-Za-z0-9_-]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60) || "adresse"
  );
}

export interface LookupEligibilityOptions {
  /** The day of the request ("AAAA-MM-JJ"); Paris time by default. */
  today?: () => string;
  /** Bound of the answer cache, in bytes of JSON held (roughly); 0 disables it. */
  cacheBytes?: number;
}

/** 64 MB: some 40,000 answers of the Normandy demo (about 1.5 kB each; their offers are shared). */
export const DEFAULT_CACHE_BYTES = 64 * 1024 * 1024;

export const lookupEligibilityRoutes =
  (
    db: Kysely<BroadbandTables>,
    lookupAddress: AddressLookup,
    catalogues: CataloguePort,
    options: LookupEligibilityOptions = {},
  ): FastifyPluginAsyncTypebox =>
  async (app) => {
    const store = eligibilityStore(db);
    // The server keeps the current quarter in memory for lookups by id (built in the background).
    const dropIndex = store.keepIndex();
    // Started once the server listens, not during start-up: readiness (and the address searches
    // it serves first) does not wait on it.
    app.addHook("onListen", async () => {
      store.currentQuarter().catch(() => {});
    });
    app.addHook("onClose", async () => dropIndex());
    app.get(
      "/api/eligibilite/index",
      { config: { access: access.public() }, schema: eligibilityIndexSchema },
      async () => {
        const status = store.indexStatus();
        return {
          trimestre: status.quarter,
          pret: status.ready,
          immeubles: status.buildings,
          lignes: status.rows,
          profils: status.profiles,
          octets: status.bytes,
          dureeMs: status.buildMs === null ? null : Math.round(status.buildMs),
          erreur: status.error,
        };
      },
    );
    const today = options.today ?? parisToday();
    // Answers by address id or building id (as serialised parts), bounded by their bytes. An answer
    // depends only on the published quarter (immutable), the catalogue snapshot, the reference date
    // and the id: all are in the key, so an entry is never stale; a new publication or catalogue
    // write simply makes new keys (the old ones age out).
    const cache = new WeightedLru<string[]>(options.cacheBytes ?? DEFAULT_CACHE_BYTES);
    const plainEnvelopes = new Map<string, [string, string]>();
    const shared: SharedByContext = new WeightedLru(SHARED_PARTS_BYTES);
    const resolve = (criterion: Criterion, quarter: QuarterRef, date: string) =>
      resolveAnswer(store, lookupAddress, criterion, quarter, date);

    app.get(
      "/api/eligibilite",
      { config: { access: access.public() }, schema: lookupEligibilitySchema },
      async (request, reply) => {
        const criterion = criterionOf(request.query);
        const date = request.query.date === undefined ? today() : referenceDate(request.query.date);
        const [quarter, snapshot] = await Promise.all([store.currentQuarter(), catalogues.snapshot()]);
        if (!quarter)
          throw new HttpError(404, "AUCUN_TRIMESTRE", "Aucun trimestre publié ne contient encore d'immeubles.");
        // A string with its content type set is sent as it is: the answer is assembled from parts serialised by the schemas.
        const send = (
          meta: { geocodage: Geocoding | null; distanceM: number | null },
          parts: readonly string[],
          hit: boolean,
        ) => {
          const envelope = () =>
            splitEnvelope(
              reply.serialize({
                trimestre: quarter,
                geocodage: meta.geocodage,
                dateReference: date,
                distanceM: meta.distanceM,
                immeubles: [],
                simule: quarter.simule,
              }) as string,
            );
          // The envelope of id and building answers only depends on the quarter and the date.
          let plain: [string, string] | undefined;
          if (meta.geocodage === null && meta.distanceM === null) {
            const key = `${quarter.code}|${quarter.simule}|${date}`;
            plain = plainEnvelopes.get(key);
            if (!plain) {
              if (plainEnvelopes.size >= 1000) plainEnvelopes.clear();
              plain = envelope();
              plainEnvelopes.set(key, plain);
            }
          }
          // The typed reply only takes the schema's shape; the bytes are that shape.
          return (reply as FastifyReply)
            .header("x-cache", hit ? "HIT" : "MISS")
            .type("application/json; charset=utf-8")
            .send(assemble(plain ?? envelope(), parts));
        };

        /** By address or building id: from the cache, or read, presented, serialised and kept. */
        const byId = async (query: EligibilityQuery & { by: "adresse" | "immeuble" }) => {
          // The quarter object is renewed by every publication (even of an older quarter, which can
          // change a copper closure shown): its identity is in the key, not just its code.
          const key = `${quarter.code}#${identityOf(quarter)}\u0001${identityOf(snapshot)}\u0001${date}\u0001${query.by}\u0001${query.id}`;
          const cached = cache.get(key);
          if (cached !== undefined) return { parts: cached, hit: true };
          const { buildings, distanceM } = await findBuildings(store, quarter, query);
          const { parts, weight } =
            knownParts(reply, shared, quarter.code, date, snapshot, buildings) ??
            answerParts(reply, shared, await answerFor(store, quarter, buildings, distanceM, date), snapshot);
          // Key, array and entry overheads counted roughly.
          cache.set(key, parts, weight + key.length + 64 * (parts.length + 2));
          return { parts, hit: false };
        };

        try {
          if (request.query.format === "csv") {
            const { answer } = await resolve(criterion, quarter, date);
            return sendCsv(reply, `offres-${fileLabel(criterion)}-${date}.csv`, offersCsv(answer, snapshot));
          }
          if (criterion.by === "texte") {
            const { geocodage, lat, lon } = geocodeText(lookupAddress, criterion.text);
            try {
              const { parts, hit } = await byId({ by: "adresse", id: geocodage.id });
              return send({ geocodage, distanceM: null }, parts, hit);
            } catch (error) {
              if (!(error instanceof NothingFoundError)) throw error;
            }
            // No building at that address: the nearest one to its position.
            try {
              const answer = await lookupInQuarter(store, quarter, { by: "position", lat, lon }, date);
              return send(
                { geocodage, distanceM: answer.distanceM },
                answerParts(reply, shared, answer, snapshot).parts,
                false,
              );
            } catch (error) {
              if (error instanceof NothingFoundError) throw nothingNearAddress(geocodage.label);
              throw error;
            }
          }
          if (criterion.by === "position") {
            const answer = await lookupInQuarter(store, quarter, criterion, date);
            return send(
              { geocodage: null, distanceM: answer.distanceM },
              answerParts(reply, shared, answer, snapshot).parts,
              false,
            );
          }
          const { parts, hit } = await byId(criterion);
          return send({ geocodage: null, distanceM: null }, parts, hit);
        } catch (error) {
          if (error instanceof AddressNotFoundError) throw new HttpError(404, "ADRESSE_INTROUVABLE", error.message);
          if (error instanceof NothingFoundError) {
            const code = criterion.by === "position" ? "AUCUN_IMMEUBLE_PROCHE" : "IMMEUBLE_INTROUVABLE";
            throw new HttpError(404, code, error.message);
          }
          throw error;
        }
      },
    );
  };
