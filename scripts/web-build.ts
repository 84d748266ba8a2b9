import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { build } from "vite";

export const WEB_DIR = path.resolve(import.meta.dirname, "../web");

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "dist" || entry.name === "node_modules") continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Builds the web front end when web/dist is missing or older than its sources, so that a fresh
 * clone serves the site and a second start does not pay for a rebuild.
 */
export async function ensureWebBuild(log: (line: string) => void = console.log): Promise<void> {
  const builtIndex = path.join(WEB_DIR, "dist", "index.html");
  if (existsSync(builtIndex) && statSync(builtIndex).mtimeMs >= newestSource(WEB_DIR)) return;
  log("Construction de l'interface web…");
  const started = performance.now();
  await build({ configFile: path.join(WEB_DIR, "vite.config.ts"), logLevel: "warn" });
  log(`Interface web construite en ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
