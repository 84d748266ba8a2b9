import { existsSync } from "node:fs";
import type { Kysely } from "kysely";
import type { Browser, Page, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importBan } from "../src/modules/addresses/import-ban/import-ban.service.ts";
import { writeBanFile } from "../src/modules/addresses/test-fixtures.ts";
import type { BroadbandTables } from "../src/modules/broadband/broadband.tables.ts";
import {
  FIXTURE_ADDRESSES,
  type FixtureAddress,
  fixtureBanLine,
  insertEligibilityFixture,
} from "../src/modules/eligibility/lookup-eligibility/lookup-eligibility.test-fixture.ts";
import { insertCatalogueFixture } from "../src/modules/eligibility/service-catalogues/catalogue.test-fixture.ts";
import { importTerritories } from "../src/modules/territory/import-territories/import-territories.service.ts";
import {
  browserAvailable,
  launchChromium,
  newJourneyPage,
  saveScreenshot,
  seriousAccessibilityViolations,
} from "./support/browser.ts";
import { type JourneyServer, startJourneyServer } from "./support/server.ts";

/** The fixture's planned building (IMB-PREVU) gets an address of its own, so it can be searched. */
const PLANNED_ADDRESS: FixtureAddress = [
  "61001_0050_00005",
  "5",
  "Rue de l'Église",
  "61000",
  "61001",
  "Alençon",
  0.09,
  48.44,
];

