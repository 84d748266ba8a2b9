// Builds the web front end when web/dist is missing or older than its sources, so that `npm start`
// on a fresh clone serves the site, and a second start does not pay for a rebuild.
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { build } from "vite";

const webDir = path.resolve(import.meta.dirname, "../web");
const builtIndex = path.join(webDir, "dist", "index.html");

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "dist" || entry.name === "node_modules") continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }
  return newest;
}

if (!existsSync(builtIndex) || statSync(builtIndex).mtimeMs < newestSource(webDir)) {
  console.log("Construction de l'interface web…");
  const started = performance.now();
  await build({ configFile: path.join(webDir, "vite.config.ts"), logLevel: "warn" });
  console.log(`Interface web construite en ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
