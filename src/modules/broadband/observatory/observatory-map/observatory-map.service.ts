import { sql } from "kysely";
import { HttpError } from "../../../../shared/http/errors.ts";
import { territoryFilter } from "../../../territory/territory.filters.ts";
import type { Niveau } from "../../../territory/territory.tables.ts";
import type { QuarterSummary } from "../../quarters/quarters.service.ts";
import {
  type AggregateRow,
  inScope,
  presentShares,
  shareSelections,
  statsWithCommunes,
} from "../observatory.figures.ts";
import { avertissement, presentQuarter } from "../observatory.http.ts";
import {
  type ObservatoryContext,
  type ObservatoryDb,
  pickQuarter,
  publishedKey,
  SCOPE_COLUMN,
} from "../observatory.scope.ts";
import type { ObservatoryMapResponse } from "./observatory-map.schema.ts";

type Maille = ObservatoryMapResponse["maille"];

const ALLOWED: Record<Niveau, Maille[]> = {
  regions: ["departements", "epci", "communes"],
  departements: ["epci", "communes"],
  epci: ["communes"],
  communes: ["communes"],
};

export function defaultMaille(niveau: Niveau): Maille {
  return ALLOWED[niveau][0] as Maille;
}

const PARENT_FILTER = { regions: "region", departements: "departement", epci: "epci" } as const;

export async function getObservatoryMap(
  db: ObservatoryDb,
  ctx: ObservatoryContext,
  trimestre: string | undefined,
  maille: Maille | undefined,
): Promise<ObservatoryMapResponse> {
  const { scope } = ctx;
  const chosen = maille ?? defaultMaille(scope.niveau);
  if (!ALLOWED[scope.niveau].includes(chosen)) {
    throw new HttpError(
      400,
      "PARAMETRE_INVALIDE",
      `Paramètre « maille » invalide : pour ce niveau, doit valoir ${ALLOWED[scope.niveau].map((m) => `« ${m} »`).join(", ")}`,
      { parametre: "maille" },
    );
  }
  const quarter = pickQuarter(ctx.quarters, trimestre);
  return ctx.cache.getOrCompute(
    publishedKey(ctx, ["carte", quarter.code, chosen], [quarter]),
    () => readMap(db, ctx, quarter, chosen),
    (result) => result.valeurs.length,
  );
}

async function readMap(
  db: ObservatoryDb,
  ctx: ObservatoryContext,
  quarter: QuarterSummary,
  chosen: Maille,
): Promise<ObservatoryMapResponse> {
  const { scope } = ctx;
  // The same children as the territory lists and contours (an EPCI belongs to a département
  // through any of its communes), so that the web can join values and contours by code.
  const children =
    scope.niveau === "communes"
      ? [{ code: scope.code, nom: scope.nom }]
      : await db
          .selectFrom("territoire")
          .select(["territoire.code", "territoire.nom"])
          .where(territoryFilter(chosen, { [PARENT_FILTER[scope.niveau]]: scope.code }))
          .orderBy("territoire.code")
          .execute();
  const group = SCOPE_COLUMN[chosen];
  let query = statsWithCommunes(db)
    .select([sql<string>`${sql.ref(`t.${group}`)}`.as("groupe"), ...shareSelections()])
    .where("s.trimestre", "=", quarter.code)
    .groupBy(sql.ref(`t.${group}`));
  // A commune map reads the scope's communes; coarser maps read whole children (a whole EPCI).
  query =
    chosen === "communes"
      ? query.where(inScope(scope))
      : query.where(
          sql.ref(`t.${group}`),
          "in",
          children.map((c) => c.code),
        );
  const rows = children.length === 0 ? [] : await query.execute();
  const byCode = new Map(rows.map((r) => [String(r.groupe), r as AggregateRow]));
  const valeurs = children.map((child) => ({
    code: child.code,
    nom: child.nom,
    ...presentShares(byCode.get(child.code) ?? {}),
  }));
  return {
    territoire: scope,
    trimestre: presentQuarter(quarter),
    maille: chosen,
    valeurs,
    simule: quarter.simule,
    avertissement: avertissement(quarter.simule),
  };
}
