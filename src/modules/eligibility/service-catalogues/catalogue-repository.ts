import type { Kysely, Transaction } from "kysely";
import { chunkRows } from "../../../shared/db/database.ts";
import type { BroadbandTables } from "../../broadband/broadband.tables.ts";
import type { CatalogueOffreTable, CatalogueTables, CatalogueVersionTable } from "./catalogue.tables.ts";
import type { CatalogueVersion, OfferDefinition } from "./catalogue-snapshot.ts";

/** The catalogue tables, and the networks' names (thd_reseau) read from the broadband module's tables. */
export type CatalogueDb = Kysely<CatalogueTables & Pick<BroadbandTables, "thd_reseau">>;
export type CatalogueTrx = Transaction<CatalogueTables & Pick<BroadbandTables, "thd_reseau">>;

export async function readGeneration(db: CatalogueDb): Promise<number> {
  const row = await db.selectFrom("catalogue_generation").select("generation").where("id", "=", 1).executeTakeFirst();
  return row?.generation ?? 0;
}

/**
 * Bumps the generation first thing in a write transaction: on PostgreSQL the row lock also
 * serialises concurrent catalogue writes, so overlap checks see each other's results.
 */
export async function bumpGeneration(trx: CatalogueTrx): Promise<void> {
  await trx
    .updateTable("catalogue_generation")
    .set((eb) => ({ generation: eb("generation", "+", 1) }))
    .where("id", "=", 1)
    .execute();
}

export async function loadVersions(db: CatalogueDb, reseau?: string): Promise<CatalogueVersion[]> {
  let versions = db.selectFrom("catalogue_version").selectAll();
  let offers = db.selectFrom("catalogue_offre").selectAll().orderBy("position");
  if (reseau !== undefined) {
    versions = versions.where("reseau", "=", reseau);
    offers = offers.where("reseau", "=", reseau);
  }
  const [versionRows, offerRows] = [await versions.execute(), await offers.execute()];
  const byVersion = new Map<string, OfferDefinition[]>();
  for (const row of offerRows) {
    const key = `${row.reseau}\u0001${row.version}`;
    const list = byVersion.get(key) ?? [];
    list.push(offerFromRow(row));
    byVersion.set(key, list);
  }
  return versionRows.map((row) => versionFromRow(row, byVersion.get(`${row.reseau}\u0001${row.version}`) ?? []));
}

export async function networkName(db: CatalogueDb, reseau: string): Promise<string | undefined> {
  const known = await db.selectFrom("thd_reseau").select("nom").where("code", "=", reseau).executeTakeFirst();
  if (known) return known.nom;
  const previous = await db
    .selectFrom("catalogue_version")
    .select("reseau_nom")
    .where("reseau", "=", reseau)
    .orderBy("valide_du", "desc")
    .executeTakeFirst();
  return previous?.reseau_nom;
}

export async function insertVersion(trx: CatalogueTrx, version: CatalogueVersion): Promise<void> {
  await trx.insertInto("catalogue_version").values(versionToRow(version)).execute();
  await insertOffers(trx, version);
}

/** Replaces a (future) version's fields and offers. */
export async function replaceVersion(trx: CatalogueTrx, version: CatalogueVersion): Promise<void> {
  const { reseau, version: label, cree_le: _c, cree_par: _p, ...fields } = versionToRow(version);
  await trx
    .updateTable("catalogue_version")
    .set(fields)
    .where("reseau", "=", reseau)
    .where("version", "=", label)
    .execute();
  await trx.deleteFrom("catalogue_offre").where("reseau", "=", reseau).where("version", "=", label).execute();
  await insertOffers(trx, version);
}

export async function setValidUntil(
  trx: CatalogueTrx,
  reseau: string,
  version: string,
  valideAu: string | null,
  at: string,
): Promise<void> {
  await trx
    .updateTable("catalogue_version")
    .set({ valide_au: valideAu, modifie_le: at })
    .where("reseau", "=", reseau)
    .where("version", "=", version)
    .execute();
}

