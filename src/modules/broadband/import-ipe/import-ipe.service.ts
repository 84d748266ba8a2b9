import { type Kysely, sql } from "kysely";
import { type AppDatabase, chunkRows } from "../../../shared/db/database.ts";
import { ignoreProgress, type ProgressListener } from "../../../shared/progress/progress.ts";
import { aggregateAfterImport } from "../aggregate-buildings/aggregate-buildings.ts";
import type { BroadbandTables } from "../broadband.tables.ts";
import {
  analyzeAfterBulkLoad,
  type BulkColumn,
  bulkStatement,
  selectTextColumns,
  withBulkCache,
} from "../import-common/bulk-writer.ts";
import {
  prewarmRecordParsing,
  type RecordParsing,
  readParsedRecords,
  startRecordParsing,
} from "../import-common/parse-records.ts";
import { rejet } from "../import-common/rejections.ts";
import { runThdImport, type ThdImportContext, type ThdImportResult } from "../import-common/run-thd-import.ts";
import { linkStrategicSites } from "../import-sites/import-sites.service.ts";
import { IPE_ID_PREFIX, type IpeLine } from "./parse-ipe.ts";
import { defaultRegion, departementSql } from "./region-communes.ts";

export interface ImportIpeOptions {
  trimestre: string;
  /** One IPE file or several (e.g. one per OI), imported together. */
  fichier: string | readonly string[];
  simule?: boolean;
  ignorerRejets?: boolean;
  importePar?: string | null;
  /** Région whose communes are accepted (default TERRITOIRE_REGION, else 28). */
  region?: string;
  /**
   * Recompute the quarter's per-commune figures from its buildings at the end (default true). A
   * loader running base_imb, IPE and eligibilite in a row may leave it to the last one.
   */
  agreger?: boolean;
}

export interface ImportIpeDetails {
  /** Infrastructure operators (Interop codes) whose buildings of the quarter were replaced. */
  operateurs: string[];
  /** Buildings written (after summing lines of the same hexaclé/bâtiment without identifier). */
  immeubles: number;
  /** Of which matched to an MCI base_imb building by code_ipe (the rest were created). */
  rapproches: number;
  /** Lines added to another line's building (same hexaclé and bâtiment, no IdentifiantImmeuble). */
  lignesSommees: number;
  /** Communes whose figures were recomputed from the buildings. */
  communesAgregees: number;
}

export { IPE_ID_PREFIX };

const ipeBuildingId = (codeOi: string, codeIpe: string) => `${IPE_ID_PREFIX}${codeOi}:${codeIpe}`;

/** Columns an IPE file sets on a base_imb building it matches (the rest is base_imb's). */
const FTTH_COLUMNS = [
  "operateur_infra",
  "reseau",
  "etat_ftth",
  "reference_pm",
  "etat_pm",
  "date_mes_commerciale",
  "date_prevue",
] as const;

/** thd_immeuble's columns, in the order of the rows an IPE import creates. */
const BUILDING_COLUMNS: readonly BulkColumn[] = [
  ["trimestre", "text"],
  ["id", "text"],
  ["code_ipe", "text"],
  ["adresse_id", "text"],
  ["code_insee", "text"],
  ["numero", "text"],
  ["rep", "text"],
  ["nom_voie", "text"],
  ["lon", "double precision"],
  ["lat", "double precision"],
  ["type", "text"],
  ["nb_locaux", "integer"],
  ["reseau", "text"],
  ["operateur_infra", "text"],
  ["etat_ftth", "text"],
  ["reference_pm", "text"],
  ["etat_pm", "text"],
  ["date_mes_commerciale", "text"],
  ["date_prevue", "text"],
];

/** What an IPE line sets on the base_imb building it matches (but its BAN key), then the building's key. */
const FTTH_UPDATE_COLUMNS: readonly BulkColumn[] = [
  ["operateur_infra", "text"],
  ["etat_ftth", "text"],
  ["reference_pm", "text"],
  ["etat_pm", "text"],
  ["date_mes_commerciale", "text"],
  ["date_prevue", "text"],
  ["trimestre", "text"],
  ["id", "text"],
];

/** What an IPE line sets on a base_imb building without a BAN key, then the building's key. */
const ADDRESS_UPDATE_COLUMNS: readonly BulkColumn[] = [
  ["adresse_id", "text"],
  ["trimestre", "text"],
  ["id", "text"],
];

