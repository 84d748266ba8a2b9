import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply } from "fastify";
import type { Kysely } from "kysely";
import { access } from "../../../shared/http/access-control.ts";
import { sendCsv, toCsv } from "../../../shared/http/csv.ts";
import { HttpError } from "../../../shared/http/errors.ts";
import { sendAtEndOfTurn } from "../../../shared/http/send-at-end-of-turn.ts";
import type { BroadbandTables } from "../../broadband/broadband.tables.ts";
import { type AddressesById, type AddressLookup, noAddressesById } from "../address-lookup.ts";
import type { CatalogueOffer, CataloguePort, CatalogueSnapshot } from "../service-catalogues/catalogue-offers.port.ts";
import { answerParts, assemble, ContextParts, FTTH_VERDICT, knownParts, splitEnvelope } from "./answer-parts.ts";
import { type EligibilityStore, eligibilityStore, type QuarterRef, type StoredBuilding } from "./eligibility-store.ts";
import { type KeptParts, keepEveryPart } from "./keep-every-part.ts";
import {
  type EligibilityQuerystring,
  eligibilityIndexSchema,
  lookupEligibilitySchema,
} from "./lookup-eligibility.schema.ts";
import {
  AddressNotFoundError,
  answerFor,
  type EligibilityAnswer,
  type EligibilityQuery,
  findBuildings,
  type Geocoding,
  geocodeText,
  lookupInQuarter,
  NothingFoundError,
  nothingNearAddress,
} from "./lookup-eligibility.service.ts";
import { identityOf } from "./object-identity.ts";

/** How often the server checks that the kept answer parts still stand for its index, day and catalogues. */
const KEEP_PARTS_CHECK_MS = 30_000;

const JSON_UTF8 = "application/json; charset=utf-8";

const ONE_CRITERION = "Indiquer exactement un critère : « adresse », « id », « immeuble », ou « lat » et « lon ».";

type Criterion = EligibilityQuery | { by: "texte"; text: string };
type Geocoded = ReturnType<typeof geocodeText>;

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
  addressesById: AddressesById,
  criterion: Criterion,
  quarter: QuarterRef,
  date: string,
): Promise<{ answer: EligibilityAnswer; geocodage: Geocoding | null }> {
  if (criterion.by === "adresse") {
    try {
      return { answer: await lookupInQuarter(store, quarter, criterion, date), geocodage: null };
    } catch (error) {
      if (!(error instanceof NothingFoundError)) throw error;
      return { answer: await nearAddressId(store, addressesById, criterion.id, quarter, date, error), geocodage: null };
    }
  }
  if (criterion.by !== "texte")
    return { answer: await lookupInQuarter(store, quarter, criterion, date), geocodage: null };
  const { geocodage, lat, lon } = geocodeText(lookupAddress, criterion.text);
  try {
    return { answer: await lookupInQuarter(store, quarter, { by: "adresse", id: geocodage.id }, date), geocodage };
  } catch (error) {
    if (!(error instanceof NothingFoundError)) throw error;
  }
  return { answer: await nearestToAddress(store, quarter, { lat, lon, label: geocodage.label }, date), geocodage };
}

/**
 * An address without a building of its own (geocoded, or given by id): the nearest building to its
 * position, the answer giving the distance; when none is near, the message names the address.
 */
async function nearestToAddress(
  store: EligibilityStore,
  quarter: QuarterRef,
  address: { lat: number; lon: number; label: string },
  date: string,
): Promise<EligibilityAnswer> {
  try {
    return await lookupInQuarter(store, quarter, { by: "position", lat: address.lat, lon: address.lon }, date);
  } catch (error) {
    if (error instanceof NothingFoundError) throw nothingNearAddress(address.label);
    throw error;
  }
}

