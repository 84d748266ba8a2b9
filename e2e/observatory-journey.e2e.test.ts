import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  browserAvailable,
  launchChromium,
  newJourneyPage,
  saveScreenshot,
  seriousAccessibilityViolations,
} from "./support/browser.ts";
import { EPCI, expected, type Variant, writeObservatoryFixture } from "./support/observatory-fixture.ts";
import { type JourneyServer, startJourneyServer } from "./support/server.ts";

/** The value of one key-figure card (`data-chiffre`). */
async function figure(page: Page, id: string): Promise<string> {
  return (await page.locator(`[data-chiffre="${id}"] .chiffres-cles__valeur`).textContent()) ?? "";
}

async function expectFigures(page: Page, quarterIndex: number, variant: Variant): Promise<void> {
  const want = expected(quarterIndex, variant);
  await expect.poll(() => figure(page, "part-thd")).toBe(want.thd);
  expect(await figure(page, "part-ftth")).toBe(want.ftth);
  expect(await figure(page, "locaux")).toBe(want.locaux);
}

// Each step loads a long page with maps and charts, then runs axe on it: slower than a unit test.
const JOURNEY_STEP_TIMEOUT = 120_000;

describe.skipIf(!browserAvailable())("Parcours navigateur : l'observatoire du très haut débit", () => {
  let server: JourneyServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startJourneyServer({ prepare: writeObservatoryFixture });
    browser = await launchChromium();
    page = await newJourneyPage(browser);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it(
    "ouvre l'observatoire de la région depuis la navigation, avec l'avis de simulation",
    async () => {
      await page.goto(server.url);
      await page.getByRole("link", { name: "Observatoire THD" }).click();
      await page.waitForURL(/\/observatoire$/);
      await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Normandie");
      // The latest quarter (simulated) is shown first, with all technologies.
      await expectFigures(page, 2, "toutes");
      await expect.poll(() => page.getByText("Données simulées à partir d'agrégats réels").count()).toBe(1);
      await page.locator('[data-state="ready"]').first().waitFor();
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await saveScreenshot(page, "observatoire-region", { fullPage: false });
    },
    JOURNEY_STEP_TIMEOUT,
  );

  it(
    "change de trimestre au clavier et de technologies sur la page du département",
    async () => {
      await page.goto(`${server.url}/observatoire/departements/76`);
      await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Seine-Maritime");
      await expectFigures(page, 2, "toutes");

      const slider = page.getByRole("slider", { name: "Trimestre" });
      await slider.focus();
      await page.keyboard.press("ArrowLeft");
      await expect.poll(() => slider.getAttribute("aria-valuetext")).toBe("1er trimestre 2018");
      await expectFigures(page, 1, "toutes");
      expect(page.url()).toContain("trimestre=2018T1");
      // 2018T1 is real data: the simulation notice is gone.
      expect(await page.getByText("Données simulées à partir d'agrégats réels").count()).toBe(0);
      await page.keyboard.press("Home");
      await expect.poll(() => slider.getAttribute("aria-valuetext")).toBe("4e trimestre 2017");
      await expectFigures(page, 0, "toutes");
      await page.keyboard.press("End");
      await expect.poll(() => slider.getAttribute("aria-valuetext")).toBe("2e trimestre 2018 (données simulées)");
      await page.keyboard.press("ArrowLeft");
      await expectFigures(page, 1, "toutes");

      // React Aria's radio input is visually hidden: click its label, as a person would.
      await page.locator("label", { has: page.getByRole("radio", { name: /Filaire/ }) }).click();
      await expectFigures(page, 1, "filaire");
      await page.keyboard.press("ArrowRight");
      await expect.poll(() => page.getByRole("radio", { name: /Terrestre/ }).isChecked()).toBe(true);
      await expectFigures(page, 1, "terrestre");
      expect(page.url()).toContain("variante=terrestre");

      await page.locator('[data-state="ready"]').first().waitFor();
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await page.locator(".observatoire__reglages").scrollIntoViewIfNeeded();
      await saveScreenshot(page, "observatoire-departement-76", { fullPage: false });
    },
    JOURNEY_STEP_TIMEOUT,
  );

  it(
    "ouvre le tableau de la carte, équivalent de la carte",
    async () => {
      const mapSection = page.locator("section", { has: page.locator("#titre-carte") });
      await mapSection.getByRole("button", { name: "Tableau de la carte" }).click();
      const table = mapSection.getByRole("table");
      await table.waitFor();
      const row = table.getByRole("row", { name: /Caux - Austreberthe/ });
      await expect.poll(() => row.count()).toBe(1);
      expect(await row.textContent()).toContain(expected(1, "terrestre").thd);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await mapSection.getByRole("img", { name: /^Carte/ }).scrollIntoViewIfNeeded();
      await saveScreenshot(page, "observatoire-carte", { fullPage: false });
    },
    JOURNEY_STEP_TIMEOUT,
  );

  it(
    "télécharge les tableaux en CSV, en XLSX et en GeoJSON",
    async () => {
      const speeds = page.locator("section", { has: page.locator("#titre-debits") });
      const csv = await speeds
        .getByRole("link", { name: /^Télécharger CSV/ })
        .first()
        .getAttribute("href");
      const xlsx = await speeds
        .getByRole("link", { name: /^Télécharger XLSX/ })
        .first()
        .getAttribute("href");
      expect(csv).toBeTruthy();
      expect(xlsx).toBeTruthy();
      const csvResponse = await page.request.get(new URL(csv ?? "", server.url).toString());
      expect(csvResponse.status()).toBe(200);
      expect(csvResponse.headers()["content-type"]).toMatch(/^text\/csv/);
      expect(await csvResponse.text()).toContain("2018T1");
      const xlsxResponse = await page.request.get(new URL(xlsx ?? "", server.url).toString());
      expect(xlsxResponse.status()).toBe(200);
      expect(xlsxResponse.headers()["content-type"]).toContain("spreadsheetml");
      expect((await xlsxResponse.body()).subarray(0, 2).toString()).toBe("PK");

      // The browser really downloads the file behind the link.
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        speeds
          .getByRole("link", { name: /^Télécharger CSV/ })
          .first()
          .click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/\.csv$/);

      // The territory's figures, new in GeoJSON: one Feature per line, each with the contour.
      const geojson = await speeds
        .getByRole("link", { name: /^Télécharger GeoJSON/ })
        .first()
        .getAttribute("href");
      const geojsonResponse = await page.request.get(new URL(geojson ?? "", server.url).toString());
      expect(geojsonResponse.status()).toBe(200);
      expect(geojsonResponse.headers()["content-type"]).toContain("application/geo+json");
      const collection = JSON.parse(await geojsonResponse.text());
      expect(collection.type).toBe("FeatureCollection");
      expect(collection.features.length).toBeGreaterThan(20);
      expect(collection.features[0].properties).toMatchObject({ niveau: "departements", code: "76" });
    },
    JOURNEY_STEP_TIMEOUT,
  );

  it(
    "montre l'évolution, l'équité, la zone fibrée, le cuivre et les sites stratégiques",
    async () => {
      await page.goto(`${server.url}/observatoire/epci/${EPCI}?trimestre=2018T1&variante=toutes`);
      await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("CC Caux - Austreberthe");
      await expectFigures(page, 1, "toutes");
      for (const heading of [
        "Évolution et objectifs",
        "Équité territoriale",
        "Zone fibrée",
        "Fermeture du réseau cuivre",
        "Sites stratégiques",
      ]) {
        await page.getByRole("heading", { level: 2, name: heading }).waitFor();
      }
      await page.getByRole("img", { name: /^Graphique : évolution/ }).waitFor();
      await page.getByRole("table", { name: /Zone fibrée : conditions par commune/ }).waitFor();
      await expect.poll(() => page.getByTestId("sites-raccordes").textContent()).toContain("2 sites raccordés sur 3");
      // Every table offers the three formats (some sit in closed disclosures: read the links as text).
      const exportGroups = page.locator(".export-liens");
      expect(await exportGroups.count()).toBeGreaterThan(5);
      for (const group of await exportGroups.all()) {
        expect(await group.locator("a").allTextContents()).toEqual([
          expect.stringContaining("CSV"),
          expect.stringContaining("GeoJSON"),
          expect.stringContaining("XLSX"),
        ]);
      }
      const seriesSection = page.locator("section", { has: page.locator("#titre-evolution") });
      await seriesSection.getByRole("button", { name: "Tableau de l'évolution par trimestre" }).click();
      const seriesGeojson = await seriesSection
        .getByRole("link", { name: /^Télécharger GeoJSON/ })
        .first()
        .getAttribute("href");
      const series = JSON.parse(
        await (await page.request.get(new URL(seriesGeojson ?? "", server.url).toString())).text(),
      );
      expect(series.features.length).toBeGreaterThan(1);
      expect(series.features.every((f: { geometry: unknown }) => f.geometry === null)).toBe(true);
      await page.locator('[data-state="ready"]').first().waitFor();
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await page.getByRole("heading", { level: 2, name: "Évolution et objectifs" }).scrollIntoViewIfNeeded();
      await saveScreenshot(page, "observatoire-evolution", { fullPage: false });
      await page.getByRole("heading", { level: 2, name: "Sites stratégiques" }).scrollIntoViewIfNeeded();
      await saveScreenshot(page, "observatoire-sites", { fullPage: false });
    },
    JOURNEY_STEP_TIMEOUT,
  );

  it(
    "mène de la fiche d'un territoire à son observatoire",
    async () => {
      await page.goto(`${server.url}/epci/${EPCI}`);
      await page.getByRole("link", { name: "Voir l'observatoire du très haut débit" }).click();
      await page.waitForURL(new RegExp(`/observatoire/epci/${EPCI}$`));
      await expectFigures(page, 2, "toutes");
    },
    JOURNEY_STEP_TIMEOUT,
  );
});