/**
 * Imports IPE files (Interop'Fibre PM v3) into a quarter's buildings.
 *
 * Scope: for each OI present in the files (CodeOI column, else the file name), the quarter's IPE
 * view of that OI is replaced: buildings created by its previous IPE are deleted, and the FttH
 * fields it had set on base_imb buildings are cleared; then every line is matched to a base_imb
 * building of the quarter by code_ipe (IdentifiantImmeuble, else hexaclé[/bâtiment]) and sets its
 * FttH state, PM and dates, or creates a building `ipe:<OI>:<code>` when none matches. A matched
 * building keeps base_imb's premises count and position. Lines without IdentifiantImmeuble that
 * share hexaclé and bâtiment are one building: their NombreLogementsAdresseIPE are summed.
 * Finally the quarter's commune figures are recomputed from the buildings.
 */
export async function importIpe(
  db: AppDatabase,
  options: ImportIpeOptions,
  progress: ProgressListener = ignoreProgress,
): Promise<ThdImportResult<ImportIpeDetails>> {
  const region = options.region ?? defaultRegion();
  prewarmRecordParsing();
  return runThdImport<ImportIpeDetails>(
    db,
    {
      trimestre: options.trimestre,
      format: "ipe",
      fichier: options.fichier,
      simule: options.simule === true,
      ignorerRejets: options.ignorerRejets === true,
      importePar: options.importePar ?? null,
      onProgress: progress,
    },
    (ctx) => withBulkCache(ctx.db, () => applyIpe(ctx, region, options.agreger !== false)),
  );
}

interface PendingBuilding {
  line: IpeLine;
  codeIpe: string;
  nbLocaux: number;
}

async function applyIpe(ctx: ThdImportContext, region: string, recompute: boolean) {
  // The files are parsed in a worker thread from now on, while the quarter's buildings are read.
  const parsing = startRecordParsing(ctx, { kind: "ipe", region });
  try {
    return await writeIpe(ctx, recompute, parsing);
  } finally {
    await parsing.stop();
  }
}