describe.skipIf(!browserAvailable())("Parcours navigateur : l'éligibilité d'une adresse", () => {
  let server: JourneyServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startJourneyServer({
      prepare: async (db) => {
        await importTerritories(db, "28");
        const broadband = db as unknown as Kysely<BroadbandTables>;
        await insertEligibilityFixture(broadband);
        await broadband
          .updateTable("thd_immeuble")
          .set({ adresse_id: PLANNED_ADDRESS[0] })
          .where("id", "=", "IMB-PREVU")
          .execute();
        await importBan(db, [writeBanFile([...FIXTURE_ADDRESSES, PLANNED_ADDRESS].map(fixtureBanLine))]);
        // Catalogues: RIP61 (V2 in force), and RIP14's dedicated fibre over commune 61001, marked as an example.
        await insertCatalogueFixture(db);
        await db.updateTable("catalogue_version").set({ exemple: 1 }).where("reseau", "=", "RIP14").execute();
      },
    });
    browser = await launchChromium();
    page = await newJourneyPage(browser);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("cherche une adresse au clavier, dit que la fibre est là avec ses débits et opérateurs, accessible", async () => {
    await page.goto(`${server.url}/`);
    await page.getByRole("link", { name: "Éligibilité", exact: true }).click();
    await expect
      .poll(() => page.getByRole("heading", { level: 1 }).textContent())
      .toBe("Éligibilité à la fibre et au très haut débit");
    const search = page.getByRole("combobox", { name: "Votre adresse" });
    await search.fill("1 av de la republique alencon");
    await page
      .getByRole("option", { name: /^1 Avenue de la République/ })
      .first()
      .waitFor();
    await search.press("ArrowDown");
    await search.press("Enter");

    await page.waitForURL(/\/eligibilite\?id=61001_0010_00001/);
    const heading = page.getByRole("heading", { level: 2 });
    await expect.poll(() => heading.textContent()).toContain("1 Avenue de la République");
    // Focus goes to the result's heading.
    await expect.poll(() => heading.evaluate((element) => element === element.ownerDocument.activeElement)).toBe(true);
    const card = page.getByRole("region", { name: /1 Avenue de la République/ });
    const text = (await card.textContent()) ?? "";
    expect(text).toContain("Ici, vous pouvez avoir la fibre optique (jusqu'à 1 Gbit/s)");
    expect(text).toContain("Données simulées");
    const fibre = (await card.getByRole("listitem").filter({ hasText: /fibre/i }).first().textContent()) ?? "";
    expect(fibre).toContain("réception 1 Gbit/s ou plus");
    expect(fibre).toContain("Orange, SFR");
    const copper =
      (await card
        .getByRole("listitem")
        .filter({ hasText: /cuivre/i })
        .first()
        .textContent()) ?? "";
    expect(copper).toContain("réception 8 à 30 Mbit/s");
    expect(text).toContain("Orne THD (RIP de l'Orne)");
    expect(text).toContain("31 janvier 2027");
    // The report form is prefilled with what the card knows (address, its id, building, commune).
    const report = new URL(
      (await card.getByRole("link", { name: "Signaler un problème sur cette adresse" }).getAttribute("href")) ?? "",
      server.url,
    );
    expect(report.pathname).toBe("/eligibilite/signalement");
    expect(report.searchParams.get("adresse")).toContain("1 Avenue de la République");
    expect(report.searchParams.get("id")).toBe("61001_0010_00001");
    expect(report.searchParams.get("immeuble")).toBe("IMB-OUVERT");
    expect(report.searchParams.get("commune")).toBe("61001");
    // Business offers: every network's, side by side, cheapest first within a family; sur devis with its reason.
    const offers = card.getByRole("region", { name: "Offres pour les entreprises", exact: true });
    const table = offers.getByRole("table", { name: /Offres pour les entreprises, immeuble IMB-OUVERT/ });
    const rows = await table.getByRole("row").allTextContents();
    expect(rows[1]).toContain("Offre PRO");
    expect(rows[1]).toContain("FttH pro");
    expect(rows[1]).toContain("Possible dès maintenant");
    // Intl writes a narrow no-break space before the euro sign.
    expect(rows[1]).toMatch(/45\s€ HT par mois/);
    expect(rows.find((r) => r.includes("Offre FTTO-10G"))).toContain("Sur devis : Selon le site");
    expect(rows.find((r) => r.includes("Offre FTTO14"))).toContain("Fibre Calvados");
    expect(await offers.textContent()).toContain("Catalogues d'exemple");
    const csv = await offers.getByRole("link", { name: /Télécharger \(CSV\)/ }).getAttribute("href");
    expect(csv).toBe("/api/eligibilite?id=61001_0010_00001&format=csv");
    const download = await page.request.get(`${server.url}${csv}`);
    expect(download.headers()["content-type"]).toMatch(/^text\/csv/);
    expect(await download.text()).toContain("Offre FTTO-10G");
    await table.scrollIntoViewIfNeeded();
    await saveScreenshot(page, "eligibilite-offres", { fullPage: false });
    await page.getByRole("img", { name: /^Carte de l'adresse/ }).waitFor();
    await page.locator('[data-state="ready"]').first().waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await heading.scrollIntoViewIfNeeded();
    const file = await saveScreenshot(page, "eligibilite", { fullPage: false });
    expect(existsSync(file)).toBe(true);
    // Enter picked the option; it did not also submit the form as free text.
    expect(page.url()).toMatch(/\/eligibilite\?id=61001_0010_00001$/);
  });

  it("dit d'une date prévue déjà passée qu'elle était prévue, d'après le trimestre publié", async () => {
    // The same answer judged a day after the planned date (as when the last published quarter ages).
    const later = async (route: Route) => {
      const response = await route.fetch();
      const json = await response.json();
      await route.fulfill({ response, json: { ...json, dateReference: "2027-07-01" } });
    };
    await page.route(/\/api\/eligibilite\?/, later);
    try {
      await page.goto(`${server.url}/eligibilite`);
      const search = page.getByRole("combobox", { name: "Votre adresse" });
      await search.fill("5 rue de l eglise alencon");
      await page
        .getByRole("option", { name: /^5 Rue de l'Église/ })
        .first()
        .waitFor();
      await search.press("ArrowDown");
      await search.press("Enter");
      await expect
        .poll(() => page.getByRole("region", { name: /5 Rue de l'Église/ }).textContent())
        .toMatch(/La fibre était prévue pour le 30 juin 2027 selon les données du trimestre \d{4}T\d/);
    } finally {
      await page.unroute(/\/api\/eligibilite\?/, later);
    }
  });

  it("annonce la date prévue d'un immeuble à venir, le plus proche d'une adresse sans immeuble, et une erreur en français pour une adresse inconnue", async () => {
    await page.goto(`${server.url}/eligibilite`);
    const search = page.getByRole("combobox", { name: "Votre adresse" });
    await search.fill("5 rue de l eglise alencon");
    await page
      .getByRole("option", { name: /^5 Rue de l'Église/ })
      .first()
      .waitFor();
    await search.press("ArrowDown");
    await search.press("Enter");
    await expect
      .poll(() => page.getByRole("region", { name: /5 Rue de l'Église/ }).textContent())
      .toContain("La fibre est prévue pour le 30 juin 2027");
    // The shared-fibre offers are « à venir » until the fibre opens; the dedicated fibre is on study.
    const planned = page.getByRole("region", { name: "Offres pour les entreprises", exact: true });
    const plannedRows = (await planned.getByRole("row").allTextContents()).slice(1);
    const shared = plannedRows.filter((row) => !row.includes("FttO (fibre dédiée)"));
    const dedicated = plannedRows.filter((row) => row.includes("FttO (fibre dédiée)"));
    expect(shared.length).toBeGreaterThan(0);
    expect(dedicated.length).toBeGreaterThan(0);
    for (const row of shared) expect(row).toContain("À venir, à l'ouverture de la fibre");
    for (const row of dedicated) {
      expect(row).toContain("Sur devis");
      expect(row).toContain("Possible dès maintenant");
    }
    expect(await planned.textContent()).toContain("« à venir » : la fibre de ce réseau est prévue pour cet immeuble");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // Free text sent with the button (reached with Tab, which closes the list) is geocoded by the API.
    await search.fill("1 av republique alencon");
    await page.getByRole("option").first().waitFor();
    await search.press("Tab");
    await page.getByRole("button", { name: "Vérifier l'éligibilité" }).press("Enter");
    await page.waitForURL(/\/eligibilite\?adresse=/);
    await expect
      .poll(() => page.getByRole("region", { name: /1 Avenue de la République/ }).textContent())
      .toContain("Ici, vous pouvez avoir la fibre optique");

    // An address of the BAN without a building of its own: the nearest building, and how far.
    await page.goto(`${server.url}/eligibilite?id=61001_0030_00007`);
    await expect
      .poll(() => page.getByText(/voici le plus proche/).textContent())
      .toContain("Aucun immeuble n'est connu à cette adresse : voici le plus proche, à 11 m.");
    await page.goto(`${server.url}/eligibilite?id=61001_9999_00001`);
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("Aucun immeuble n'est connu");
  });
});
