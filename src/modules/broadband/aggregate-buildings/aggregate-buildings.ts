import { type Kysely, type RawBuilder, sql } from "kysely";
import type { AppDatabase } from "../../../shared/db/database.ts";
import type { ProgressListener } from "../../../shared/progress/progress.ts";
import type { BroadbandTables } from "../broadband.tables.ts";
import { type BulkColumn, bulkStatement } from "../import-common/bulk-writer.ts";
import { quarterCode } from "../quarters/quarter-code.ts";
import { assertQuarterWritable, QuarterNotFoundError } from "../quarters/quarters.service.ts";

export const SOURCE_IMMEUBLES = "immeubles";

export interface AggregationSummary {
  trimestre: string;
  /** Communes whose figures were computed from the buildings. */
  communes: number;
  /** Communes left as they were because another source (ARCEP commune file, MCI statistics) holds them. */
  communesIgnorees: number;
  locaux: number;
}

/**
 * A building import's last step: the quarter's per-commune figures recomputed from its buildings,
 * with progress; the number of communes computed. `recompute` false skips it (0), for a loader that
 * runs several building imports in a row and leaves it to the last one (each recomputes the whole
 * quarter: on the Normandy demo, seconds each). With `figures` (every building and eligibility row of
 * the quarter, gathered by the import), the figures are computed from them instead of the tables.
 */
export async function aggregateAfterImport(
  ctx: { db: Kysely<BroadbandTables>; trimestre: string; onProgress: ProgressListener },
  recompute: boolean,
  figures?: BuildingFigures,
): Promise<number> {
  if (!recompute) return 0;
  ctx.onProgress({ step: "Agrégation par commune", done: 0, total: 1 });
  const aggregation = figures
    ? await aggregateQuarterFromFigures(ctx.db, ctx.trimestre, figures)
    : await aggregateQuarterFromBuildings(ctx.db, ctx.trimestre);
  ctx.onProgress({ step: "Agrégation par commune", done: 1, total: 1 });
  return aggregation.communes;
}

/**
 * Per building, the rank of its best downstream class among the eligibility rows of each variant
 * (INEL 0, HD05 1, HD3 2, BHD8 3, THD30 4, THD100 and THD1G 5 — the observatory's six bins), and
 * whether it has each technology. Saturated offers (not sold for now) and INEL rows (no service)
 * do not make a premise eligible to a technology.
 */
function bestClassPerBuilding(trimestre: string) {
  return sql`
    select immeuble_id,
      max(case when techno in ('FO', 'CU', 'COAX') then rang end) as r_filaire,
      max(case when techno <> 'SAT' then rang end) as r_terrestre,
      max(rang) as r_toutes,
      max(case when techno = 'CU' and rang > 0 then 1 else 0 end) as t_cu,
      max(case when techno = 'COAX' and rang > 0 then 1 else 0 end) as t_coax,
      max(case when techno = 'FO' and rang > 0 then 1 else 0 end) as t_ftth,
      max(case when techno = '4GF' and rang > 0 then 1 else 0 end) as t_4gf,
      max(case when techno = 'THDR' and rang > 0 then 1 else 0 end) as t_thdr,
      max(case when techno = 'SAT' and rang > 0 then 1 else 0 end) as t_sat
    from (
      select immeuble_id, techno,
        case classe_descendant
          when 'INEL' then 0 when 'HD05' then 1 when 'HD3' then 2 when 'BHD8' then 3 when 'THD30' then 4
          else 5 end as rang
      from thd_eligibilite
      where trimestre = ${trimestre} and saturation = 0
    ) lignes
    group by immeuble_id`;
}

function binColumns(variant: "filaire" | "terrestre" | "toutes") {
  const r = sql.ref(`e.r_${variant}`);
  const sum = (condition: ReturnType<typeof sql>) => sql`sum(case when ${condition} then i.nb_locaux else 0 end)`;
  return [
    sum(sql`coalesce(${r}, 0) = 0`),
    sum(sql`${r} = 1`),
    sum(sql`${r} = 2`),
    sum(sql`${r} = 3`),
    sum(sql`${r} = 4`),
    sum(sql`${r} >= 5`),
  ];
}

/** thd_stat_commune's columns that the buildings give, in the order both aggregations write them. */
const STAT_COLUMNS = [
  "trimestre",
  "code_insee",
  "source",
  "locaux",
  "ftth_raccordables",
  "ftth_raccordables_demande",
  ...["filaire", "terrestre", "toutes"].flatMap((v) =>
    ["inel", "0_3", "3_8", "8_30", "30_100", "100"].map((b) => `${v}_${b}`),
  ),
  "techno_cu",
  "techno_coax",
  "techno_ftth",
  "techno_4gf",
  "techno_thdr",
  "techno_sat",
];

