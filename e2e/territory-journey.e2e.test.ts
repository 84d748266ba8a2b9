import { existsSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  browserAvailable,
  launchChromium,
  newJourneyPage,
  saveScreenshot,
  seriousAccessibilityViolations,
} from "./support/browser.ts";
import { type JourneyServer, startJourneyServer } from "./support/server.ts";

describe.skipIf(!browserAvailable())("Parcours navigateur : de l'accueil au département d'une commune", () => {
  let server: JourneyServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startJourneyServer();
    browser = await launchChromium();
    page = await newJourneyPage(browser);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("montre la carte de la région, accessible, et en garde une capture", async () => {
    await page.goto(server.url);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toContain("Normandie");
    const map = page.getByRole("img", { name: /Carte/ });
    await map.waitFor();
    await page.locator('[data-state="ready"]').first().waitFor();
    const file = await saveScreenshot(page, "accueil");
    expect(existsSync(file)).toBe(true);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it("cherche une commune, ouvre sa page, puis celle de son département", async () => {
    const search = page.getByRole("combobox", { name: "Rechercher une commune" });
    await search.fill("caen");
    const option = page.getByRole("option", { name: /^Caen/ }).first();
    await option.click();
    await page.waitForURL(/\/communes\/14118$/);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Caen");
    await expect.poll(() => page.title()).toContain("Caen");
    await page.locator('[data-state="ready"]').first().waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByRole("img", { name: /Carte/ }).first().scrollIntoViewIfNeeded();
    await saveScreenshot(page, "commune-caen", { fullPage: false });

    await page.getByRole("link", { name: "Calvados" }).first().click();
    await page.waitForURL(/\/departements\/14$/);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Calvados");
    await page.locator('[data-state="ready"]').first().waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByRole("img", { name: /Carte/ }).first().scrollIntoViewIfNeeded();
    await saveScreenshot(page, "departement-calvados", { fullPage: false });
  });

  it("dit clairement qu'un territoire est introuvable", async () => {
    await page.goto(`${server.url}/communes/99999`);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toMatch(/introuvable/i);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });
});
