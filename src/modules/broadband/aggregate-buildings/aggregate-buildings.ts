import { type Kysely, sql } from "kysely";
import type { AppDatabase } from "../../../shared/db/database.ts";
import type { ProgressListener } from "../../../shared/progress/progress.ts";
import type { BroadbandTables } from "../broadband.tables.ts";
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
 * quarter: on the Normandy demo, seconds each).
 */
export async function aggregateAfterImport(
  ctx: { db: Kysely<BroadbandTables>; trimestre: string; onProgress: ProgressListener },
  recompute: boolean,
): Promise<number> {
  if (!recompute) return 0;
  ctx.onProgress({ step: "Agrégation par commune", done: 0, total: 1 });
  const aggregation = await aggregateQuarterFromBuildings(ctx.db, ctx.trimestre);
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
  const heldElsewhere = sql`(select code_insee from thd_stat_commune where trimestre = ${trimestre} and source <> ${SOURCE_IMMEUBLES})`;
  await db
    .deleteFrom("thd_stat_commune")
    .where("trimestre", "=", trimestre)
    .where("source", "=", SOURCE_IMMEUBLES)
    .execute();
  await sql`delete from thd_stat_commune_oi where trimestre = ${trimestre} and code_insee not in ${heldElsewhere}`.execute(
    db,
  );

  const columns = [
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

  await sql`
    insert into thd_stat_commune_oi (trimestre, code_insee, operateur, ftth_raccordables)
    select ${trimestre}, code_insee, operateur_infra, sum(nb_locaux)
    from thd_immeuble
    where trimestre = ${trimestre} and etat_ftth = 'deploye' and operateur_infra is not null
      and code_insee not in ${heldElsewhere}
    group by code_insee, operateur_infra
    having sum(nb_locaux) > 0`.execute(db);

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