async function writeIpe(ctx: ThdImportContext, recompute: boolean, parsing: RecordParsing) {
  const { db, trimestre } = ctx;
  const preparedOis = new Set<string>();
  /** code OI + code_ipe → line that first gave it (duplicates are rejected, id-less lines summed). */
  const seen = new Map<string, { ligne: number; identified: boolean; fichier: string }>();
  /** Id-less lines, summed per hexaclé/bâtiment before being written. */
  const summed = new Map<string, PendingBuilding>();
  let buffer: unknown[][] = [];
  let updates: unknown[][] = [];
  let immeubles = 0;
  let lignesSommees = 0;
  let rapproches = 0;

  // The quarter's base_imb buildings that an IPE line may match (by code_ipe) or that an OI's
  // previous IPE had set: read once, so that matching needs no query per line.
  // Most codes name one building: its id, not an array of one (a million of them).
  const baseByCode = new Map<string, string | string[]>();
  const baseByOi = new Map<string, string[]>();
  /** base_imb buildings without a BAN key, which the IPE line's key (CodeBAN) then fills. */
  const withoutAddress = new Set<string>();
  const addBase = (id: string, codeIpe: string | null, operateurInfra: string | null, adresseId: string | null) => {
    if (adresseId === null) withoutAddress.add(id);
    if (codeIpe !== null) {
      const ids = baseByCode.get(codeIpe);
      if (ids === undefined) baseByCode.set(codeIpe, id);
      else if (typeof ids === "string") baseByCode.set(codeIpe, [ids, id]);
      else ids.push(id);
    }
    if (operateurInfra !== null) {
      const ids = baseByOi.get(operateurInfra);
      if (ids) ids.push(id);
      else baseByOi.set(operateurInfra, [id]);
    }
  };
  const [ids, codesIpe, operateursInfra, adressesIds] = (await selectTextColumns(
    db,
    ["id", "code_ipe", "operateur_infra", "adresse_id"],
    "thd_immeuble where trimestre = ? and id not like ? and (code_ipe is not null or operateur_infra is not null)",
    [trimestre, `${IPE_ID_PREFIX}%`],
  )) as [string[], (string | null)[], (string | null)[], (string | null)[]];
  for (let i = 0; i < ids.length; i++)
    addBase(ids[i] as string, codesIpe[i] ?? null, operateursInfra[i] ?? null, adressesIds[i] ?? null);
  const matched = new Set<string>();

  const prepareOi = async (codeOi: string) => {
    if (preparedOis.has(codeOi)) return;
    preparedOis.add(codeOi);
    await db
      .deleteFrom("thd_immeuble")
      .where("trimestre", "=", trimestre)
      .where("id", "like", `${IPE_ID_PREFIX}${codeOi}:%`)
      .execute();
  };
  const insert = bulkStatement(db, {
    columns: BUILDING_COLUMNS,
    sqlite: (values) => `insert into thd_immeuble (${BUILDING_COLUMNS.map(([c]) => c).join(", ")}) ${values}`,
    postgres: (source) =>
      `insert into thd_immeuble (${BUILDING_COLUMNS.map(([c]) => c).join(", ")}) select * from ${source}`,
  });
  // The building keeps its own premises count, position and, when it has one, its BAN key. The BAN
  // key is set by a statement of its own: SET on an indexed column rewrites its index entry even
  // when the value does not change.
  const ftthUpdate = () =>
    bulkStatement(db, {
      columns: FTTH_UPDATE_COLUMNS,
      sqlite: (values) => `with v(${FTTH_UPDATE_COLUMNS.map(([c]) => c).join(", ")}) as (${values})
        update thd_immeuble
        set operateur_infra = v.operateur_infra, reseau = null, etat_ftth = v.etat_ftth,
          reference_pm = v.reference_pm, etat_pm = v.etat_pm, date_mes_commerciale = v.date_mes_commerciale,
          date_prevue = v.date_prevue
        from v
        where thd_immeuble.trimestre = v.trimestre and thd_immeuble.id = v.id`,
      postgres: (source) => `update thd_immeuble
        set operateur_infra = v.operateur_infra, reseau = null, etat_ftth = v.etat_ftth,
          reference_pm = v.reference_pm, etat_pm = v.etat_pm, date_mes_commerciale = v.date_mes_commerciale,
          date_prevue = v.date_prevue
        from ${source}
        where thd_immeuble.trimestre = v.trimestre and thd_immeuble.id = v.id`,
    });
  const addressUpdate = () =>
    bulkStatement(db, {
      columns: ADDRESS_UPDATE_COLUMNS,
      sqlite: (values) => `with v(${ADDRESS_UPDATE_COLUMNS.map(([c]) => c).join(", ")}) as (${values})
        update thd_immeuble set adresse_id = v.adresse_id from v
        where thd_immeuble.trimestre = v.trimestre and thd_immeuble.id = v.id`,
      postgres: (source) => `update thd_immeuble set adresse_id = v.adresse_id from ${source}
        where thd_immeuble.trimestre = v.trimestre and thd_immeuble.id = v.id`,
    });
  // Many rows per statement, but UPDATE … FROM applies an arbitrary one of several rows for the same
  // building. A building met again (lines of two OIs with the same code) keeps only its last row,
  // written after the others: each row sets the same columns, so the last line read wins as when
  // rows were written one by one.
  const update = ftthUpdate();
  const updateAgain = ftthUpdate();
  const setAddress = addressUpdate();
  const setAddressAgain = addressUpdate();
  let updatesAgain = new Map<string, unknown[]>();
  let updatesAgainRows = 0;
  let addresses: unknown[][] = [];
  let addressesAgain = new Map<string, unknown[]>();
  const writing = () => ctx.nombreRejets() === 0 || ctx.ignorerRejets;
  const flush = async () => {
    if (writing()) {
      await insert.run(buffer);
      await update.run(updates);
      await updateAgain.run([...updatesAgain.values()]);
      await setAddress.run(addresses);
      await setAddressAgain.run([...addressesAgain.values()]);
    }
    immeubles += buffer.length + updates.length + updatesAgainRows;
    buffer = [];
    updates = [];
    updatesAgain = new Map();
    updatesAgainRows = 0;
    addresses = [];
    addressesAgain = new Map();
  };
  /** A line's building: the base_imb building(s) with its code, else a new `ipe:` building. */
  const place = (b: PendingBuilding) => {
    const l = b.line;
    const base = baseByCode.get(b.codeIpe);
    if (!base) {
      buffer.push([
        trimestre,
        ipeBuildingId(l.codeOi, b.codeIpe),
        b.codeIpe,
        l.adresseId,
        l.codeInsee,
        l.numero,
        l.rep,
        l.nomVoie,
        l.lon,
        l.lat,
        l.type,
        b.nbLocaux,
        null,
        l.codeOi,
        l.etatFtth,
        l.referencePm,
        l.etatPm,
        l.dateMesCommerciale,
        l.datePrevue,
      ]);
      return;
    }
    rapproches++;
    if (typeof base === "string") setFtth(l, base);
    else for (const id of base) setFtth(l, id);
  };
  const setFtth = (l: IpeLine, id: string) => {
    const row = [l.codeOi, l.etatFtth, l.referencePm, l.etatPm, l.dateMesCommerciale, l.datePrevue, trimestre, id];
    const address = l.adresseId !== null && withoutAddress.has(id) ? [l.adresseId, trimestre, id] : undefined;
    if (!matched.has(id)) {
      matched.add(id);
      updates.push(row);
      if (address) addresses.push(address);
      return;
    }
    updatesAgain.set(id, row);
    updatesAgainRows++;
    if (address) addressesAgain.set(id, address);
  };

  const lignes = await readParsedRecords(ctx, "IPE", parsing, {
    rejected: (refused) => {
      for (const r of refused.rejets) ctx.rejeter(r);
    },
    row: (v, o, ligne, fichier) => {
      const line = ipeLineOf(v, o, ligne);
      const codeIpe = line.identifiant ?? (line.batiment ? `${line.hexacle}/${line.batiment}` : line.hexacle);
      const key = `${line.codeOi}\u0000${codeIpe}`;
      const previous = seen.get(key);
      if (previous) {
        if (line.identifiant !== null || previous.identified) {
          ctx.rejeter(
            rejet(
              line.ligne,
              line.identifiant !== null ? "IdentifiantImmeuble" : "CodeAdresseImmeuble",
              codeIpe,
              `immeuble en double : déjà décrit ${previous.fichier === fichier.nom ? "" : `dans ${previous.fichier} `}ligne ${previous.ligne}`,
              fichier.nom,
            ),
          );
          return;
        }
        const building = summed.get(key) as PendingBuilding;
        if (building.line.etatFtth !== line.etatFtth) {
          ctx.rejeter(
            rejet(
              line.ligne,
              "EtatImmeuble",
              line.etatFtth,
              `état différent de la ligne ${previous.ligne} pour le même hexaclé et bâtiment (${building.line.etatFtth})`,
              fichier.nom,
            ),
          );
          return;
        }
        building.nbLocaux += line.nbLocaux;
        lignesSommees++;
        return;
      }
      seen.set(key, { ligne: line.ligne, identified: line.identifiant !== null, fichier: fichier.nom });
      if (line.identifiant === null) summed.set(key, { line, codeIpe, nbLocaux: line.nbLocaux });
      else place({ line, codeIpe, nbLocaux: line.nbLocaux });
      // The OI's previous IPE view goes before any of its rows is written (at the next flush).
      if (!preparedOis.has(line.codeOi)) return prepareOi(line.codeOi);
    },
    afterBatch: async () => {
      if (buffer.length + updates.length + updatesAgainRows >= insert.rowsPerRun) await flush();
    },
  });
  for (const b of summed.values()) place(b);
  await flush();

  if (ctx.nombreRejets() > 0 && !ctx.ignorerRejets) {
    return {
      lignes,
      details: { operateurs: [...preparedOis], immeubles, rapproches, lignesSommees, communesAgregees: 0 },
    };
  }
  const operateurs = [...preparedOis].sort();
  ctx.onProgress({ step: "Rapprochement des immeubles", done: 0, total: 1 });
  // base_imb buildings the OI's previous IPE had set and this one no longer lists: back to no FttH.
  const stale = operateurs.flatMap((oi) => (baseByOi.get(oi) ?? []).filter((id) => !matched.has(id)));
  for (const chunk of chunkRows(stale, 1)) {
    await db
      .updateTable("thd_immeuble")
      .set(Object.fromEntries(FTTH_COLUMNS.map((c) => [c, null])))
      .where("trimestre", "=", trimestre)
      .where("id", "in", chunk)
      .execute();
  }
  await analyzeAfterBulkLoad(db, ["thd_immeuble"]);
  await assignNetworks(db, trimestre, operateurs);
  ctx.onProgress({ step: "Rapprochement des immeubles", done: 1, total: 1 });
  const communesAgregees = await aggregateAfterImport(ctx, recompute);
  // Strategic sites follow their buildings (link and connection date).
  await linkStrategicSites(db, trimestre);
  return {
    lignes,
    details: { operateurs, immeubles, rapproches, lignesSommees, communesAgregees },
  };
}

