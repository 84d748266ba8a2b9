import type { Kysely } from "kysely";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importBan } from "../src/modules/addresses/import-ban/import-ban.service.ts";
import { writeBanFile } from "../src/modules/addresses/test-fixtures.ts";
import type { BroadbandTables } from "../src/modules/broadband/broadband.tables.ts";
import {
  anomalyBanLines,
  insertAnomalyFixture,
  MANCHE_ADDRESS,
  MANCHE_BUILDING,
} from "../src/modules/eligibility/address-anomalies/address-anomalies.test-fixture.ts";
import { importTerritories } from "../src/modules/territory/import-territories/import-territories.service.ts";
import {
  browserAvailable,
  launchChromium,
  newJourneyContext,
  newJourneyPage,
  saveScreenshot,
  seriousAccessibilityViolations,
} from "./support/browser.ts";
import { type JourneyServer, startJourneyServer } from "./support/server.ts";
import { demoAccount, signIn } from "./support/sign-in.ts";

const OPERATOR = demoAccount("operateur");
/** The demo operator's network (perimeter = thd_reseau code): the fixture's Manche RIP gets that code. */
const NETWORK = OPERATOR.roles[0]?.perimetre ?? "";
const ANSWER = "Merci : la position de l'immeuble est corrigée, elle sera publiée au prochain trimestre.";

