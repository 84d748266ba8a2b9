import { type AliasedRawBuilder, type Expression, type SqlBool, sql } from "kysely";
import { CLASSES_DEBIT, type ClasseDebit, TECHNOLOGIES_STAT, VARIANTES, type Variante } from "../broadband.tables.ts";
import { CLASSES_API, type ClasseApi } from "./observatory.schemas.ts";
import {
  type ObservatoryContext,
  type ObservatoryDb,
  publishedKey,
  SCOPE_COLUMN,
  type Scope,
} from "./observatory.scope.ts";

/**
 * The observatory's figures are sums over `thd_stat_commune` (one row per commune and quarter),
 * grouped in SQL: never a per-building table. A figure the source did not give is NULL in the row;
 * each share is computed over the premises of the communes that have that figure, so that a partial
 * source (e.g. ARCEP's FttH file, without speed classes) never dilutes a percentage.
 */

export { CLASSES_API, type ClasseApi };

const CLASS_COLUMN: Record<ClasseApi, ClasseDebit> = Object.fromEntries(
  CLASSES_API.map((key, i) => [key, CLASSES_DEBIT[i]]),
) as Record<ClasseApi, ClasseDebit>;

export const CLASSE_LIBELLES: Record<ClasseApi, string> = {
  inel: "Inéligible (moins de 0,5 Mbit/s)",
  "0-3": "De 0,5 à 3 Mbit/s",
  "3-8": "De 3 à 8 Mbit/s",
  "8-30": "De 8 à 30 Mbit/s",
  "30-100": "De 30 à 100 Mbit/s",
  "100+": "100 Mbit/s et plus",
};
/** Classes counted as THD (très haut débit, ≥ 30 Mbit/s). */
const THD_CLASSES: ClasseApi[] = ["30-100", "100+"];

export const VARIANTE_LIBELLES: Record<Variante, string> = {
  filaire: "Filaire (cuivre, câble, fibre)",
  terrestre: "Terrestre (toutes technologies sauf satellite)",
  toutes: "Toutes technologies (satellite compris)",
};

export type TechnologieStat = (typeof TECHNOLOGIES_STAT)[number];
export const TECHNOLOGIE_LIBELLES: Record<TechnologieStat, string> = {
  cu: "Cuivre (xDSL)",
  coax: "Câble coaxial",
  ftth: "Fibre jusqu'à l'abonné (FttH)",
  "4gf": "4G fixe",
  thdr: "THD radio",
  sat: "Satellite",
};

export const round2 = (value: number) => Math.round(value * 100) / 100;
export const share = (count: number | null, base: number | null): number | null =>
  count === null || base === null || base <= 0 ? null : round2((100 * count) / base);

const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

const sum = (column: string) => sql<number | null>`sum(${sql.ref(column)})`;
/** Premises of the communes where `column` is known: the base of that column's share. */
const baseOf = (column: string) => sql<number | null>`sum(case when ${sql.ref(column)} is not null then s.locaux end)`;

/** The aggregate columns every figure is made of (aliases are plain names, read by presentFigures). */
export function figureSelections(): AliasedRawBuilder<number | null, string>[] {
  const selections: AliasedRawBuilder<number | null, string>[] = [
    sql<number>`count(*)`.as("communes"),
    sum("s.locaux").as("locaux"),
    sum("s.ftth_raccordables").as("ftth"),
    baseOf("s.ftth_raccordables").as("ftth_base"),
    sum("s.ftth_raccordables_demande").as("ftth_demande"),
    baseOf("s.ftth_raccordables_demande").as("ftth_demande_base"),
  ];
  for (const variante of VARIANTES) {
    selections.push(baseOf(`s.${variante}_inel`).as(`${variante}_base`));
    for (const classe of CLASSES_DEBIT) selections.push(sum(`s.${variante}_${classe}`).as(`${variante}_${classe}`));
  }
  for (const techno of TECHNOLOGIES_STAT) {
    selections.push(sum(`s.techno_${techno}`).as(`techno_${techno}`));
    selections.push(baseOf(`s.techno_${techno}`).as(`techno_${techno}_base`));
  }
  return selections;
}

/** Only what a map or a series needs: THD shares of the three variants and the FttH share. */
export function shareSelections(): AliasedRawBuilder<number | null, string>[] {
  const selections: AliasedRawBuilder<number | null, string>[] = [
    sql<number>`count(*)`.as("communes"),
    sum("s.locaux").as("locaux"),
    sum("s.ftth_raccordables").as("ftth"),
    baseOf("s.ftth_raccordables").as("ftth_base"),
  ];
  for (const variante of VARIANTES) {
    selections.push(baseOf(`s.${variante}_inel`).as(`${variante}_base`));
    selections.push(
      sql<number | null>`sum(${sql.ref(`s.${variante}_30_100`)} + ${sql.ref(`s.${variante}_100`)})`.as(
        `${variante}_thd`,
      ),
    );
  }
  return selections;
}

export type AggregateRow = Record<string, unknown>;

/** Communes of the scope (through `territoire`): the WHERE clause of every observatory query. */
export function inScope(scope: Pick<Scope, "niveau" | "code">): Expression<SqlBool> {
  return sql<SqlBool>`${sql.ref(`t.${SCOPE_COLUMN[scope.niveau]}`)} = ${scope.code}`;
}