/** The IpeLine whose values (IPE_VALUE_FIELDS order) start at `v[o]`. */
function ipeLineOf(v: readonly unknown[], o: number, ligne: number): IpeLine {
  return {
    ligne,
    identifiant: v[o] as IpeLine["identifiant"],
    hexacle: v[o + 1] as IpeLine["hexacle"],
    batiment: v[o + 2] as IpeLine["batiment"],
    codeOi: v[o + 3] as IpeLine["codeOi"],
    adresseId: v[o + 4] as IpeLine["adresseId"],
    codeInsee: v[o + 5] as IpeLine["codeInsee"],
    numero: v[o + 6] as IpeLine["numero"],
    rep: v[o + 7] as IpeLine["rep"],
    nomVoie: v[o + 8] as IpeLine["nomVoie"],
    lon: v[o + 9] as IpeLine["lon"],
    lat: v[o + 10] as IpeLine["lat"],
    type: v[o + 11] as IpeLine["type"],
    nbLocaux: v[o + 12] as IpeLine["nbLocaux"],
    etatFtth: v[o + 13] as IpeLine["etatFtth"],
    referencePm: v[o + 14] as IpeLine["referencePm"],
    etatPm: v[o + 15] as IpeLine["etatPm"],
    dateMesCommerciale: v[o + 16] as IpeLine["dateMesCommerciale"],
    datePrevue: v[o + 17] as IpeLine["datePrevue"],
  };
}

