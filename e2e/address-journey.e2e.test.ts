import { existsSync, readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importBan } from "../src/modules/addresses/import-ban/import-ban.service.ts";
import { generateFixture } from "../src/modules/addresses/test-fixtures.ts";
import { importTerritories } from "../src/modules/territory/import-territories/import-territories.service.ts";
import {
  browserAvailable,
  launchChromium,
  newJourneyPage,
  saveScreenshot,
  seriousAccessibilityViolations,
} from "./support/browser.ts";
import { type JourneyServer, startJourneyServer } from "./support/server.ts";

describe.skipIf(!browserAvailable())("Parcours navigateur : rechercher une adresse et la voir sur la carte", () => {
  let server: JourneyServer;
  let browser: Browser;
  let page: Page;
  let sample: { numero: string; voie: string; commune: string };

  beforeAll(async () => {
    // Territories and a small fixture of addresses, imported before the server builds its address index.
    server = await startJourneyServer({
      prepare: async (db) => {
        await importTerritories(db, "28");
        const { file } = generateFixture();
        await importBan(db, [file]);
        // A plain street address (numero;…;nom_voie;…;nom_commune), not a strategic site.
        const lines = readFileSync(file, "utf8").trim().split("\n").slice(1);
        const line = lines.find((l) => /;(Rue|Avenue|Place|Chemin) /.test(l) && /;\d+;;/.test(l)) ?? lines[0];
        const fields = (line as string).split(";");
        sample = { numero: fields[2] as string, voie: fields[4] as string, commune: fields[7] as string };
      },
    });
    browser = await launchChromium();
    page = await newJourneyPage(browser);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("cherche une adresse, l'affiche avec sa carte, accessible, et en garde une capture", async () => {
    await page.goto(`${server.url}/adresses`);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Rechercher une adresse");
    const search = page.getByRole("combobox", { name: "Rechercher une adresse" });
    await search.fill(`${sample.numero} ${sample.voie.toLowerCase()} ${sample.commune}`);
    // The first proposal (the list shows « Recherche en cours… » until the results arrive).
    const option = page.getByRole("option", { name: new RegExp(`^${sample.numero} `) }).first();
    await option.waitFor();
    expect(await page.getByRole("option").first().textContent()).toBe(await option.textContent());
    expect(await option.textContent()).toContain(sample.voie);
    await option.click();

    await page.waitForURL(/\/adresses\?.*id=/);
    const heading = page.getByRole("heading", { level: 2 });
    await expect.poll(() => heading.textContent()).toContain(`${sample.numero} ${sample.voie}`);
    expect(await heading.textContent()).toContain(sample.commune);
    await expect.poll(() => page.getByRole("link", { name: sample.commune }).count()).toBeGreaterThan(0);
    await page.getByRole("img", { name: /^Carte de l'adresse/ }).waitFor();
    await page.locator('[data-state="ready"]').first().waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(await search.inputValue()).toBe(await heading.textContent());
    await page.getByRole("img", { name: /^Carte de l'adresse/ }).scrollIntoViewIfNeeded();
    const file = await saveScreenshot(page, "adresse", { fullPage: false });
    expect(existsSync(file)).toBe(true);

    // The URL can be shared: opening it again shows the same address.
    await page.goto(page.url());
    await expect
      .poll(() => page.getByRole("heading", { level: 2 }).textContent())
      .toContain(`${sample.numero} ${sample.voie}`);
    await page.locator('[data-state="ready"]').first().waitFor();
  });
});
