import { inScope } from "../observatory.figures.ts";
import { avertissement, presentQuarter } from "../observatory.http.ts";
import { type ObservatoryContext, type ObservatoryDb, pickQuarter, publishedKey } from "../observatory.scope.ts";
import type { GetZoneFibreeResponse, ZoneFibreeCommune } from "./get-zone-fibree.schema.ts";

/**
 * What the « zone fibrée » status asks (reference §3.1) that per-commune figures can measure:
 * - FttH figures exist for the commune and quarter;
 * - every premise is raccordable or raccordable à la demande (obligation « rendre raccordable tout
 *   local de la zone »; `seuil` lowers the bar for exploration);
 * - at least one commercial operator sells FttH (« offre de services disponible sur toute la
 *   zone »), when the import measured it; an unmeasured condition does not block.
 * The rest needs data we do not hold per commune: listed in `nonMesurables`.
 */
export const CONDITION_LIBELLES = {
  donnees_ftth: "Chiffres FttH disponibles pour la commune",
  locaux_raccordables: "Tous les locaux raccordables ou raccordables à la demande",
  offre_commerciale: "Au moins un opérateur commercial propose la fibre",
} as const;

export const NON_MESURABLES = [
  "Complétude de chaque zone arrière de point de mutualisation (ZAPM) : les chiffres sont agrégés par commune",
  "Adduction des points de mutualisation en zone très dense",
  "Offre passive de gros avec qualité de service renforcée et indicateurs de qualité du réseau",
  "Demande de l'opérateur ou de la collectivité et décision de l'ARCEP",
];

const fmt = (n: number) => n.toLocaleString("fr-FR");

export interface CommuneFtthRow {
  code: string;
  nom: string;
  locaux: number | null;
  ftth_raccordables: number | null;
  ftth_raccordables_demande: number | null;
  ftth_operateurs_commerciaux: number | null;
}

export function assessCommune(row: CommuneFtthRow, seuil: number): ZoneFibreeCommune {
  const locaux = row.locaux === null ? null : Number(row.locaux);
  const raccordables = row.ftth_raccordables === null ? null : Number(row.ftth_raccordables);
  const demande = row.ftth_raccordables_demande === null ? null : Number(row.ftth_raccordables_demande);
  const operateurs = row.ftth_operateurs_commerciaux === null ? null : Number(row.ftth_operateurs_commerciaux);
  const conditions: ZoneFibreeCommune["conditions"] = [];
  const motifs: string[] = [];
  let couverture: number | null = null;

  if (locaux === null || raccordables === null || locaux <= 0) {
    conditions.push({ condition: "donnees_ftth", etat: "non_remplie" });
    conditions.push({ condition: "locaux_raccordables", etat: "non_mesuree" });
    motifs.push(
      locaux === null
        ? "Pas de chiffres pour ce trimestre"
        : locaux <= 0
          ? "Aucun local recensé"
          : "Pas de chiffres FttH pour ce trimestre",
    );
  } else {
    conditions.push({ condition: "donnees_ftth", etat: "remplie" });
    const couverts = raccordables + (demande ?? 0);
    couverture = Math.round(Math.min(100, (100 * couverts) / locaux) * 100) / 100;
    const requis = Math.ceil((seuil / 100) * locaux - 1e-9);
    if (couverts >= requis) {
      conditions.push({ condition: "locaux_raccordables", etat: "remplie" });
    } else {
      conditions.push({ condition: "locaux_raccordables", etat: "non_remplie" });
      const manquants = locaux - couverts;
      motifs.push(
        `${fmt(manquants)} ${manquants > 1 ? "locaux" : "local"} sur ${fmt(locaux)} ni raccordable${manquants > 1 ? "s" : ""} ni raccordable${manquants > 1 ? "s" : ""} à la demande (couverture ${couverture.toLocaleString("fr-FR")} %, seuil ${seuil} %)`,
      );
    }
  }
  if (operateurs === null) {
    conditions.push({ condition: "offre_commerciale", etat: "non_mesuree" });
  } else if (operateurs >= 1) {
    conditions.push({ condition: "offre_commerciale", etat: "remplie" });
  } else {
    conditions.push({ condition: "offre_commerciale", etat: "non_remplie" });
    motifs.push("Aucun opérateur commercial ne propose la fibre");
  }
  return {
    code: row.code,
    nom: row.nom,
    locaux,
    ftthRaccordables: raccordables,
    ftthRaccordablesDemande: demande,
    couverture,
    operateursCommerciaux: operateurs,
    zoneFibree: conditions.every((c) => c.etat !== "non_remplie"),
    conditions,
    motifs,
  };
}

function readCommunes(db: ObservatoryDb, ctx: ObservatoryContext, trimestre: string): Promise<CommuneFtthRow[]> {
  return db
    .selectFrom("territoire as t")
    .leftJoin("thd_stat_commune as s", (join) =>
      join.onRef("s.code_insee", "=", "t.code").on("s.trimestre", "=", trimestre),
    )
    .select([
      "t.code",
      "t.nom",
      "s.locaux",
      "s.ftth_raccordables",
      "s.ftth_raccordables_demande",
      "s.ftth_operateurs_commerciaux",
    ])
    .where("t.niveau", "=", "communes")
    .where(inScope(ctx.scope))
    .orderBy("t.code")
    .execute();
}

export async function getZoneFibree(
  db: ObservatoryDb,
  ctx: ObservatoryContext,
  trimestre: string | undefined,
  seuil: number,
): Promise<GetZoneFibreeResponse> {
  const quarter = pickQuarter(ctx.quarters, trimestre);
  const rows = await ctx.cache.getOrCompute(
    publishedKey(ctx, ["zone-fibree", quarter.code], [quarter]),
    () => readCommunes(db, ctx, quarter.code),
    (list) => list.length,
  );
  const communes = rows.map((row) => assessCommune(row, seuil));
  const zone = communes.filter((c) => c.zoneFibree);
  return {
    territoire: ctx.scope,
    trimestre: presentQuarter(quarter),
    seuil,
    conditions: Object.entries(CONDITION_LIBELLES).map(([condition, libelle]) => ({
      condition: condition as keyof typeof CONDITION_LIBELLES,
      libelle,
    })),
    nonMesurables: NON_MESURABLES,
    synthese: {
      communes: communes.length,
      communesZoneFibree: zone.length,
      locaux: communes.reduce((n, c) => n + (c.locaux ?? 0), 0),
      locauxZoneFibree: zone.reduce((n, c) => n + (c.locaux ?? 0), 0),
    },
    communes,
    simule: quarter.simule,
    avertissement: avertissement(quarter.simule),
  };
}