/**
 * Computes thd_stat_commune (source "immeubles") and thd_stat_commune_oi of a quarter from its
 * buildings (thd_immeuble) and their eligibility (thd_eligibilite), in three set-based statements:
 * each building's premises are counted once, in the bin of its best downstream class per variant
 * (filaire: FO, CU, COAX; terrestre: + 4GF, THDR, WMX; toutes: + SAT; no row → inéligible);
 * techno_* count the premises eligible to each technology; ftth_raccordables the premises of
 * buildings in state "deploye" (ftth_raccordables_demande: "raccordable_demande"), per OI too;
 * ftth_operateurs_commerciaux the commercial operators with a FttH offer in the commune.
 *
 * A commune whose row of that quarter comes from another source (ARCEP commune file, MCI statistics)
 * keeps it: official aggregates are not overwritten by the buildings. Call it inside the import's
 * transaction (it does not check the quarter's status); `aggregateQuarter` is the checked entry point.
 */
export async function aggregateQuarterFromBuildings(
  db: Kysely<BroadbandTables>,
  trimestre: string,
): Promise<AggregationSummary> {
  const heldElsewhere = await clearBuildingFigures(db, trimestre);

  const columns = STAT_COLUMNS;
  const values = [
    sql`${trimestre}`,
    sql`i.code_insee`,
    sql`${SOURCE_IMMEUBLES}`,
    sql`sum(i.nb_locaux)`,
    sql`sum(case when i.etat_ftth = 'deploye' then i.nb_locaux else 0 end)`,
    sql`sum(case when i.etat_ftth = 'raccordable_demande' then i.nb_locaux else 0 end)`,
    ...binColumns("filaire"),
    ...binColumns("terrestre"),
    ...binColumns("toutes"),
    sql`sum(case when e.t_cu = 1 then i.nb_locaux else 0 end)`,
    sql`sum(case when e.t_coax = 1 then i.nb_locaux else 0 end)`,
    sql`sum(case when e.t_ftth = 1 then i.nb_locaux else 0 end)`,
    sql`sum(case when e.t_4gf = 1 then i.nb_locaux else 0 end)`,
    sql`sum(case when e.t_thdr = 1 then i.nb_locaux else 0 end)`,
    sql`sum(case when e.t_sat = 1 then i.nb_locaux else 0 end)`,
  ];
  await sql`
    insert into thd_stat_commune (${sql.join(columns.map((c) => sql.ref(c)))})
    select ${sql.join(values)}
    from thd_immeuble i
    left join (${bestClassPerBuilding(trimestre)}) e on e.immeuble_id = i.id
    where i.trimestre = ${trimestre} and i.code_insee not in ${heldElsewhere}
    group by i.code_insee`.execute(db);

  // Commercial operators selling FttH in the commune (« zone fibrée » condition), when the quarter
  // has eligibility rows at all (NULL = not measured).
  const measured = await db
    .selectFrom("thd_eligibilite")
    .select("trimestre")
    .where("trimestre", "=", trimestre)
    .limit(1)
    .execute();
  if (measured.length > 0) {
    // One grouped pass (a correlated subquery per commune would rescan the eligibility rows).
    await sql`
      update thd_stat_commune set ftth_operateurs_commerciaux = 0
      where trimestre = ${trimestre} and source = ${SOURCE_IMMEUBLES}`.execute(db);
    await sql`
      update thd_stat_commune
      set ftth_operateurs_commerciaux = o.n
      from (
        select b.code_insee, count(distinct el.operateur) as n
        from thd_eligibilite el
        join thd_immeuble b on b.trimestre = el.trimestre and b.id = el.immeuble_id
        where el.trimestre = ${trimestre} and el.techno = 'FO' and el.saturation = 0 and el.classe_descendant <> 'INEL'
        group by b.code_insee
      ) o
      where thd_stat_commune.trimestre = ${trimestre} and thd_stat_commune.source = ${SOURCE_IMMEUBLES}
        and thd_stat_commune.code_insee = o.code_insee`.execute(db);
  }

  await insertOiFigures(db, trimestre, heldElsewhere);

  const computed = await db
    .selectFrom("thd_stat_commune")
    .select([sql<number>`count(*)`.as("communes"), sql<number | null>`sum(locaux)`.as("locaux")])
    .where("trimestre", "=", trimestre)
    .where("source", "=", SOURCE_IMMEUBLES)
    .executeTakeFirstOrThrow();
  const skipped = await sql<{ n: number }>`
    select count(distinct code_insee) as n from thd_immeuble
    where trimestre = ${trimestre} and code_insee in ${heldElsewhere}`.execute(db);
  return {
    trimestre,
    communes: Number(computed.communes),
    communesIgnorees: Number(skipped.rows[0]?.n ?? 0),
    locaux: Number(computed.locaux ?? 0),
  };
}

