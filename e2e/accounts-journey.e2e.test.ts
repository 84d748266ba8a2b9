import { existsSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  browserAvailable,
  launchChromium,
  newJourneyContext,
  newJourneyPage,
  saveScreenshot,
  seriousAccessibilityViolations,
} from "./support/browser.ts";
import { type JourneyServer, startJourneyServer } from "./support/server.ts";
import { demoAccount, fillSignInForm, signIn } from "./support/sign-in.ts";

const AGENT = demoAccount("agent");

describe.skipIf(!browserAvailable())(
  "Parcours navigateur : connexion d'une agente, journal d'audit, accès refusé",
  () => {
    let server: JourneyServer;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;

    beforeAll(async () => {
      // Demo mode creates the demo accounts (agent@demo.territoire.local…).
      server = await startJourneyServer({ config: { demo: true } });
      browser = await launchChromium();
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    // A new context (cookies, storage) for each test: no session leaks from one test to the next.
    beforeEach(async () => {
      context = await newJourneyContext(browser);
      page = await newJourneyPage(context);
    });

    afterEach(async () => {
      await context?.close();
    });

    const heading = () => page.getByRole("heading", { level: 1 });
    const navigation = () => page.getByRole("navigation", { name: "Navigation principale" });
    const banner = () => page.getByRole("banner");

    const signInAsAgent = () => signIn(page, server.url, AGENT);

    it("connecte l'agente par le formulaire : page « Mon compte » et menu selon son rôle", async () => {
      await page.goto(`${server.url}/connexion`);
      await expect.poll(() => heading().textContent()).toBe("Se connecter");
      await page.getByRole("table", { name: /Comptes de démonstration/ }).waitFor();
      expect(await page.getByRole("textbox", { name: "Adresse e-mail" }).getAttribute("autocomplete")).toBe("username");
      expect(await page.getByLabel("Mot de passe", { exact: true }).getAttribute("autocomplete")).toBe(
        "current-password",
      );
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await saveScreenshot(page, "connexion");

      await fillSignInForm(page, AGENT);
      await page.waitForURL(/\/compte$/);
      await expect.poll(() => heading().textContent()).toBe("Mon compte");
      await expect.poll(() => page.locator(".fiche").textContent()).toContain("Agent de la Région");
      await expect.poll(() => banner().textContent()).toContain("Bruno Agent");

      await navigation().getByRole("link", { name: "Journal d'audit" }).waitFor();
      expect(await navigation().getByRole("link", { name: "Utilisateurs" }).count()).toBe(0);
      expect(await navigation().getByRole("link", { name: "Clés d'API" }).count()).toBe(0);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await saveScreenshot(page, "mon-compte");
    });

    it("refuse un mauvais mot de passe avec un résumé des erreurs qui prend le focus", async () => {
      await page.goto(`${server.url}/connexion`);
      await fillSignInForm(page, { email: AGENT.email, motDePasse: "pas-le-bon-mot-de-passe" });
      const summary = page.getByRole("region", { name: "La connexion a échoué" });
      await summary.waitFor();
      await expect.poll(() => summary.evaluate((element) => element.matches(":focus"))).toBe(true);
      const email = page.getByRole("textbox", { name: "Adresse e-mail" });
      expect(await email.getAttribute("aria-invalid")).toBe("true");
      expect(await email.getAttribute("aria-describedby")).toBe("connexion-email-erreur");
      expect(page.url()).toMatch(/\/connexion$/);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
    });

    it("montre dans le journal d'audit la connexion de l'agente", async () => {
      await signInAsAgent();
      await navigation().getByRole("link", { name: "Journal d'audit" }).click();
      await page.waitForURL(/\/admin\/journal$/);
      await expect.poll(() => heading().textContent()).toBe("Journal d'audit");
      const table = page.getByRole("table", { name: /Journal d'audit/ });
      await table.waitFor();
      const ownSignIn = table
        .getByRole("row")
        .filter({ hasText: `utilisateur:${AGENT.email}` })
        .filter({ has: page.getByRole("cell", { name: "connexion", exact: true }) })
        .filter({ hasText: "Succès" });
      await expect.poll(() => ownSignIn.count()).toBeGreaterThan(0);
      expect(await page.getByRole("link", { name: /Télécharger \(CSV\)/ }).getAttribute("href")).toBe(
        "/api/journal?format=csv",
      );

      // Filtering by action keeps the sign-in and puts the filter in the CSV link too.
      await page.getByRole("textbox", { name: "Action" }).fill("connexion");
      await page.getByRole("button", { name: "Filtrer" }).click();
      await page.waitForURL(/action=connexion/);
      await expect.poll(() => ownSignIn.count()).toBeGreaterThan(0);
      // The unfiltered rows already hold the sign-in: wait for the filtered table's own link.
      await expect
        .poll(() => page.getByRole("link", { name: /Télécharger \(CSV\)/ }).getAttribute("href"))
        .toBe("/api/journal?action=connexion&format=csv");
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      const file = await saveScreenshot(page, "journal-audit");
      expect(existsSync(file)).toBe(true);
    });

    it("dit « Accès refusé » à l'agente sur la page des utilisateurs", async () => {
      await signInAsAgent();
      await page.goto(`${server.url}/admin/utilisateurs`);
      await expect.poll(() => heading().textContent()).toBe("Accès refusé");
      expect(await page.getByRole("table").count()).toBe(0);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await saveScreenshot(page, "acces-refuse");
    });

    it("envoie une personne non connectée vers la connexion, puis la ramène à la page demandée", async () => {
      await page.goto(`${server.url}/admin/journal`);
      await page.waitForURL(/\/connexion\?retour=%2Fadmin%2Fjournal$/);
      await expect.poll(() => heading().textContent()).toBe("Se connecter");
      await fillSignInForm(page, AGENT);
      await page.waitForURL(/\/admin\/journal$/);
      await expect.poll(() => heading().textContent()).toBe("Journal d'audit");
    });

    it("déconnecte l'agente : « Se connecter » réapparaît", async () => {
      await signInAsAgent();
      await banner().getByRole("button", { name: "Se déconnecter" }).click();
      await page.waitForURL(/\/connexion$/);
      await banner().getByRole("link", { name: "Se connecter" }).waitFor();
      await expect.poll(() => page.getByRole("status").filter({ hasText: "Vous êtes déconnecté·e." }).count()).toBe(1);
      expect(await navigation().getByRole("link", { name: "Journal d'audit" }).count()).toBe(0);
      // The session is really closed: the page reserved to signed-in people sends back to the sign-in form.
      await page.goto(`${server.url}/compte`);
      await page.waitForURL(/\/connexion\?retour=%2Fcompte$/);
      await banner().getByRole("link", { name: "Se connecter" }).waitFor();
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
    });
  },
);
