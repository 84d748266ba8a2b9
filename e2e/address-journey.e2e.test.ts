import { existsSync, readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureWebBuild } from "../scripts/web-build.ts";
import { importBan } from "../src/modules/addresses/import-ban/import-ban.service.ts";
import { generateFixture } from "../src/modules/addresses/test-fixtures.ts";
import { importTerritories } from "../src/modules/territory/import-territories/import-territories.service.ts";
import { type StartedServer, startServer } from "../src/server.ts";
import { loadConfig } from "../src/shared/config/config.ts";
import { openDatabase } from "../src/shared/db/database.ts";
import { migrateToLatest } from "../src/shared/db/migrator.ts";
import { ignoreProgress } from "../src/shared/progress/progress.ts";
import { createScratchDatabase, type ScratchDatabase } from "../src/shared/testing/test-databases.ts";
import { browserAvailable, launchChromium, saveScreenshot, seriousAccessibilityViolations } from "./support/browser.ts";

describe.skipIf(!browserAvailable())("Parcours navigateur : rechercher une adresse et la voir sur la carte", () => {
  let scratch: ScratchDatabase;
  let server: StartedServer;
  let browser: Browser;
  let page: Page;
  let sample: { numero: string; voie: string; commune: string };

  beforeAll(async () => {
    await ensureWebBuild(() => {});
    scratch = await createScratchDatabase("sqlite");
    // Territories and a small fixture of addresses, imported before the server builds its address index.
    const opened = openDatabase(scratch.config);
    try {
      await migrateToLatest(opened.db);
      await importTerritories(opened.db, "28");
      const { file } = generateFixture();
      await importBan(opened.db, [file]);
      // A plain street address (numero;…;nom_voie;…;nom_commune), not a strategic site.
      const lines = readFileSync(file, "utf8").trim().split("\n").slice(1);
      const line = lines.find((l) => /;(Rue|Avenue|Place|Chemin) /.test(l) && /;\d+;;/.test(l)) ?? lines[0];
      const fields = (line as string).split(";");
      sample = { numero: fields[2] as string, voie: fields[4] as string, commune: fields[7] as string };
    } finally {
      await opened.close();
    }
    server = await startServer(
      { ...loadConfig({ TERRITOIRE_DEMO_ADRESSES: "non" }), database: scratch.config, port: 0, host: "127.0.0.1" },
      { onProgress: ignoreProgress, log: () => {}, logger: false },
    );
    browser = await launchChromium();
    // axe needs a page from an explicit context.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "fr-FR" });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await scratch?.drop();
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