/** thd_stat_commune_oi from the buildings: FttH-connectable premises per commune and infrastructure operator. */
async function insertOiFigures(db: Kysely<BroadbandTables>, trimestre: string, heldElsewhere: RawBuilder<unknown>) {
  await sql`
    insert into thd_stat_commune_oi (trimestre, code_insee, operateur, ftth_raccordables)
    select ${trimestre}, code_insee, operateur_infra, sum(nb_locaux)
    from thd_immeuble
    where trimestre = ${trimestre} and etat_ftth = 'deploye' and operateur_infra is not null
      and code_insee not in ${heldElsewhere}
    group by code_insee, operateur_infra
    having sum(nb_locaux) > 0`.execute(db);
}

/** Observatory bin (0 inéligible … 5 100 Mbit/s and more) of a downstream class: as bestClassPerBuilding ranks it. */
export function rangClasse(classeDescendant: string): number {
  switch (classeDescendant) {
    case "INEL":
      return 0;
    case "HD05":
      return 1;
    case "HD3":
      return 2;
    case "BHD8":
      return 3;
    case "THD30":
      return 4;
    default:
      return 5;
  }
}

/** Technology flags of BuildingFigures.technos (bit per technology counted in techno_*). */
const TECHNO_BITS: Readonly<Record<string, number>> = { CU: 1, COAX: 2, FO: 4, "4GF": 8, THDR: 16, SAT: 32 };
const TECHNO_BIT_ORDER = [1, 2, 4, 8, 16, 32];

/**
 * What an eligibility import knows of every building of the quarter and of every eligibility row
 * it wrote, when those rows are ALL the quarter's rows (first load into the quarter): enough to
 * compute the same commune figures as aggregateQuarterFromBuildings without reading the rows back.
 */
export class BuildingFigures {
  readonly communes: string[] = [];
  private readonly communeIndex = new Map<string, number>();
  private size = 0;
  private commune = new Int32Array(1024);
  private locaux = new Float64Array(1024);
  /** 1 deploye, 2 raccordable_demande, 0 otherwise. */
  private etat = new Uint8Array(1024);
  /** Best rank per variant, -1 when no row. */
  private filaire = new Int8Array(1024).fill(-1);
  private terrestre = new Int8Array(1024).fill(-1);
  private toutes = new Int8Array(1024).fill(-1);
  private technos = new Uint8Array(1024);
  /** Infrastructure operator per building, as an index in `operateursInfra` (-1: none). */
  private oi = new Int32Array(1024);
  private readonly operateursInfra: string[] = [];
  private readonly oiIndex = new Map<string, number>();
  /** Per commune, the commercial operators with a FttH offer (unsaturated, not INEL). */
  private readonly operateursFtth = new Map<number, Set<string>>();
  /** Rows added (the quarter has eligibility rows when > 0). */
  lignes = 0;

  /** Adds a building of the quarter; returns its index. */
  addBuilding(codeInsee: string, nbLocaux: number, etatFtth: string | null, operateurInfra: string | null): number {
    let c = this.communeIndex.get(codeInsee);
    if (c === undefined) {
      c = this.communes.length;
      this.communes.push(codeInsee);
      this.communeIndex.set(codeInsee, c);
    }
    const i = this.size++;
    if (i === this.commune.length) this.grow();
    this.commune[i] = c;
    this.locaux[i] = nbLocaux;
    this.etat[i] = etatFtth === "deploye" ? 1 : etatFtth === "raccordable_demande" ? 2 : 0;
    let oi = -1;
    if (operateurInfra !== null) {
      oi = this.oiIndex.get(operateurInfra) ?? -1;
      if (oi === -1) {
        oi = this.operateursInfra.length;
        this.operateursInfra.push(operateurInfra);
        this.oiIndex.set(operateurInfra, oi);
      }
    }
    this.oi[i] = oi;
    return i;
  }