/** An address id with no building of its own: nearestToAddress; `notFound` when the id is no known address. */
async function nearAddressId(
  store: EligibilityStore,
  addressesById: AddressesById,
  id: string,
  quarter: QuarterRef,
  date: string,
  notFound: NothingFoundError,
): Promise<EligibilityAnswer> {
  const address = (await addressesById([id])).get(id);
  if (!address) throw notFound;
  return nearestToAddress(store, quarter, address, date);
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
    { header: "À venir", value: (r) => yesNo(r.offre.aVenir) },
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
  /** Addresses by BAN id, for an address id without a building of its own (none by default). */
  addressesById?: AddressesById;
  /** How often the kept answer parts are checked against the index, day and catalogues (KEEP_PARTS_CHECK_MS). */
  keepPartsEveryMs?: number;
}

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
    const today = options.today ?? parisToday();
    const contexts = new ContextParts();
    let closing = false;
    let kept: { key: string; quarter: string; date: string; parts: KeptParts | null; error: string | null } | null =
      null;
    /**
     * The parts of every indexed building at today's date (keepEveryPart), once the index is built,
     * then again whenever what they stand for changes: a new index or new names (its scope), a new
     * day, new catalogues. A first lookup is then answered as fast as a second one.
     */
    async function keepPartsOfIndex(): Promise<void> {
      const quarter = await store.currentQuarter();
      const status = store.indexStatus();
      if (!quarter || closing || !status.ready || status.quarter !== quarter.code) return;
      const snapshot = await catalogues.snapshot();
      const scope = store.indexedSlice(quarter.code, 0, 1)?.[0]?.context?.scope;
      if (scope === undefined) return;
      const date = today();
      const key = `${scope}|${date}|${identityOf(snapshot)}`;
      if (kept?.key === key) return;
      const current: NonNullable<typeof kept> = { key, quarter: quarter.code, date, parts: null, error: null };
      kept = current;
      try {
        current.parts = await keepEveryPart({
          store,
          contexts,
          quarter,
          snapshot,
          date,
          cancelled: () => closing || kept !== current,
        });
      } catch (error) {
        current.error = error instanceof Error ? error.message : String(error);
      }
    }
    // One pass at a time: a check while one runs is skipped (the next check sees what changed).
    let keeping = false;
    const keepParts = () => {
      if (keeping) return;
      keeping = true;
      keepPartsOfIndex()
        .catch(() => {})
        .finally(() => {
          keeping = false;
        });
    };
    let checks: NodeJS.Timeout | undefined;
    // Started once the server listens, not during start-up: readiness (and the address searches
    // it serves first) does not wait on it.
    app.addHook("onListen", async () => {
      store.currentQuarter().catch(() => {});
      store.whenIndexed().then(keepParts, () => {});
      checks = setInterval(keepParts, options.keepPartsEveryMs ?? KEEP_PARTS_CHECK_MS).unref();
    });
    app.addHook("onClose", async () => {
      closing = true;
      clearInterval(checks);
      dropIndex();
    });
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
          parties: {
            pretes: kept !== null && kept.quarter === status.quarter && kept.parts !== null,
            date: kept?.date ?? null,
            immeubles: kept?.parts?.buildings ?? 0,
            reponsesConstruites: kept?.parts?.built ?? 0,
            dureeMs: kept?.parts ? Math.round(kept.parts.ms) : null,
            erreur: kept?.error ?? null,
          },
        };
      },
    );
    const plainEnvelopes = new Map<string, [Buffer, Buffer]>();
    const addressesById = options.addressesById ?? noAddressesById;
    const resolve = (criterion: Criterion, quarter: QuarterRef, date: string) =>
      resolveAnswer(store, lookupAddress, addressesById, criterion, quarter, date);

    /** An answer's envelope around no building, split where the buildings go. */
    function envelope(
      reply: FastifyReply,
      quarter: QuarterRef,
      date: string,
      geocodage: Geocoding | null,
      distanceM: number | null,
      kept = false,
    ): [Buffer, Buffer] {
      return splitEnvelope(
        reply.serialize({
          trimestre: quarter,
          geocodage,
          dateReference: date,
          distanceM,
          immeubles: [],
          simule: quarter.simule,
        }) as string,
        kept,
      );
    }

    /** The envelope of id and building answers, which only depends on the quarter and the date. */
    function plainEnvelope(reply: FastifyReply, quarter: QuarterRef, date: string): [Buffer, Buffer] {
      const key = `${quarter.code}|${quarter.simule}|${date}`;
      let plain = plainEnvelopes.get(key);
      if (plain === undefined) {
        if (plainEnvelopes.size >= 1000) plainEnvelopes.clear();
        plain = envelope(reply, quarter, date, null, null, true);
        plainEnvelopes.set(key, plain);
      }
      return plain;
    }

    /**
     * Bytes with their content type set are sent as they are: the answer is assembled from parts
     * serialised by the schemas (the typed reply only takes the schema's shape; the bytes are that shape).
     */
    function sendAnswer(reply: FastifyReply, envelope: readonly [Buffer, Buffer], parts: readonly Buffer[]) {
      return reply.type(JSON_UTF8).send(assemble(envelope, parts));
    }

    /**
     * By address or building id: an indexed building whose parts are all kept applies no rule and
     * serialises only its own part; otherwise the answer is built in full (its parts kept).
     */
    async function partsById(
      query: EligibilityQuery & { by: "adresse" | "immeuble" },
      quarter: QuarterRef,
      snapshot: CatalogueSnapshot,
      date: string,
    ): Promise<Buffer[]> {
      const { buildings, distanceM } = await findBuildings(store, quarter, query);
      return (
        knownParts(contexts, date, snapshot, buildings) ??
        answerParts(contexts, await answerFor(store, quarter, buildings, distanceM, date), snapshot)
      );
    }

    /**
     * The hot path, without a promise: a lookup by address id, building id or free text (geocoded in
     * memory) whose quarter, catalogues, building and parts are all in memory. Returns true when it
     * answered (the answer leaves at the end of the event loop's turn, with the others read in that
     * turn: sendAtEndOfTurn); otherwise the general path answers, reading what it must (with the
     * geocoding done here).
     */
    function sentFromMemory(
      query: EligibilityQuerystring,
      reply: FastifyReply,
      geocoded: { value?: Geocoded },
    ): boolean {
      if (query.format === "csv" || query.lat !== undefined || query.lon !== undefined) return false;
      const given = (query.id !== undefined ? 1 : 0) + (query.immeuble !== undefined ? 1 : 0);
      if (given + (query.adresse !== undefined ? 1 : 0) !== 1) return false;
      const quarter = store.knownQuarter();
      const snapshot = catalogues.freshSnapshot();
      if (!quarter || !snapshot) return false;
      let geocodage: Geocoding | null = null;
      let buildings: StoredBuilding[] | undefined;
      if (query.adresse !== undefined) {
        const text = query.adresse.trim();
        if (text === "") return false;
        try {
          geocoded.value = geocodeText(lookupAddress, text);
        } catch {
          return false; // nothing found: the general path says so
        }
        geocodage = geocoded.value.geocodage;
        buildings = store.indexedByAddress(quarter.code, geocodage.id);
      } else if (query.id !== undefined) {
        buildings = store.indexedByAddress(quarter.code, query.id);
      } else {
        buildings = store.indexedByBuilding(quarter.code, query.immeuble as string);
      }
      if (!buildings) return false;
      const date = query.date === undefined ? today() : referenceDate(query.date);
      const parts = knownParts(contexts, date, snapshot, buildings);
      if (!parts) return false;
      const around = geocodage ? envelope(reply, quarter, date, geocodage, null) : plainEnvelope(reply, quarter, date);
      // The route's handler is not async, so the answer may wait for the others read in this turn.
      sendAtEndOfTurn(reply, JSON_UTF8, assemble(around, parts));
      return true;
    }

    app.get(
      "/api/eligibilite",
      { config: { access: access.public() }, schema: lookupEligibilitySchema },
      // Not an async function: most lookups are answered from memory, without a promise.
      (request, reply) => {
        const geocoded: { value?: Geocoded } = {};
        if (sentFromMemory(request.query, reply, geocoded)) return;
        return lookupAnyCriterion(request.query, reply, geocoded.value);
      },
    );

    async function lookupAnyCriterion(query: EligibilityQuerystring, reply: FastifyReply, geocoded?: Geocoded) {
      const criterion = criterionOf(query);
      const date = query.date === undefined ? today() : referenceDate(query.date);
      const [quarter, snapshot] = await Promise.all([store.currentQuarter(), catalogues.snapshot()]);
      if (!quarter)
        throw new HttpError(404, "AUCUN_TRIMESTRE", "Aucun trimestre publié ne contient encore d'immeubles.");
      try {
        if (query.format === "csv") {
          const { answer } = await resolve(criterion, quarter, date);
          return sendCsv(reply, `offres-${fileLabel(criterion)}-${date}.csv`, offersCsv(answer, snapshot));
        }
        if (criterion.by === "texte") {
          const { geocodage, lat, lon } = geocoded ?? geocodeText(lookupAddress, criterion.text);
          try {
            const parts = await partsById({ by: "adresse", id: geocodage.id }, quarter, snapshot, date);
            return sendAnswer(reply, envelope(reply, quarter, date, geocodage, null), parts);
          } catch (error) {
            if (!(error instanceof NothingFoundError)) throw error;
          }
          // No building at that address: the nearest one to its position.
          const answer = await nearestToAddress(store, quarter, { lat, lon, label: geocodage.label }, date);
          return sendAnswer(
            reply,
            envelope(reply, quarter, date, geocodage, answer.distanceM),
            answerParts(contexts, answer, snapshot),
          );
        }
        if (criterion.by === "position") {
          const answer = await lookupInQuarter(store, quarter, criterion, date);
          return sendAnswer(
            reply,
            envelope(reply, quarter, date, null, answer.distanceM),
            answerParts(contexts, answer, snapshot),
          );
        }
        try {
          const parts = await partsById(criterion, quarter, snapshot, date);
          return sendAnswer(reply, plainEnvelope(reply, quarter, date), parts);
        } catch (error) {
          if (!(error instanceof NothingFoundError) || criterion.by !== "adresse") throw error;
          const answer = await nearAddressId(store, addressesById, criterion.id, quarter, date, error);
          return sendAnswer(
            reply,
            envelope(reply, quarter, date, null, answer.distanceM),
            answerParts(contexts, answer, snapshot),
          );
        }
      } catch (error) {
        if (error instanceof AddressNotFoundError) throw new HttpError(404, "ADRESSE_INTROUVABLE", error.message);
        if (error instanceof NothingFoundError) {
          const code = criterion.by === "position" ? "AUCUN_IMMEUBLE_PROCHE" : "IMMEUBLE_INTROUVABLE";
          throw new HttpError(404, code, error.message);
        }
        throw error;
      }
    }
  };
