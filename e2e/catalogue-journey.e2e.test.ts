import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDemoCatalogues } from "../src/modules/eligibility/service-catalogues/demo-catalogues.ts";
import {
  browserAvailable,
  launchChromium,
  newJourneyPage,
  saveScreenshot,
  seriousAccessibilityViolations,
} from "./support/browser.ts";
import { type JourneyServer, startJourneyServer } from "./support/server.ts";
import { demoAccount, signIn } from "./support/sign-in.ts";

const OPERATOR = demoAccount("operateur");

describe.skipIf(!browserAvailable())("Parcours navigateur : un opérateur publie une version de son catalogue", () => {
  let server: JourneyServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // Demo accounts (the operator of RIP50) and the five demo catalogues.
    server = await startJourneyServer({
      config: { demo: true },
      prepare: (db) => ensureDemoCatalogues(db).then(() => {}),
    });
    browser = await launchChromium();
    page = await newJourneyPage(browser);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const heading = () => page.getByRole("heading", { level: 1 });
  const form = () => page.getByRole("region", { name: "Nouvelle version, offre par offre" });
  const offer = (n: number) => form().getByRole("group", { name: `Offre ${n}` });

  it("signs in, publishes a version with the form (errors first), and the public comparison shows it", async () => {
    await signIn(page, server.url, OPERATOR);

    await page
      .getByRole("navigation", { name: "Navigation principale" })
      .getByRole("link", { name: "Mes catalogues" })
      .click();
    await page.waitForURL(/\/operateur\/catalogues\/RIP50$/);
    await expect.poll(() => heading().textContent()).toBe("Publier le catalogue de Manche Fibre (RIP de la Manche)");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // An empty submission: the summary takes the focus and links to the fields.
    await page.getByRole("button", { name: "Publier la version" }).click();
    const summary = page.getByRole("region", { name: "Le formulaire contient des erreurs" });
    await summary.waitFor();
    await expect.poll(() => summary.evaluate((element) => element === element.ownerDocument.activeElement)).toBe(true);
    expect(await summary.textContent()).toContain("Offre 1 : indiquez un code.");

    await form().getByLabel("Libellé de la version").fill("2031");
    await form().getByLabel("Valable à partir du").fill("2031-01-01");
    await offer(1).getByLabel("Code", { exact: true }).fill("FTTO-500");
    await offer(1).getByLabel("Nom", { exact: true }).fill("FttO 500 Mbit/s du parcours");
    await offer(1).getByLabel("Débit crête descendant (Mbit/s)").fill("500");
    await offer(1).getByLabel("Débit crête montant (Mbit/s)").fill("500");
    await offer(1).getByLabel("Débit garanti (Mbit/s)").fill("500");
    await offer(1).getByLabel("Frais d'accès (€ HT)").fill("1 800");
    await offer(1).getByLabel("Prix mensuel (€ HT)").fill("499,90");
    await offer(1).getByLabel("Engagement (mois)").fill("36");
    await offer(1).getByLabel("Débit symétrique").check();
    // A second row, added by keyboard (focus moves into it), then removed.
    await page.getByRole("button", { name: "Ajouter une offre" }).press("Enter");
    await expect
      .poll(() =>
        offer(2)
          .getByLabel("Code", { exact: true })
          .evaluate((el) => el === el.ownerDocument.activeElement),
      )
      .toBe(true);
    await offer(2).getByRole("button", { name: "Retirer l'offre 2" }).click();
    expect(await offer(2).count()).toBe(0);

    await page.getByRole("button", { name: "Publier la version" }).click();
    await page.getByText("Version 2031 publiée.").waitFor();
    await page.getByRole("heading", { name: "Versions à venir" }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, "catalogue-operateur");

    // The public comparison at a date of the new version: the offer is there, next to the other networks'.
    await page
      .getByRole("navigation", { name: "Navigation principale" })
      .getByRole("link", { name: "Catalogues", exact: true })
      .click();
    await expect.poll(() => heading().textContent()).toBe("Catalogues de services des réseaux");
    await page.getByLabel("Famille d'offres").selectOption("ftto");
    await page.getByLabel("Offres en vigueur le").fill("2031-02-01");
    const table = page.getByRole("table", { name: /Offres des réseaux côte à côte/ });
    await expect.poll(() => table.textContent()).toContain("FttO 500 Mbit/s du parcours");
    const row = table.getByRole("row", { name: /FttO 500 Mbit\/s du parcours/ });
    expect(await row.textContent()).toContain("499,90");
    expect(await page.getByRole("status").filter({ hasText: "en vigueur le" }).textContent()).toMatch(
      /\d+ offres en vigueur le 1 févr\. 2031/,
    );
    // The other networks' catalogues are demo ones: the notice says so.
    expect(await page.locator(".catalogues__exemple").first().textContent()).toContain("Catalogues d'exemple");
    const csv = await page.getByRole("link", { name: /Télécharger \(CSV\)/ }).getAttribute("href");
    expect(csv).toBe("/api/catalogues/comparaison?famille=ftto&date=2031-02-01&format=csv");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, "catalogues-comparaison");

    // The network's page lists the version and its offers.
    await page.goto(`${server.url}/catalogues/RIP50?version=2031`);
    await page.getByRole("table", { name: /Offres de la version 2031/ }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });
});