  /** Commune code of a building. */
  communeOf(building: number): string {
    return this.communes[this.commune[building] as number] as string;
  }

  /** Adds an eligibility row of a building (as written to thd_eligibilite). */
  addRow(building: number, operateur: string, techno: string, classeDescendant: string, saturation: number): void {
    this.lignes++;
    if (saturation !== 0) return;
    const rang = rangClasse(classeDescendant);
    if ((techno === "FO" || techno === "CU" || techno === "COAX") && rang > (this.filaire[building] as number))
      this.filaire[building] = rang;
    if (techno !== "SAT" && rang > (this.terrestre[building] as number)) this.terrestre[building] = rang;
    if (rang > (this.toutes[building] as number)) this.toutes[building] = rang;
    if (rang > 0) {
      const bit = TECHNO_BITS[techno];
      if (bit !== undefined) this.technos[building] = (this.technos[building] as number) | bit;
      if (techno === "FO") {
        const c = this.commune[building] as number;
        let operateurs = this.operateursFtth.get(c);
        if (!operateurs) {
          operateurs = new Set();
          this.operateursFtth.set(c, operateurs);
        }
        operateurs.add(operateur);
      }
    }
  }

  private grow() {
    const n = this.commune.length * 2;
    const grown = <T extends Int32Array | Float64Array | Uint8Array | Int8Array>(a: T, fill?: number): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      if (fill !== undefined) b.fill(fill);
      b.set(a);
      return b;
    };
    this.commune = grown(this.commune);
    this.locaux = grown(this.locaux);
    this.etat = grown(this.etat);
    this.filaire = grown(this.filaire, -1);
    this.terrestre = grown(this.terrestre, -1);
    this.toutes = grown(this.toutes, -1);
    this.technos = grown(this.technos);
    this.oi = grown(this.oi);
  }

  /**
   * thd_stat_commune_oi's rows as its grouped INSERT … SELECT gives them: per commune and
   * infrastructure operator, the premises of buildings in state "deploye", when more than 0.
   */
  perCommuneOi(): { commune: number; operateur: string; raccordables: number }[] {
    const sums = new Map<number, Map<number, number>>();
    for (let i = 0; i < this.size; i++) {
      const oi = this.oi[i] as number;
      if (oi === -1 || this.etat[i] !== 1) continue;
      const c = this.commune[i] as number;
      let perOi = sums.get(c);
      if (!perOi) {
        perOi = new Map();
        sums.set(c, perOi);
      }
      perOi.set(oi, (perOi.get(oi) ?? 0) + (this.locaux[i] as number));
    }
    const rows: { commune: number; operateur: string; raccordables: number }[] = [];
    for (const [commune, perOi] of sums)
      for (const [oi, raccordables] of perOi)
        if (raccordables > 0) rows.push({ commune, operateur: this.operateursInfra[oi] as string, raccordables });
    return rows;
  }

  /**
   * Per commune (index), the figures of STAT_COLUMNS from `locaux` on (27 numbers), and the number
   * of FttH commercial operators; communes without buildings are absent.
   */
  perCommune(): Map<number, { figures: number[]; operateursFtth: number }> {
    const result = new Map<number, { figures: number[]; operateursFtth: number }>();
    for (let i = 0; i < this.size; i++) {
      const c = this.commune[i] as number;
      let entry = result.get(c);
      if (!entry) {
        entry = { figures: new Array(27).fill(0), operateursFtth: this.operateursFtth.get(c)?.size ?? 0 };
        result.set(c, entry);
      }
      const f = entry.figures;
      const n = this.locaux[i] as number;
      const add = (k: number) => {
        f[k] = (f[k] as number) + n;
      };
      add(0);
      const etat = this.etat[i] as number;
      if (etat === 1) add(1);
      else if (etat === 2) add(2);
      // Bins: no row or INEL → inéligible (0), then one bin per rank, 5 for THD100 and THD1G.
      add(3 + Math.max(0, this.filaire[i] as number));
      add(9 + Math.max(0, this.terrestre[i] as number));
      add(15 + Math.max(0, this.toutes[i] as number));
      const technos = this.technos[i] as number;
      for (let t = 0; t < 6; t++) if (technos & (TECHNO_BIT_ORDER[t] as number)) add(21 + t);
    }
    return result;
  }
}

/** Code-unit order (SQLite's BINARY collation for these ASCII codes). */
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The same figures as aggregateQuarterFromBuildings, written from what an import gathered
 * (BuildingFigures: every building of the quarter and every eligibility row of the quarter) instead
 * of grouping the tables again (thd_stat_commune_oi too).
 */
