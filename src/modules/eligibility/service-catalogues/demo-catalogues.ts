import { bumpGeneration, type CatalogueDb, insertVersion } from "./catalogue-repository.ts";
import type { CatalogueVersion, OfferDefinition } from "./catalogue-snapshot.ts";

/**
 * Demo catalogues of the five Normandy RIPs (reference broadband.md §4.1–4.2: no real Normandy
 * catalogue was found, so every figure here is invented but plausible, and marked `exemple`).
 * Two versions per network: "2024" valid 2024-01-01 → 2026-01-01, "2026" from 2026-01-01.
 * Names as in the broadband demo (generate-demo-thd/networks.ts); not imported: modules do not
 * import each other.
 */
const RIPS: { code: string; nom: string; departement: string; facteur: number; orange: boolean }[] = [
  { code: "RIP14", nom: "Fibre Calvados Normandie (RIP du Calvados)", departement: "14", facteur: 1, orange: false },
  { code: "RIP27", nom: "Eure Normandie THD (RIP de l'Eure)", departement: "27", facteur: 1.05, orange: false },
  { code: "RIP50", nom: "Manche Fibre (RIP de la Manche)", departement: "50", facteur: 0.95, orange: false },
  { code: "RIP61", nom: "Orne THD (RIP de l'Orne, partenariat Orange)", departement: "61", facteur: 1.1, orange: true },
  { code: "RIP76", nom: "Connect 76 (RIP de Seine-Maritime)", departement: "76", facteur: 1.02, orange: false },
];

const NOTE =
  "Catalogue d'exemple : offres et prix inventés mais plausibles, non contractuels. Le catalogue réel s'obtient auprès du délégataire.";

/** Rounds a price to the euro (monthly) or to 10 € (access fee), as catalogues print them. */
const euros = (value: number, step = 1) => Math.round(value / step) * step;

