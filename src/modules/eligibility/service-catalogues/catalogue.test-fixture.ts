import type { AppDatabase } from "../../../shared/db/database.ts";
import { bumpGeneration, insertVersion } from "./catalogue-repository.ts";
import type { CatalogueVersion, OfferDefinition } from "./catalogue-snapshot.ts";

/**
 * Small hand-made catalogues for tests: RIP61 with a past version "V1" (2024-01-01 → 2025-01-01)
 * and the current "V2" (from 2025-01-01); RIP14 whose dedicated fibre also covers commune 61001.
 * Prices are round so that assertions read plainly.
 */
export function offer(code: string, famille: OfferDefinition["famille"], mensuelHt: number | null): OfferDefinition {
  return {
    code,
    nom: `Offre ${code}`,
    famille,
    debitDescendantMbps: 1000,
    debitMontantMbps: famille === "ftto" ? 1000 : 500,
    debitGarantiMbps: famille === "ftto" ? 1000 : null,
    symetrique: famille === "ftto",
    gtrHeures: famille === "ftto" ? 4 : null,
    gtrLabel: famille === "ftto" ? "4 h ouvrées" : null,
    disponibilitePct: famille === "ftto" ? 99.9 : null,
    fraisAccesHt: mensuelHt === null ? null : mensuelHt * 10,
    mensuelHt,
    engagementMois: 36,
    delaiLivraisonJours: 30,
    options: [],
    surDevis: mensuelHt === null,
    raison: mensuelHt === null ? "Selon le site" : null,
  };
}

export function fixtureVersions(): CatalogueVersion[] {
  const at = "2024-01-01T00:00:00.000Z";
  const version = (
    reseau: string,
    reseauNom: string,
    label: string,
    valideDu: string,
    valideAu: string | null,
    couverture: [string[], string[]],
    offres: OfferDefinition[],
  ): CatalogueVersion => ({
    reseau,
    reseauNom,
    version: label,
    valideDu,
    valideAu,
    exemple: false,
    couvertureDepartements: couverture[0],
    couvertureCommunes: couverture[1],
    note: null,
    creeLe: at,
    creePar: null,
    modifieLe: at,
    offres,
  });
  return [
    version(
      "RIP61",
      "Orne THD",
      "V1",
      "2024-01-01",
      "2025-01-01",
      [["61"], []],
      [offer("PRO", "ftth_pro", 50), offer("FTTO", "ftto", 400)],
    ),
    version(
      "RIP61",
      "Orne THD",
      "V2",
      "2025-01-01",
      null,
      [["61"], []],
      [
        offer("FTTO-10G", "ftto", null),
        offer("FTTO", "ftto", 380),
        offer("ACTIVE", "ftte_active", 190),
        offer("PM", "ftte_passive", 90),
        offer("PRO", "ftth_pro", 45),
      ],
    ),
    version(
      "RIP14",
      "Fibre Calvados",
      "2025",
      "2025-01-01",
      null,
      [["14"], ["61001"]],
      [offer("PRO14", "ftth_pro", 40), offer("FTTO14", "ftto", 300)],
    ),
  ];
}

/** Inserts the fixture's catalogues (and the networks in thd_reseau, as the broadband import would). */
export async function insertCatalogueFixture(db: AppDatabase): Promise<CatalogueVersion[]> {
  const versions = fixtureVersions();
  await db.transaction().execute(async (trx) => {
    for (const [code, nom, departement] of [
      ["RIP61", "Orne THD", "61"],
      ["RIP14", "Fibre Calvados", "14"],
    ]) {
      const known = await trx.selectFrom("thd_reseau").select("code").where("code", "=", code).executeTakeFirst();
      if (!known) {
        await trx
          .insertInto("thd_reseau")
          .values({ code, nom, type: "rip", operateur_infra: "OI", departement })
          .execute();
      }
    }
    await bumpGeneration(trx);
    for (const version of versions) await insertVersion(trx, version);
  });
  return versions;
}
