import { sql } from "kysely";
import { figureSelections, inScope, presentFigures, share, statsWithCommunes } from "../observatory.figures.ts";
import { avertissement, presentQuarter } from "../observatory.http.ts";
import { type ObservatoryContext, type ObservatoryDb, pickQuarter, publishedKey } from "../observatory.scope.ts";
import type { GetObservatoryResponse } from "./get-observatory.schema.ts";

export async function getObservatory(
  db: ObservatoryDb,
  ctx: ObservatoryContext,
  trimestre: string | undefined,
): Promise<GetObservatoryResponse> {
  const quarter = pickQuarter(ctx.quarters, trimestre);
  const { aggregate, communes, operators, sources } = await ctx.cache.getOrCompute(
    publishedKey(ctx, ["observatoire", quarter.code], [quarter]),
    () => readFigures(db, ctx, quarter.code),
  );
  const operatorsTotal = operators.reduce((n, o) => n + Number(o.raccordables), 0);
  const figures = presentFigures(aggregate);
  return {
    territoire: ctx.scope,
    trimestre: presentQuarter(quarter),
    trimestres: ctx.quarters.map(presentQuarter),
    communes: { total: communes, avecDonnees: figures.communesAvecDonnees },
    ...figures,
    operateursInfrastructure: operators.map((o) => ({
      operateur: o.operateur,
      nom: o.nom,
      raccordables: Number(o.raccordables),
      part: share(Number(o.raccordables), operatorsTotal),
    })),
    sources,
    simule: quarter.simule,
    avertissement: avertissement(quarter.simule),
  };
}

async function readFigures(db: ObservatoryDb, ctx: ObservatoryContext, trimestre: string) {
  const scope = inScope(ctx.scope);
  const aggregate = await statsWithCommunes(db)
    .select([
      ...figureSelections(),
      // Usually one source per quarter: the DISTINCT query below is only needed when they differ.
      sql<string | null>`min(s.source)`.as("source_min"),
      sql<string | null>`max(s.source)`.as("source_max"),
    ])
    .where("s.trimestre", "=", trimestre)
    .where(scope)
    .executeTakeFirst();
  // The territory's communes do not change with the quarter.
  const communes = await ctx.cache.getOrCompute(`${ctx.scope.niveau}|${ctx.scope.code}|communes`, async () =>
    Number(
      (
        await db
          .selectFrom("territoire as t")
          .select(sql<number>`count(*)`.as("total"))
          .where("t.niveau", "=", "communes")
          .where(scope)
          .executeTakeFirstOrThrow()
      ).total,
    ),
  );
  const operators = await db
    .selectFrom("thd_stat_commune_oi as o")
    .innerJoin("territoire as t", (join) => join.onRef("t.code", "=", "o.code_insee").on("t.niveau", "=", "communes"))
    .leftJoin("thd_operateur as op", "op.code", "o.operateur")
    .select(["o.operateur", "op.nom", sql<number>`sum(o.ftth_raccordables)`.as("raccordables")])
    .where("o.trimestre", "=", trimestre)
    .where(scope)
    .groupBy(["o.operateur", "op.nom"])
    .orderBy("raccordables", "desc")
    .orderBy("o.operateur")
    .execute();
  const [first, last] = [aggregate?.source_min ?? null, aggregate?.source_max ?? null];
  const sources =
    first === null
      ? []
      : first === last
        ? [first]
        : (
            await statsWithCommunes(db)
              .select("s.source")
              .distinct()
              .where("s.trimestre", "=", trimestre)
              .where(scope)
              .orderBy("s.source")
              .execute()
          ).map((r) => r.source);
  return { aggregate, communes, operators, sources };
}

/** The figures as one long table (one line per figure), for CSV and XLSX. */
export interface ObservatoryLine {
  rubrique: string;
  variante: string;
  cle: string;
  libelle: string;
  locaux: number | null;
  part: number | null;
}

export function observatoryLines(o: GetObservatoryResponse): ObservatoryLine[] {
  const lines: ObservatoryLine[] = [
    { rubrique: "locaux", variante: "", cle: "total", libelle: "Locaux", locaux: o.locaux, part: null },
  ];
  for (const [variante, figures] of Object.entries(o.variantes)) {
    if (!figures) continue;
    for (const c of figures.classes) {
      lines.push({
        rubrique: "classe_debit",
        variante,
        cle: c.classe,
        libelle: c.libelle,
        locaux: c.locaux,
        part: c.part,
      });
    }
    lines.push({
      rubrique: "thd",
      variante,
      cle: "30+",
      libelle: "Très haut débit (30 Mbit/s et plus)",
      locaux: figures.thd.locaux,
      part: figures.thd.part,
    });
  }
  lines.push(
    {
      rubrique: "ftth",
      variante: "",
      cle: "raccordables",
      libelle: "Locaux raccordables en FttH",
      locaux: o.ftth.raccordables,
      part: o.ftth.part,
    },
    {
      rubrique: "ftth",
      variante: "",
      cle: "raccordables_demande",
      libelle: "Locaux raccordables à la demande en FttH",
      locaux: o.ftth.raccordablesDemande,
      part: o.ftth.partDemande,
    },
  );
  for (const t of o.technologies) {
    lines.push({
      rubrique: "technologie",
      variante: "",
      cle: t.technologie,
      libelle: t.libelle,
      locaux: t.locaux,
      part: t.part,
    });
  }
  for (const op of o.operateursInfrastructure) {
    lines.push({
      rubrique: "operateur_infrastructure",
      variante: "",
      cle: op.operateur,
      libelle: op.nom ?? op.operateur,
      locaux: op.raccordables,
      part: op.part,
    });
  }
  return lines;
}