describe.skipIf(!browserAvailable())(
  "Parcours navigateur : un signalement d'adresse, de l'habitant à l'opérateur",
  () => {
    let server: JourneyServer;
    let browser: Browser;
    let citizen: BrowserContext;
    let operator: BrowserContext;
    let page: Page;
    let followUrl = "";

    beforeAll(async () => {
      // Demo mode creates the demo accounts, the operator among them.
      server = await startJourneyServer({
        config: { demo: true },
        prepare: async (db) => {
          await importTerritories(db, "28");
          await insertAnomalyFixture(db as unknown as Kysely<BroadbandTables>, NETWORK);
          await importBan(db, [writeBanFile(anomalyBanLines())]);
        },
      });
      browser = await launchChromium();
      citizen = await newJourneyContext(browser);
      operator = await newJourneyContext(browser);
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    const heading = () => page.getByRole("heading", { level: 1 });

    it("l'habitant signale depuis la carte d'éligibilité et reçoit son lien de suivi", async () => {
      page = await newJourneyPage(citizen);
      await page.goto(`${server.url}/eligibilite?id=${MANCHE_ADDRESS}`);
      await page.getByRole("link", { name: "Signaler un problème sur cette adresse" }).click();
      await expect.poll(() => heading().textContent()).toBe("Signaler un problème d'adresse");
      const place = page.getByRole("region", { name: "Lieu concerné" });
      await expect.poll(() => place.textContent()).toContain(MANCHE_ADDRESS);
      expect(await place.textContent()).toContain(MANCHE_BUILDING);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);

      // Sent without a type nor a description: the summary takes the focus and links to the fields.
      await page.getByRole("button", { name: "Envoyer le signalement" }).click();
      const summary = page.getByRole("region", { name: "Le formulaire contient des erreurs" });
      await expect
        .poll(() => summary.evaluate((element) => element === element.ownerDocument.activeElement))
        .toBe(true);
      expect(await summary.textContent()).toContain("Choisissez le type de problème.");
      expect(await summary.textContent()).toContain("Décrivez le problème.");
      expect(await seriousAccessibilityViolations(page)).toEqual([]);

      await page.getByRole("radio", { name: "Immeuble mal placé sur la carte" }).check();
      await page
        .getByRole("textbox", { name: "Description du problème" })
        .fill("Le bâtiment est dessiné dans le champ voisin.");
      const contact = page.getByRole("textbox", { name: "Votre adresse e-mail (facultatif)" });
      expect(await contact.getAttribute("aria-describedby")).toBeTruthy();
      await contact.fill("habitant@exemple.fr");
      await saveScreenshot(page, "signalement-formulaire");
      await page.getByRole("button", { name: "Envoyer le signalement" }).click();

      await expect.poll(() => heading().textContent()).toBe("Votre signalement est enregistré");
      await expect
        .poll(() => heading().evaluate((element) => element === element.ownerDocument.activeElement))
        .toBe(true);
      expect(await page.locator(".avis").textContent()).toContain("Manche Fibre (RIP de la Manche)");
      followUrl = (await page.locator(".anomalies__lien-suivi code").textContent()) ?? "";
      expect(followUrl).toMatch(new RegExp(`^${server.url}/signalements/[A-Za-z0-9_-]{43}$`));
      expect(await seriousAccessibilityViolations(page)).toEqual([]);

      await page.getByRole("link", { name: "Suivre mon signalement" }).click();
      await expect.poll(() => heading().textContent()).toBe("Suivi de votre signalement");
      await expect.poll(() => page.locator(".anomalies__statut").textContent()).toContain("Nouveau");
      const text = (await page.locator("main").textContent()) ?? "";
      expect(text).toContain("Le bâtiment est dessiné dans le champ voisin.");
      expect(text).not.toContain("habitant@exemple.fr");
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
    });

    it("l'opératrice du réseau le trouve dans sa boîte, répond et le clôt ; exports CSV et XLSX", async () => {
      page = await newJourneyPage(operator);
      await signIn(page, server.url, OPERATOR);
      await page
        .getByRole("navigation", { name: "Navigation principale" })
        .getByRole("link", { name: "Signalements" })
        .click();
      await expect.poll(() => heading().textContent()).toBe("Signalements d'adresses");
      const table = page.getByRole("table", { name: /Signalements, page 1/ });
      const row = table.getByRole("row").filter({ hasText: "Le bâtiment est dessiné dans le champ voisin." });
      await row.waitFor();
      expect(await row.textContent()).toContain("habitant@exemple.fr");
      expect(await row.textContent()).toContain("Nouveau");
      expect(await seriousAccessibilityViolations(page)).toEqual([]);

      // Both downloads carry the contact for the responsible operator.
      const csvHref = await page.getByRole("link", { name: /Télécharger \(CSV\)/ }).getAttribute("href");
      const csv = await page.request.get(`${server.url}${csvHref}`);
      expect(csv.status()).toBe(200);
      expect(await csv.text()).toContain("habitant@exemple.fr");
      const xlsxHref = await page.getByRole("link", { name: /Télécharger \(XLSX\)/ }).getAttribute("href");
      const xlsx = await page.request.get(`${server.url}${xlsxHref}`);
      expect(xlsx.status()).toBe(200);
      expect(xlsx.headers()["content-type"]).toContain("spreadsheetml");

      await row.getByRole("button", { name: /^Répondre/ }).click();
      const dialog = page.getByRole("dialog", { name: "Répondre au signalement" });
      await dialog.getByRole("list").first().waitFor();
      await dialog.getByRole("textbox", { name: "Réponse" }).fill(ANSWER);
      await dialog.getByRole("combobox", { name: "Nouveau statut" }).selectOption("resolue");
      expect(await dialog.getByRole("checkbox", { name: /Visible par la personne/ }).isChecked()).toBe(true);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await saveScreenshot(page, "signalement-reponse", { fullPage: false });
      await dialog.getByRole("button", { name: "Enregistrer la réponse" }).click();

      await expect
        .poll(() => page.getByRole("status").filter({ hasText: "Réponse enregistrée" }).textContent())
        .toContain("Résolu");
      await expect
        .poll(() =>
          table.getByRole("row").filter({ hasText: "Le bâtiment est dessiné dans le champ voisin." }).textContent(),
        )
        .toContain("Résolu");
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await saveScreenshot(page, "signalements-boite");
    });

    it("la page de suivi montre la clôture et la réponse de l'opérateur", async () => {
      page = await newJourneyPage(citizen);
      await page.goto(followUrl);
      await expect.poll(() => page.locator(".anomalies__statut").textContent()).toContain("Résolu");
      const history = page.getByRole("list").filter({ hasText: "Opérateur du réseau" });
      expect(await history.textContent()).toContain(ANSWER);
      expect(await page.locator("main").textContent()).toContain("Clos le");
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await saveScreenshot(page, "signalement-suivi");

      // A link that matches nothing says so in French.
      await page.goto(`${server.url}/signalements/${"A".repeat(43)}`);
      await expect.poll(() => page.getByRole("alert").textContent()).toContain("ne correspond à aucun signalement");
    });
  },
);