/**
 * Moves the FttH fields of IPE-created buildings onto the base_imb buildings with the same
 * code_ipe, then deletes those IPE-created rows. Set-based (UPDATE … FROM works on both engines).
 * Returns the number of IPE buildings matched. Also used after a base_imb import, so that the
 * order of the two imports does not matter.
 */
export async function mergeIntoBaseImbBuildings(
  db: Kysely<BroadbandTables>,
  trimestre: string,
  operateurs?: readonly string[],
): Promise<number> {
  const scope =
    operateurs === undefined ? sql`true` : sql`i.operateur_infra in (${sql.join(operateurs.map((o) => sql`${o}`))})`;
  const ipe = `${IPE_ID_PREFIX}%`;
  const any = await db
    .selectFrom("thd_immeuble")
    .select("id")
    .where("trimestre", "=", trimestre)
    .where("id", "like", ipe)
    .limit(1)
    .execute();
  if (any.length === 0) return 0;
  await sql`
    update thd_immeuble as b
    set ${sql.join(FTTH_COLUMNS.map((c) => sql`${sql.ref(c)} = i.${sql.ref(c)}`))},
      adresse_id = coalesce(b.adresse_id, i.adresse_id),
      lon = coalesce(b.lon, i.lon),
      lat = coalesce(b.lat, i.lat)
    from thd_immeuble as i
    where b.trimestre = ${trimestre} and i.trimestre = ${trimestre}
      and i.id like ${ipe} and b.id not like ${ipe}
      and b.code_ipe = i.code_ipe and ${scope}`.execute(db);
  const deleted = await sql`
    delete from thd_immeuble
    where trimestre = ${trimestre} and id like ${ipe}
      and ${operateurs === undefined ? sql`true` : sql`operateur_infra in (${sql.join(operateurs.map((o) => sql`${o}`))})`}
      and exists (
        select 1 from thd_immeuble b
        where b.trimestre = ${trimestre} and b.code_ipe = thd_immeuble.code_ipe and b.id not like ${ipe}
      )`.execute(db);
  return Number(deleted.numAffectedRows ?? 0);
}

/**
 * Sets each building's network from its OI: the network run by that OI in the building's
 * département, else its only network. Left null when thd_reseau does not know the OI.
 */
async function assignNetworks(db: Kysely<BroadbandTables>, trimestre: string, operateurs: readonly string[]) {
  if (operateurs.length === 0) return;
  const known = await db
    .selectFrom("thd_reseau")
    .select("code")
    .where("operateur_infra", "in", operateurs)
    .limit(1)
    .execute();
  if (known.length === 0) return;
  const dep = sql.raw(departementSql("thd_immeuble.code_insee"));
  await sql`
    update thd_immeuble
    set reseau = coalesce(
      (select min(r.code) from thd_reseau r where r.operateur_infra = thd_immeuble.operateur_infra and r.departement = ${dep}),
      (select min(r.code) from thd_reseau r where r.operateur_infra = thd_immeuble.operateur_infra
        having count(*) = 1))
    where trimestre = ${trimestre} and operateur_infra in (${sql.join(operateurs.map((o) => sql`${o}`))})`.execute(db);
}
