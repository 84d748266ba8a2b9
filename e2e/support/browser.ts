import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, "../../test-results/screenshots");

/** True when the journeys can run; CI must have the browser, so there a missing one is an error. */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI === "true") throw new Error(`CI=true mais Chromium est absent (${CHROMIUM_PATH})`);
  console.warn(`Parcours navigateur ignorés : Chromium absent (${CHROMIUM_PATH}). apt-get install chromium`);
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** A fresh context (cookies, storage: no session leaks between contexts) at the journeys' screen size, in French. */
export function newJourneyContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "fr-FR" });
}

/**
 * A page for a journey, in the given context or a fresh one (axe needs a page from an explicit
 * context); each step waits up to `timeout` ms.
 */
export async function newJourneyPage(from: Browser | BrowserContext, timeout = 20_000): Promise<Page> {
  const context = "newContext" in from ? await newJourneyContext(from) : from;
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  return page;
}

/** Serious and critical WCAG 2.1 A/AA violations on the page, as readable lines. */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}

/**
 * Saves a screenshot under test-results/screenshots. After a client-side navigation from a page
 * that had a WebGL map, headless Chromium's full-page capture draws the new map's canvas with a
 * stale viewport (what the browser shows is right): such pages are captured one screen at a time.
 */
export async function saveScreenshot(page: Page, name: string, { fullPage = true } = {}): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  return file;
}
