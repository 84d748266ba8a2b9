import { inScope, readsWholeQuarter, scopeCommunes, statsWithCommunes } from "../observatory.figures.ts";
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

type Conditions = ZoneFibreeCommune["conditions"];
type Etat = Conditions[number]["etat"];

/**
 * The conditions of a commune depend only on three states: one list per combination, built once and
 * shared by every commune (and every answer) in that situation, so that assessing a région's
 * communes allocates no condition objects. Frozen: nothing may modify them.
 */
function conditionLists(donnees: Etat, locaux: Etat): Record<Etat, Conditions> {
  const list = (offre: Etat) =>
    Object.freeze([
      Object.freeze({ condition: "donnees_ftth", etat: donnees }),
      Object.freeze({ condition: "locaux_raccordables", etat: locaux }),
      Object.freeze({ condition: "offre_commerciale", etat: offre }),
    ]) as Conditions;
  return { remplie: list("remplie"), non_remplie: list("non_remplie"), non_mesuree: list("non_mesuree") };
}
const SANS_DONNEES = conditionLists("non_remplie", "non_mesuree");
const LOCAUX_COUVERTS = conditionLists("remplie", "remplie");
const LOCAUX_NON_COUVERTS = conditionLists("remplie", "non_remplie");
const SANS_MOTIF = Object.freeze([]) as unknown as string[];
const AUCUN_OPERATEUR = "Aucun opérateur commercial ne propose la fibre";

export function assessCommune(row: CommuneFtthRow, seuil: number): ZoneFibreeCommune {
  const locaux = row.locaux === null ? null : Number(row.locaux);
  const raccordables = row.ftth_raccordables === null ? null : Number(row.ftth_raccordables);
  const demande = row.ftth_raccordables_demande === null ? null : Number(row.ftth_raccordables_demande);
  const operateurs = row.ftth_operateurs_commerciaux === null ? null : Number(row.ftth_operateurs_commerciaux);
  const offre: Etat = operateurs === null ? "non_mesuree" : operateurs >= 1 ? "remplie" : "non_remplie";
  let lists: Record<Etat, Conditions>;
  let motif: string | null = null;
  let couverture: number | null = null;

  if (locaux === null || raccordables === null || locaux <= 0) {
    lists = SANS_DONNEES;
    motif =
      locaux === null
        ? "Pas de chiffres pour ce trimestre"
        : locaux <= 0
          ? "Aucun local recensé"
          : "Pas de chiffres FttH pour ce trimestre";
  } else {
    const couverts = raccordables + (demande ?? 0);
    couverture = Math.round(Math.min(100, (100 * couverts) / locaux) * 100) / 100;
    const requis = Math.ceil((seuil / 100) * locaux - 1e-9);
    if (couverts >= requis) {
      lists = LOCAUX_COUVERTS;
    } else {
      lists = LOCAUX_NON_COUVERTS;
      const manquants = locaux - couverts;
      const s = manquants > 1 ? "s" : "";
      motif = `${fmt(manquants)} ${manquants > 1 ? "locaux" : "local"} sur ${fmt(locaux)} ni raccordable${s} ni raccordable${s} à la demande (couverture ${couverture.toLocaleString("fr-FR")} %, seuil ${seuil} %)`;
    }
  }
  let motifs = SANS_MOTIF;
  if (motif !== null) motifs = offre === "non_remplie" ? [motif, AUCUN_OPERATEUR] : [motif];
  else if (offre === "non_remplie") motifs = [AUCUN_OPERATEUR];
  return {
    code: row.code,
    nom: row.nom,
    locaux,
    ftthRaccordables: raccordables,
    ftthRaccordablesDemande: demande,
    couverture,
    operateursCommerciaux: operateurs,
    // Every condition « remplie » or « non mesurée ».
    zoneFibree: lists === LOCAUX_COUVERTS && offre !== "non_remplie",
    conditions: lists[offre],
    motifs,
  };
}

type FtthFigures = Omit<CommuneFtthRow, "code" | "nom">;
const NO_FIGURES: FtthFigures = {
  locaux: null,
  ftth_raccordables: null,
  ftth_raccordables_demande: null,
  ftth_operateurs_commerciaux: null,
};

/** Every commune of the scope with its FttH figures of the quarter (nulls when it has none). */
async function readCommunes(db: ObservatoryDb, ctx: ObservatoryContext, trimestre: string): Promise<CommuneFtthRow[]> {
  const communes = await scopeCommunes(db, ctx);
  const columns = ["locaux", "ftth_raccordables", "ftth_raccordables_demande", "ftth_operateurs_commerciaux"] as const;
  const rows = readsWholeQuarter(ctx)
    ? await db
        .selectFrom("thd_stat_commune as s")
        .select(["s.code_insee", ...columns.map((c) => `s.${c}` as const)])
        .where("s.trimestre", "=", trimestre)
        .execute()
    : await statsWithCommunes(db)
        .select(["s.code_insee", ...columns.map((c) => `s.${c}` as const)])
        .where("s.trimestre", "=", trimestre)
        .where(inScope(ctx.scope))
        .execute();
  const figures = new Map<string, FtthFigures>(rows.map((row) => [row.code_insee, row]));
  return communes.map((c) => {
    const f = figures.get(c.code) ?? NO_FIGURES;
    return {
      code: c.code,
      nom: c.nom,
      locaux: f.locaux,
      ftth_raccordables: f.ftth_raccordables,
      ftth_raccordables_demande: f.ftth_raccordables_demande,
      ftth_operateurs_commerciaux: f.ftth_operateurs_commerciaux,
    };
  });
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
  const synthese = { communes: communes.length, communesZoneFibree: 0, locaux: 0, locauxZoneFibree: 0 };
  for (const commune of communes) {
    synthese.locaux += commune.locaux ?? 0;
    if (commune.zoneFibree) {
      synthese.communesZoneFibree += 1;
      synthese.locauxZoneFibree += commune.locaux ?? 0;
    }
  }
  return {
    territoire: ctx.scope,
    trimestre: presentQuarter(quarter),
    seuil,
    conditions: Object.entries(CONDITION_LIBELLES).map(([condition, libelle]) => ({
      condition: condition as keyof typeof CONDITION_LIBELLES,
      libelle,
    })),
    nonMesurables: NON_MESURABLES,
    synthese,
    communes,
    simule: quarter.simule,
    avertissement: avertissement(quarter.simule),
  };
}
