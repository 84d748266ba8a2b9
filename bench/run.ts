// `npm run bench -- NAME`: runs bench/NAME.bench.ts and prints its figures. Without NAME, lists them.
import { readdirSync } from "node:fs";
import path from "node:path";

const available = readdirSync(import.meta.dirname)
  .filter((f) => f.endsWith(".bench.ts"))
  .map((f) => f.replace(/\.bench\.ts$/, ""));
const name = process.argv[2];
if (!name || !available.includes(name)) {
  console.error(`Usage : npm run bench -- <nom>\nBenchmarks disponibles : ${available.join(", ")}`);
  process.exit(name ? 1 : 0);
}
await import(path.join(import.meta.dirname, `${name}.bench.ts`));
