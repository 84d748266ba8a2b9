import { HttpError } from "../../../shared/http/errors.ts";
import type { AuditHook } from "../audit-port.ts";
import type { CataloguePort } from "./catalogue-offers.port.ts";
import {
  bumpGeneration,
  type CatalogueDb,
  type CatalogueTrx,
  deleteVersionRows,
  insertVersion,
  loadVersions,
  networkName,
  readGeneration,
  replaceVersion,
  setValidUntil,
} from "./catalogue-repository.ts";
import { CatalogueData, type CatalogueVersion } from "./catalogue-snapshot.ts";
import {
  describeProblem,
  offerDefinition,
  type Problem,
  RESEAU_PATTERN,
  type VersionFields,
  type VersionInput,
  validateVersion,
} from "./catalogue-validation.ts";

export interface CatalogueServiceOptions {
  /** Today as "AAAA-MM-JJ" (Paris time): what is in force, hence immutable. Tests move it. */
  today?: () => string;
  /** How long a snapshot is trusted before the generation is read again (other processes' writes). */
  checkEveryMs?: number;
}

export interface CatalogueService extends CataloguePort {
  snapshot(): Promise<CatalogueData>;
  today(): string;
  /** The network's name, or a 404 when neither thd_reseau nor a catalogue knows it. */
  requireNetwork(reseau: string): Promise<string>;
  /** A network's versions read from the database (no staleness), oldest first. */
  versionsOf(reseau: string): Promise<CatalogueVersion[]>;
  // `audit` records the write's journal line inside its transaction (nothing is logged when it fails).
  createVersion(reseau: string, input: VersionInput, by: string | null, audit?: AuditHook): Promise<CatalogueVersion>;
  updateVersion(
    reseau: string,
    version: string,
    input: VersionFields,
    by: string | null,
    audit?: AuditHook,
  ): Promise<CatalogueVersion>;
  deleteVersion(reseau: string, version: string, audit?: AuditHook): Promise<void>;
}

const parisDate = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Paris" });

/**
 * Service catalogues: writes with their rules (no overlap, versions in force immutable) and the
 * in-memory snapshot the lookup and batch read. The snapshot is rebuilt after a write of this
 * process and, when another process wrote (adr 0004), once its generation check (at most every
 * `checkEveryMs`, 1 s by default) sees the bumped generation.
 */
export function createCatalogueService(db: CatalogueDb, options: CatalogueServiceOptions = {}): CatalogueService {
  const today = options.today ?? (() => parisDate.format(new Date()));
  const checkEveryMs = options.checkEveryMs ?? 1000;
  let state: { data: CatalogueData; generation: number } | undefined;
  let checkedAt = 0;
  let pending: Promise<CatalogueData> | undefined;
  // Bumped by this process's writes: a reload started before a write must not become the snapshot.
  let epoch = 0;

  async function refresh(): Promise<CatalogueData> {
    const started = epoch;
    const generation = await readGeneration(db);
    if (state && generation === state.generation) {
      checkedAt = Date.now();
      return state.data;
    }
    const data = new CatalogueData(await loadVersions(db));
    if (started === epoch) {
      state = { data, generation };
      checkedAt = Date.now();
    }
    return data;
  }

  async function write<T>(work: (trx: CatalogueTrx) => Promise<T>, audit?: AuditHook): Promise<T> {
    try {
      return await db.transaction().execute(async (trx) => {
        await bumpGeneration(trx);
        const result = await work(trx);
        if (audit) await audit(trx);
        return result;
      });
    } finally {
      epoch++;
      state = undefined;
      pending = undefined;
    }
  }

  async function requireNetwork(reseau: string): Promise<string> {
    const nom = RESEAU_PATTERN.test(reseau) ? await networkName(db, reseau) : undefined;
    if (nom === undefined) throw new HttpError(404, "RESEAU_INCONNU", `Réseau « ${reseau} » inconnu`);
    return nom;
  }

  function refuseInvalid(problems: Problem[]): void {
    if (problems.length === 0) return;
    const first = problems[0] as Problem;
    throw new HttpError(400, "CATALOGUE_INVALIDE", `Catalogue refusé : ${describeProblem(first)}`, {
      parametre: first.offre === undefined ? first.champ : `offres[${first.offre}].${first.champ}`,
      erreurs: problems.map((p) => ({ ...p, message: describeProblem(p) })),
    });
  }

  function build(
    reseau: string,
    reseauNom: string,
    version: string,
    input: VersionFields,
    by: string | null,
    now: string,
  ): CatalogueVersion {
    return {
      reseau,
      reseauNom,
      version,
      valideDu: input.valideDu,
      valideAu: input.valideAu ?? null,
      exemple: input.exemple ?? false,
      couvertureDepartements: [...new Set(input.couvertureDepartements ?? [])],
      couvertureCommunes: [...new Set(input.couvertureCommunes ?? [])],
      note: input.note?.trim() || null,
      creeLe: now,
      creePar: by,
      modifieLe: now,
      offres: input.offres.map(offerDefinition),
    };
  }

  return {
    today,
    requireNetwork,

    async versionsOf(reseau) {
      return (await loadVersions(db, reseau)).sort((a, b) => (a.valideDu < b.valideDu ? -1 : 1));
    },

    freshSnapshot() {
      return state && Date.now() - checkedAt < checkEveryMs ? state.data : undefined;
    },

    snapshot() {
      if (state && Date.now() - checkedAt < checkEveryMs) return Promise.resolve(state.data);
      pending ??= refresh().finally(() => {
        pending = undefined;
      });
      return pending;
    },

    async createVersion(reseau, input, by, audit) {
      const reseauNom = await requireNetwork(reseau);
      refuseInvalid(validateVersion(input, today()));
      const now = new Date().toISOString();
      return write(async (trx) => {
        const existing = await loadVersions(trx, reseau);
        const version = build(reseau, reseauNom, input.version, withCoverage(input, existing), by, now);
        if (existing.some((v) => v.version === version.version)) {
          throw new HttpError(
            409,
            "VERSION_EXISTANTE",
            `La version « ${version.version} » du réseau ${reseau} existe déjà`,
          );
        }
        const toClose = placeVersion(existing, version);
        if (toClose) await setValidUntil(trx, reseau, toClose.version, version.valideDu, now);
        await insertVersion(trx, version);
        return version;
      }, audit);
    },

    async updateVersion(reseau, label, input, by, audit) {
      const reseauNom = await requireNetwork(reseau);
      const now = new Date().toISOString();
      let updated: CatalogueVersion | undefined;
      await write(async (trx) => {
        const existing = await loadVersions(trx, reseau);
        const current = requireFuture(existing, reseau, label, today(), "modifiée");
        refuseInvalid(validateVersion(input, today()));
        const fields = withCoverage(input, [current]);
        updated = { ...build(reseau, reseauNom, label, fields, current.creePar ?? by, now), creeLe: current.creeLe };
        // The version it had closed is reopened, then closed again where the new dates say.
        const others = existing
          .filter((v) => v.version !== label)
          .map((v) => (v.valideAu === current.valideDu ? { ...v, valideAu: null, reopened: true } : v));
        const toClose = placeVersion(others, updated);
        for (const v of others) {
          if ("reopened" in v && v !== toClose) await setValidUntil(trx, reseau, v.version, current.valideAu, now);
        }
        if (toClose) await setValidUntil(trx, reseau, toClose.version, updated.valideDu, now);
        await replaceVersion(trx, updated);
      }, audit);
      return updated as CatalogueVersion;
    },

    async deleteVersion(reseau, label, audit) {
      await requireNetwork(reseau);
      const now = new Date().toISOString();
      await write(async (trx) => {
        const existing = await loadVersions(trx, reseau);
        const current = requireFuture(existing, reseau, label, today(), "supprimée");
        // The version it had closed runs on again, to where the deleted one ended.
        for (const v of existing) {
          if (v.valideAu === current.valideDu) await setValidUntil(trx, reseau, v.version, current.valideAu, now);
        }
        await deleteVersionRows(trx, reseau, label);
      }, audit);
    },
  };
}