/**
 * Deletes the quarter's figures computed from buildings, and the per-operator rows of the communes
 * no official aggregate holds; returns the subquery of the communes such an aggregate holds.
 */
async function clearBuildingFigures(db: Kysely<BroadbandTables>, trimestre: string): Promise<RawBuilder<unknown>> {
  const heldElsewhere = sql`(select code_insee from thd_stat_commune where trimestre = ${trimestre} and source <> ${SOURCE_IMMEUBLES})`;
  await db
    .deleteFrom("thd_stat_commune")
    .where("trimestre", "=", trimestre)
    .where("source", "=", SOURCE_IMMEUBLES)
    .execute();
  await sql`delete from thd_stat_commune_oi where trimestre = ${trimestre} and code_insee not in ${heldElsewhere}`.execute(
    db,
  );
  return heldElsewhere;
}

export async function aggregateQuarterFromFigures(
  db: Kysely<BroadbandTables>,
  trimestre: string,
  figures: BuildingFigures,
): Promise<AggregationSummary> {
  const held = new Set(
    (
      await db
        .selectFrom("thd_stat_commune")
        .select("code_insee")
        .where("trimestre", "=", trimestre)
        .where("source", "<>", SOURCE_IMMEUBLES)
        .execute()
    ).map((r) => r.code_insee),
  );
  await clearBuildingFigures(db, trimestre);
  const measured = figures.lignes > 0;
  const rows: unknown[][] = [];
  let locaux = 0;
  let communesIgnorees = 0;
  for (const [c, { figures: f, operateursFtth }] of figures.perCommune()) {
    const code = figures.communes[c] as string;
    if (held.has(code)) {
      communesIgnorees++;
      continue;
    }
    locaux += f[0] as number;
    rows.push([trimestre, code, SOURCE_IMMEUBLES, ...f, measured ? operateursFtth : null]);
  }
  // In commune order, as the grouped INSERT … SELECT writes them.
  rows.sort((a, b) => compareText(a[1] as string, b[1] as string));
  const columns: BulkColumn[] = [
    ...STAT_COLUMNS.map((c, i): BulkColumn => [c, i < 3 ? "text" : "integer"]),
    ["ftth_operateurs_commerciaux", "integer"],
  ];
  const names = columns.map(([c]) => c).join(", ");
  const insert = bulkStatement(db as unknown as AppDatabase, {
    columns,
    sqlite: (values) => `insert into thd_stat_commune (${names}) ${values}`,
    postgres: (source) => `insert into thd_stat_commune (${names}) select * from ${source}`,
  });
  await insert.run(rows);
  const oiRows = figures
    .perCommuneOi()
    .map(({ commune, operateur, raccordables }) => [
      trimestre,
      figures.communes[commune] as string,
      operateur,
      raccordables,
    ])
    .filter((row) => !held.has(row[1] as string))
    .sort((a, b) => compareText(a[1] as string, b[1] as string) || compareText(a[2] as string, b[2] as string));
  const insertOi = bulkStatement(db as unknown as AppDatabase, {
    columns: [
      ["trimestre", "text"],
      ["code_insee", "text"],
      ["operateur", "text"],
      ["ftth_raccordables", "integer"],
    ],
    sqlite: (values) =>
      `insert into thd_stat_commune_oi (trimestre, code_insee, operateur, ftth_raccordables) ${values}`,
    postgres: (source) =>
      `insert into thd_stat_commune_oi (trimestre, code_insee, operateur, ftth_raccordables) select * from ${source}`,
  });
  await insertOi.run(oiRows);
  return { trimestre, communes: rows.length, communesIgnorees, locaux };
}

/**
 * `territoire observatoire agreger --trimestre CODE`: recomputes a draft quarter's commune figures
 * from its buildings, in one transaction. Refuses an unknown or published quarter.
 */
export async function aggregateQuarter(database: AppDatabase, trimestre: string): Promise<AggregationSummary> {
  const db = database as Kysely<BroadbandTables>;
  const code = quarterCode(trimestre);
  return db.transaction().execute(async (trx) => {
    const quarter = await trx.selectFrom("thd_trimestre").select("code").where("code", "=", code).executeTakeFirst();
    if (!quarter) throw new QuarterNotFoundError(code);
    await assertQuarterWritable(trx, code);
    return aggregateQuarterFromBuildings(trx, code);
  });
}
