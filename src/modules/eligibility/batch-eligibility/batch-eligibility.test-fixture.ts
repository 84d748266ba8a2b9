import type { Kysely } from "kysely";
import type { AppDatabase } from "../../../shared/db/database.ts";
import { importBan } from "../../addresses/import-ban/import-ban.service.ts";
import { writeBanFile } from "../../addresses/test-fixtures.ts";
import type { BroadbandTables } from "../../broadband/broadband.tables.ts";
import {
  FIXTURE_ADDRESSES,
  fixtureBanLine,
  insertEligibilityFixture,
} from "../lookup-eligibility/lookup-eligibility.test-fixture.ts";
import { insertCatalogueFixture } from "../service-catalogues/catalogue.test-fixture.ts";

/**
 * The batch's fixture: the one-site lookup's buildings and BAN addresses, and the catalogue
 * fixture's offers (RIP61, and RIP14's dedicated fibre covering 61001). A reference date in 2026
 * keeps the answers independent of the day the tests run.
 */
export const BATCH_DATE = "2026-06-01";

export async function insertBatchFixture(db: AppDatabase): Promise<void> {
  await insertEligibilityFixture(db as Kysely<BroadbandTables>);
  await insertCatalogueFixture(db);
  const report = await importBan(db, [writeBanFile(FIXTURE_ADDRESSES.map(fixtureBanLine))]);
  if (report.rejets !== 0) throw new Error("adresses du jeu d'essai rejetées");
}

/**
 * About fifty sites as a business would send them: a name, the street, postcode and town in
 * separate columns, typed in various ways; ambiguous ones, and bad ones.
 */
export function sitesCsv(): string {
  const lines = ["site;rue;cp;ville"];
  const good: [string, string, string][] = [
    ["1 avenue de la République", "61000", "Alençon"],
    ["1 av de la republique", "61000", "Alencon"],
    ["1 AVENUE DE LA REPUBLIQUE", "", "ALENCON"],
    ["2 boulevard Lecointre", "61000", "Alençon"],
    ["2 bd lecointre", "", "alencon"],
    ["7 rue des Tilleuls", "61000", "Alençon"],
    ["4 rue du Moulin", "61250", "Arçonnay"],
  ];
  for (let i = 0; i < 35; i++) {
    const [rue, cp, ville] = good[i % good.length] as [string, string, string];
    lines.push(`Agence ${i + 1};${rue};${cp};${ville}`);
  }
  // Ambiguous: the same street and number in two communes, no town given.
  for (let i = 0; i < 5; i++) lines.push(`Dépôt ${i + 1};4 rue du Moulin;;`);
  // Bad lines.
  lines.push("Vide;;;");
  lines.push("Court;ab;;");
  for (let i = 0; i < 4; i++) lines.push(`Absurde ${i + 1};zzqxw kkjjh wqqz ${i};;`);
  lines.push('"Guillemets ; point-virgule";"1 avenue de la République";61000;Alençon');
  return `${lines.join("\r\n")}\r\n`;
}