function offers(rip: (typeof RIPS)[number], edition: "2024" | "2026"): OfferDefinition[] {
  const f = rip.facteur * (edition === "2024" ? 1.06 : 1);
  const base = {
    debitGarantiMbps: null,
    symetrique: false,
    gtrHeures: null,
    gtrLabel: null,
    disponibilitePct: null,
    options: [],
    surDevis: false,
    raison: null,
  };
  const gtr24x7 = (price: number) => ({ nom: "GTR 4 h 24/7", mensuelHt: euros(price * f) });
  // Passive FttE: the same fibre handed over at the PM or, further up, at the NRO.
  const ftePassive = (
    point: "PM" | "NRO",
    frais: number,
    mensuel: number,
    options: OfferDefinition["options"] = [],
  ): OfferDefinition => ({
    ...base,
    code: `FTTE-${point}`,
    nom: rip.orange ? `FTTE passif ${point}` : `FttE passif au ${point}`,
    famille: "ftte_passive",
    debitDescendantMbps: 1000,
    debitMontantMbps: 1000,
    symetrique: true,
    gtrHeures: 10,
    gtrLabel: "10 h ouvrées",
    disponibilitePct: 99.5,
    fraisAccesHt: euros(frais * f, 10),
    mensuelHt: euros(mensuel * f),
    engagementMois: 36,
    delaiLivraisonJours: 30,
    options,
  });
  // Priced FttO: a guaranteed symmetric speed, 4 h GTR (24/7 as an option), double adduction on quote.
  const ftto = (o: {
    code: string;
    nom: string;
    mbps: number;
    disponibilitePct: number;
    frais: number;
    mensuel: number;
    gtr: number;
  }): OfferDefinition => ({
    ...base,
    code: o.code,
    nom: o.nom,
    famille: "ftto",
    debitDescendantMbps: o.mbps,
    debitMontantMbps: o.mbps,
    debitGarantiMbps: o.mbps,
    symetrique: true,
    gtrHeures: 4,
    gtrLabel: "4 h ouvrées",
    disponibilitePct: o.disponibilitePct,
    fraisAccesHt: euros(o.frais * f, 10),
    mensuelHt: euros(o.mensuel * f),
    engagementMois: 36,
    delaiLivraisonJours: 60,
    options: [gtr24x7(o.gtr), { nom: "Double adduction (sur devis)", mensuelHt: null }],
  });
  const list: OfferDefinition[] = [
    {
      ...base,
      code: "FTTH-PRO",
      nom: edition === "2024" ? "FttH Pro 500 Mbit/s" : "FttH Pro 1 Gbit/s",
      famille: "ftth_pro",
      debitDescendantMbps: edition === "2024" ? 500 : 1000,
      debitMontantMbps: edition === "2024" ? 250 : 500,
      gtrHeures: 24,
      gtrLabel: "24 h ouvrées",
      fraisAccesHt: euros(150 * f, 10),
      mensuelHt: euros(45 * f),
      engagementMois: 12,
      delaiLivraisonJours: 15,
      options: [{ nom: "Adresse IP fixe", mensuelHt: 5 }],
    },
    ftePassive("PM", 500, 90),
    ftePassive("NRO", 600, 130, [{ nom: "GTR 4 h ouvrées", mensuelHt: euros(40 * f) }]),
    {
      ...base,
      code: "FTTE-ACTIVE-100",
      nom: rip.orange ? "FTTE activé 100 Mbit/s garantis" : "FttE activé 100 Mbit/s garantis",
      famille: "ftte_active",
      debitDescendantMbps: 1000,
      debitMontantMbps: 1000,
      debitGarantiMbps: 100,
      symetrique: true,
      gtrHeures: 4,
      gtrLabel: "4 h ouvrées",
      disponibilitePct: 99.7,
      fraisAccesHt: euros(800 * f, 10),
      mensuelHt: euros(190 * f),
      engagementMois: 36,
      delaiLivraisonJours: 45,
      options: [gtr24x7(60)],
    },
    ftto({
      code: "FTTO-100",
      nom: "FttO 100 Mbit/s",
      mbps: 100,
      disponibilitePct: 99.9,
      frais: 1500,
      mensuel: 350,
      gtr: 80,
    }),
    ftto({
      code: "FTTO-1G",
      nom: "FttO 1 Gbit/s",
      mbps: 1000,
      disponibilitePct: 99.95,
      frais: 2500,
      mensuel: 790,
      gtr: 120,
    }),
  ];
  if (edition === "2026") {
    list.push({
      ...base,
      code: "FTTO-10G",
      nom: "FttO 10 Gbit/s",
      famille: "ftto",
      debitDescendantMbps: 10_000,
      debitMontantMbps: 10_000,
      debitGarantiMbps: 10_000,
      symetrique: true,
      gtrHeures: 4,
      gtrLabel: "4 h 24/7",
      disponibilitePct: 99.95,
      fraisAccesHt: null,
      mensuelHt: null,
      engagementMois: 36,
      delaiLivraisonJours: 90,
      surDevis: true,
      raison: "Tarif sur étude : dépend de la distance au point de présence et des équipements.",
    });
  }
  return list;
}

/** The ten demo versions (five networks × two editions). */
export function demoCatalogueVersions(now = new Date().toISOString()): CatalogueVersion[] {
  return RIPS.flatMap((rip) =>
    (["2024", "2026"] as const).map((edition) => ({
      reseau: rip.code,
      reseauNom: rip.nom,
      version: edition,
      valideDu: edition === "2024" ? "2024-01-01" : "2026-01-01",
      valideAu: edition === "2024" ? "2026-01-01" : null,
      exemple: true,
      couvertureDepartements: [rip.departement],
      couvertureCommunes: [],
      note: NOTE,
      creeLe: now,
      creePar: null,
      modifieLe: now,
      offres: offers(rip, edition),
    })),
  );
}

/**
 * Inserts the demo catalogues of the networks that have none (idempotent; a network whose
 * operator already published a catalogue is left alone). Returns how many versions were inserted.
 */
export async function ensureDemoCatalogues(db: CatalogueDb): Promise<number> {
  const present = new Set(
    (await db.selectFrom("catalogue_version").select("reseau").distinct().execute()).map((r) => r.reseau),
  );
  const missing = demoCatalogueVersions().filter((v) => !present.has(v.reseau));
  if (missing.length === 0) return 0;
  await db.transaction().execute(async (trx) => {
    await bumpGeneration(trx);
    for (const version of missing) await insertVersion(trx, version);
  });
  return missing.length;
}