/** `thd_stat_commune` rows joined to their commune: group, filter and select on top of it. */
export function statsWithCommunes(db: ObservatoryDb) {
  return db
    .selectFrom("thd_stat_commune as s")
    .innerJoin("territoire as t", (join) => join.onRef("t.code", "=", "s.code_insee").on("t.niveau", "=", "communes"));
}

/** The scope's communes in code order: they change only with a new import of the territories. */
export function scopeCommunes(db: ObservatoryDb, ctx: ObservatoryContext): Promise<{ code: string; nom: string }[]> {
  return ctx.cache.getOrCompute(
    publishedKey(ctx, ["communes"], []),
    () =>
      db
        .selectFrom("territoire as t")
        .select(["t.code", "t.nom"])
        .where("t.niveau", "=", "communes")
        .where(inScope(ctx.scope))
        .orderBy("t.code")
        .execute(),
    (list) => list.length,
  );
}

/**
 * A région holds (nearly) every commune of a quarter: reading the quarter's rows of a per-commune
 * table by its primary key (trimestre first) alone, then keeping the scope's communes, is faster
 * than joining each commune to its row; smaller scopes join.
 */
export const readsWholeQuarter = (ctx: ObservatoryContext) => ctx.scope.niveau === "regions";

export interface ClasseFigure {
  classe: ClasseApi;
  libelle: string;
  locaux: number;
  part: number | null;
}
export interface VarianteFigures {
  libelle: string;
  /** Premises of the communes whose speed classes are known in this variant: the base of the shares. */
  locauxCouverts: number;
  classes: ClasseFigure[];
  thd: { locaux: number; part: number | null };
}
export interface FtthFigures {
  /** Premises of the communes whose FttH figures are known. */
  locauxCouverts: number;
  raccordables: number | null;
  part: number | null;
  raccordablesDemande: number | null;
  partDemande: number | null;
}
export interface TechnologieFigure {
  technologie: TechnologieStat;
  libelle: string;
  locaux: number;
  part: number | null;
}
export interface Figures {
  communesAvecDonnees: number;
  locaux: number;
  variantes: Record<Variante, VarianteFigures | null>;
  ftth: FtthFigures;
  technologies: TechnologieFigure[];
}

function presentVariante(row: AggregateRow, variante: Variante): VarianteFigures | null {
  const base = num(row[`${variante}_base`]);
  if (!base) return null;
  const classes = CLASSES_API.map((classe) => {
    const locaux = num(row[`${variante}_${CLASS_COLUMN[classe]}`]) ?? 0;
    return { classe, libelle: CLASSE_LIBELLES[classe], locaux, part: share(locaux, base) };
  });
  const thd = classes.filter((c) => THD_CLASSES.includes(c.classe)).reduce((n, c) => n + c.locaux, 0);
  return {
    libelle: VARIANTE_LIBELLES[variante],
    locauxCouverts: base,
    classes,
    thd: { locaux: thd, part: share(thd, base) },
  };
}

export function presentFtth(row: AggregateRow): FtthFigures {
  const base = num(row.ftth_base) ?? 0;
  const raccordables = base > 0 ? (num(row.ftth) ?? 0) : null;
  const demandeBase = num(row.ftth_demande_base);
  const raccordablesDemande = demandeBase ? (num(row.ftth_demande) ?? 0) : null;
  return {
    locauxCouverts: base,
    raccordables,
    part: share(raccordables, base),
    raccordablesDemande,
    partDemande: share(raccordablesDemande, demandeBase),
  };
}

export function presentFigures(row: AggregateRow | undefined): Figures {
  const r = row ?? {};
  const variantes = Object.fromEntries(VARIANTES.map((v) => [v, presentVariante(r, v)])) as Record<
    Variante,
    VarianteFigures | null
  >;
  const technologies: TechnologieFigure[] = [];
  for (const techno of TECHNOLOGIES_STAT) {
    const base = num(r[`techno_${techno}_base`]);
    if (!base) continue;
    const locaux = num(r[`techno_${techno}`]) ?? 0;
    technologies.push({
      technologie: techno,
      libelle: TECHNOLOGIE_LIBELLES[techno],
      locaux,
      part: share(locaux, base),
    });
  }
  return {
    communesAvecDonnees: num(r.communes) ?? 0,
    locaux: num(r.locaux) ?? 0,
    variantes,
    ftth: presentFtth(r),
    technologies,
  };
}

export interface ShareFigures {
  communesAvecDonnees: number;
  locaux: number;
  thd: Record<Variante, number | null>;
  ftth: { raccordables: number | null; part: number | null };
}

export function presentShares(row: AggregateRow): ShareFigures {
  const thd = Object.fromEntries(
    VARIANTES.map((v) => [v, share(num(row[`${v}_thd`]), num(row[`${v}_base`]))]),
  ) as Record<Variante, number | null>;
  const ftth = presentFtth(row);
  return {
    communesAvecDonnees: num(row.communes) ?? 0,
    locaux: num(row.locaux) ?? 0,
    thd,
    ftth: { raccordables: ftth.raccordables, part: ftth.part },
  };
}
