import { existsSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  insertBatchFixture,
  sitesCsv,
} from "../src/modules/eligibility/batch-eligibility/batch-eligibility.test-fixture.ts";
import { readXlsx } from "../src/shared/export/xlsx.ts";
import {
  browserAvailable,
  launchChromium,
  newJourneyPage,
  saveScreenshot,
  seriousAccessibilityViolations,
} from "./support/browser.ts";
import { type JourneyServer, startJourneyServer } from "./support/server.ts";

/** The fixture's ~50 sites repeated to a few thousand lines, so that the job runs over several blocks. */
function bigSitesCsv(lines = 30_000): string {
  const [header = "", ...rows] = sitesCsv().trim().split("\r\n");
  const body: string[] = [];
  for (let i = 0; body.length < lines; i++) body.push(rows[i % rows.length] as string);
  return `${[header, ...body].join("\r\n")}\r\n`;
}

describe.skipIf(!browserAvailable())("Parcours navigateur : l'éligibilité de plusieurs sites", () => {
  let server: JourneyServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startJourneyServer({ prepare: (db) => insertBatchFixture(db) });
    browser = await launchChromium();
    page = await newJourneyPage(browser, 30_000);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("dépose un fichier, choisit les colonnes sur l'aperçu, suit la progression et télécharge CSV et XLSX, accessible", async () => {
    await page.goto(`${server.url}/eligibilite`);
    await page.getByRole("link", { name: "Déposez un fichier de vos sites" }).click();
    await page.waitForURL(/\/eligibilite\/lots$/);
    await expect
      .poll(() => page.getByRole("heading", { level: 1 }).textContent())
      .toBe("Éligibilité de plusieurs sites");

    // Sent without a file: the error summary takes the focus and names the field.
    await page.getByRole("button", { name: "Lancer la vérification" }).click();
    await expect
      .poll(() => page.getByRole("link", { name: "Choisissez le fichier CSV de vos sites." }).count())
      .toBe(1);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    const csv = bigSitesCsv();
    await page.getByLabel("Fichier CSV de vos sites").setInputFiles({
      name: "agences.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(csv),
    });
    // The header read in the browser: a preview of five lines and a first guess of the columns.
    const preview = page.getByRole("table", { name: /Aperçu : les 5 premières lignes de agences\.csv/ });
    await preview.waitFor();
    expect(await preview.getByRole("row").count()).toBe(6);
    expect(await page.getByRole("checkbox", { name: "rue" }).isChecked()).toBe(true);
    expect(await page.getByRole("checkbox", { name: "ville" }).isChecked()).toBe(true);
    expect(await page.getByRole("checkbox", { name: "site" }).isChecked()).toBe(false);
    expect(await page.getByLabel("Colonne du code postal (facultatif, affine la recherche)").inputValue()).toBe("cp");
    // The postcode column is a filter, not part of the address text; the earlier error is gone.
    expect(await page.getByRole("checkbox", { name: "cp" }).isChecked()).toBe(false);
    expect(await page.getByText("Le formulaire contient des erreurs").count()).toBe(0);
    await page.getByLabel("Date de référence (facultatif)").fill("2026-06-01");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, "eligibilite-lots-depot");

    // The progress bar, sampled while the job runs.
    await page.getByRole("button", { name: "Lancer la vérification" }).click();
    await page.waitForURL(/\/eligibilite\/lots\/[A-Za-z0-9_-]{24}$/);
    const jobUrl = page.url();
    const bar = page.getByRole("progressbar", { name: /Progression/ });
    await bar.waitFor();
    const seen = new Set<string>();
    const heading = page.getByRole("heading", { name: "Résultats" });
    for (let i = 0; i < 600 && !(await heading.isVisible()); i++) {
      seen.add((await bar.getAttribute("aria-valuenow")) ?? "");
      await page.waitForTimeout(50);
    }
    // Seen between the start and the end, not only once finished.
    expect(
      [...seen].some((value) => Number(value) < 100),
      [...seen].join(", "),
    ).toBe(true);
    expect(await bar.getAttribute("aria-valuenow")).toBe("100");
    expect(await bar.getAttribute("aria-valuetext")).toMatch(/^100 % \(30.000 sites sur 30.000\)$/);
    // The polite live region says the job is over; the focus moved to the results.
    await expect
      .poll(() => page.getByRole("status").last().textContent())
      .toMatch(/Lot terminé : \d[\d\u202f ]* sites résolus/);
    await expect.poll(() => heading.evaluate((element) => element === element.ownerDocument.activeElement)).toBe(true);
    const reasons = page.getByRole("table", { name: "Sites non résolus, par raison" });
    expect(await reasons.textContent()).toContain("adresse vide");
    const failures = page.getByRole("table", { name: /premiers sites non résolus/ });
    expect(await failures.textContent()).toContain("(vide)");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    const shot = await saveScreenshot(page, "eligibilite-lots");
    expect(existsSync(shot)).toBe(true);

    // Both downloads open: the CSV with one line per site, the XLSX as a workbook.
    const csvHref = await page.getByRole("link", { name: "Télécharger les résultats (CSV)" }).getAttribute("href");
    const xlsxHref = await page
      .getByRole("link", { name: "Télécharger les résultats (XLSX, tableur)" })
      .getAttribute("href");
    const csvResponse = await page.request.get(`${server.url}${csvHref}`);
    expect(csvResponse.status()).toBe(200);
    const lines = (await csvResponse.text()).trim().split("\r\n");
    expect(lines).toHaveLength(30_001);
    expect(lines[0]).toContain("site;rue;cp;ville;statut;raison");
    const xlsxResponse = await page.request.get(`${server.url}${xlsxHref}`);
    const [sheet] = readXlsx(Buffer.from(await xlsxResponse.body()));
    expect(sheet?.rows).toHaveLength(30_001);

    // The job's address survives a reload.
    await page.goto(jobUrl);
    await heading.waitFor();
    expect(await page.getByRole("link", { name: "Télécharger les résultats (CSV)" }).count()).toBe(1);
  });
});