export async function deleteVersionRows(trx: CatalogueTrx, reseau: string, version: string): Promise<void> {
  // Offers first: SQLite enforces the cascade only with foreign keys on; being explicit works everywhere.
  await trx.deleteFrom("catalogue_offre").where("reseau", "=", reseau).where("version", "=", version).execute();
  await trx.deleteFrom("catalogue_version").where("reseau", "=", reseau).where("version", "=", version).execute();
}

async function insertOffers(trx: CatalogueTrx, version: CatalogueVersion): Promise<void> {
  const rows = version.offres.map((o, position) => offerToRow(version, o, position));
  for (const chunk of chunkRows(rows, 22))
    if (chunk.length > 0) await trx.insertInto("catalogue_offre").values(chunk).execute();
}

function versionToRow(v: CatalogueVersion): CatalogueVersionTable {
  return {
    reseau: v.reseau,
    version: v.version,
    reseau_nom: v.reseauNom,
    valide_du: v.valideDu,
    valide_au: v.valideAu,
    exemple: v.exemple ? 1 : 0,
    couverture_departements: JSON.stringify(v.couvertureDepartements),
    couverture_communes: JSON.stringify(v.couvertureCommunes),
    note: v.note,
    cree_le: v.creeLe,
    cree_par: v.creePar,
    modifie_le: v.modifieLe,
  };
}

function versionFromRow(row: CatalogueVersionTable, offres: OfferDefinition[]): CatalogueVersion {
  return {
    reseau: row.reseau,
    reseauNom: row.reseau_nom,
    version: row.version,
    valideDu: row.valide_du,
    valideAu: row.valide_au,
    exemple: Number(row.exemple) === 1,
    couvertureDepartements: JSON.parse(row.couverture_departements) as string[],
    couvertureCommunes: JSON.parse(row.couverture_communes) as string[],
    note: row.note,
    creeLe: row.cree_le,
    creePar: row.cree_par,
    modifieLe: row.modifie_le,
    offres,
  };
}

function offerToRow(v: CatalogueVersion, o: OfferDefinition, position: number): CatalogueOffreTable {
  return {
    reseau: v.reseau,
    version: v.version,
    code: o.code,
    position,
    nom: o.nom,
    famille: o.famille,
    debit_descendant_mbps: o.debitDescendantMbps,
    debit_montant_mbps: o.debitMontantMbps,
    debit_garanti_mbps: o.debitGarantiMbps,
    symetrique: o.symetrique ? 1 : 0,
    gtr_heures: o.gtrHeures,
    gtr_label: o.gtrLabel,
    disponibilite_pct: o.disponibilitePct,
    frais_acces_ht: o.fraisAccesHt,
    mensuel_ht: o.mensuelHt,
    engagement_mois: o.engagementMois,
    delai_livraison_jours: o.delaiLivraisonJours,
    options: JSON.stringify(o.options),
    sur_devis: o.surDevis ? 1 : 0,
    raison: o.raison,
  };
}

const num = (value: number | null): number | null => (value === null ? null : Number(value));

function offerFromRow(row: CatalogueOffreTable): OfferDefinition {
  return {
    code: row.code,
    nom: row.nom,
    famille: row.famille,
    debitDescendantMbps: Number(row.debit_descendant_mbps),
    debitMontantMbps: Number(row.debit_montant_mbps),
    debitGarantiMbps: num(row.debit_garanti_mbps),
    symetrique: Number(row.symetrique) === 1,
    gtrHeures: num(row.gtr_heures),
    gtrLabel: row.gtr_label,
    disponibilitePct: num(row.disponibilite_pct),
    fraisAccesHt: num(row.frais_acces_ht),
    mensuelHt: num(row.mensuel_ht),
    engagementMois: Number(row.engagement_mois),
    delaiLivraisonJours: num(row.delai_livraison_jours),
    options: JSON.parse(row.options) as OfferDefinition["options"],
    surDevis: Number(row.sur_devis) === 1,
    raison: row.raison,
  };
}