/** Coverage left out: the latest version's (a catalogue's footprint rarely changes between editions). */
function withCoverage(input: VersionFields, existing: CatalogueVersion[]): VersionFields {
  if (input.couvertureDepartements !== undefined) return input;
  const latest = [...existing].sort((a, b) => (a.valideDu < b.valideDu ? -1 : 1)).at(-1);
  return latest
    ? {
        ...input,
        couvertureDepartements: latest.couvertureDepartements,
        couvertureCommunes: input.couvertureCommunes ?? latest.couvertureCommunes,
      }
    : input;
}

function requireFuture(
  existing: CatalogueVersion[],
  reseau: string,
  label: string,
  today: string,
  verb: string,
): CatalogueVersion {
  const current = existing.find((v) => v.version === label);
  if (!current) throw new HttpError(404, "VERSION_INCONNUE", `Version « ${label} » du réseau ${reseau} inconnue`);
  if (current.valideDu <= today) {
    throw new HttpError(
      409,
      "VERSION_EN_VIGUEUR",
      `La version « ${label} » est en vigueur depuis le ${current.valideDu} (ou l'a été) : elle ne peut plus être ${verb}. Créez une nouvelle version.`,
    );
  }
  return current;
}

const overlaps = (a: CatalogueVersion, b: CatalogueVersion) =>
  (a.valideAu === null || b.valideDu < a.valideAu) && (b.valideAu === null || a.valideDu < b.valideAu);

/**
 * Where a new version fits among a network's others: the open-ended version it starts after is
 * closed at its start (returned); any other overlap is refused with a 409 naming the versions.
 */
function placeVersion(existing: CatalogueVersion[], version: CatalogueVersion): CatalogueVersion | undefined {
  let toClose: CatalogueVersion | undefined;
  const conflicts: CatalogueVersion[] = [];
  for (const other of existing) {
    if (!overlaps(other, version)) continue;
    if (other.valideAu === null && other.valideDu < version.valideDu && !toClose) toClose = other;
    else conflicts.push(other);
  }
  // Closing the open version must not leave the new one overlapping anything else.
  if (conflicts.length > 0) {
    const names = conflicts
      .map((c) => `« ${c.version} » (du ${c.valideDu}${c.valideAu ? ` au ${c.valideAu}` : ", sans fin"})`)
      .join(", ");
    throw new HttpError(
      409,
      "CHEVAUCHEMENT",
      `Les dates du ${version.valideDu}${version.valideAu ? ` au ${version.valideAu}` : ", sans fin"} chevauchent la version ${names}`,
      { versions: conflicts.map((c) => c.version) },
    );
  }
  return toClose;
}

export { ensureDemoCatalogues } from "./demo-catalogues.ts";
