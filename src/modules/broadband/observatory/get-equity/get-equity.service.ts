import { sql } from "kysely";
import { DENSITE_INSEE_LIBELLES } from "../../../territory/territory.tables.ts";
import { figureSelections, inScope, presentFigures, round2, statsWithCommunes } from "../observatory.figures.ts";
import { avertissement, presentQuarter } from "../observatory.http.ts";
import { type ObservatoryContext, type ObservatoryDb, pickQuarter, publishedKey } from "../observatory.scope.ts";
import type { GetEquityResponse } from "./get-equity.schema.ts";

type Level = GetEquityResponse["niveaux"][number];

const libelle = (niveau: number | null) =>
  niveau === null ? "Densité non renseignée" : (DENSITE_INSEE_LIBELLES[niveau] ?? "");

const INDICATEURS = [
  { indicateur: "thd_filaire", libelle: "Part THD, filaire", part: (l: Level) => l.variantes.filaire?.thd.part },
  { indicateur: "thd_terrestre", libelle: "Part THD, terrestre", part: (l: Level) => l.variantes.terrestre?.thd.part },
  {
    indicateur: "thd_toutes",
    libelle: "Part THD, toutes technologies",
    part: (l: Level) => l.variantes.toutes?.thd.part,
  },
  { indicateur: "ftth", libelle: "Part des locaux raccordables en FttH", part: (l: Level) => l.ftth.part },
] as const;

async function readLevels(db: ObservatoryDb, ctx: ObservatoryContext, trimestre: string) {
  const scope = inScope(ctx.scope);
  const rows = await statsWithCommunes(db)
    .select(["t.densite_insee_niveau", ...figureSelections()])
    .where("s.trimestre", "=", trimestre)
    .where(scope)
    .groupBy("t.densite_insee_niveau")
    .execute();
  const counts = await db
    .selectFrom("territoire as t")
    .select(["t.densite_insee_niveau", sql<number>`count(*)`.as("communes")])
    .where("t.niveau", "=", "communes")
    .where(scope)
    .groupBy("t.densite_insee_niveau")
    .execute();
  return { rows, counts };
}

export async function getEquity(
  db: ObservatoryDb,
  ctx: ObservatoryContext,
  trimestre: string | undefined,
): Promise<GetEquityResponse> {
  const quarter = pickQuarter(ctx.quarters, trimestre);
  const { rows, counts } = await ctx.cache.getOrCompute(publishedKey(ctx, ["equite", quarter.code], [quarter]), () =>
    readLevels(db, ctx, quarter.code),
  );
  const byLevel = new Map(rows.map((r) => [r.densite_insee_niveau ?? null, r as Record<string, unknown>]));
  const niveaux: Level[] = counts
    .map((c) => {
      const niveau = c.densite_insee_niveau === null ? null : Number(c.densite_insee_niveau);
      return {
        niveau,
        libelle: libelle(niveau),
        communes: Number(c.communes),
        ...presentFigures(byLevel.get(c.densite_insee_niveau ?? null)),
      };
    })
    .sort((a, b) => (a.niveau ?? 99) - (b.niveau ?? 99));
  const ecarts: GetEquityResponse["ecarts"] = [];
  for (const indicateur of INDICATEURS) {
    const measured = niveaux
      .filter((l) => l.niveau !== null)
      .map((l) => ({ niveau: l.niveau, libelle: l.libelle, part: indicateur.part(l) }))
      .filter((l): l is { niveau: number; libelle: string; part: number } => typeof l.part === "number");
    if (measured.length === 0) continue;
    const meilleur = measured.reduce((best, l) => (l.part > best.part ? l : best));
    const moinsBon = measured.reduce((worst, l) => (l.part < worst.part ? l : worst));
    ecarts.push({
      indicateur: indicateur.indicateur,
      libelle: indicateur.libelle,
      meilleur,
      moinsBon,
      ecartPoints: round2(meilleur.part - moinsBon.part),
    });
  }
  return {
    territoire: ctx.scope,
    trimestre: presentQuarter(quarter),
    niveaux,
    ecarts,
    simule: quarter.simule,
    avertissement: avertissement(quarter.simule),
  };
}
