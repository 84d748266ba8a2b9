// Reads Vitest's JSON report and fails when a required half of the suite did not run: the
// PostgreSQL suites (named "[postgres]") and the browser journeys (e2e/). Ends with the plain
// "N passed, N failed" line that CI reads.
import { readFileSync } from "node:fs";

interface Report {
  testResults: { name: string; assertionResults: { fullName: string; status: string }[] }[];
}

const file = process.argv[2] ?? "test-results/vitest.json";
const report = JSON.parse(readFileSync(file, "utf8")) as Report;
const tests = report.testResults.flatMap((f) => f.assertionResults.map((a) => ({ ...a, file: f.name })));
const count = (predicate: (t: (typeof tests)[number]) => boolean) => tests.filter(predicate).length;

const passed = count((t) => t.status === "passed");
const failed = count((t) => t.status === "failed");
const skipped = count((t) => t.status !== "passed" && t.status !== "failed");
const postgres = count((t) => t.status === "passed" && t.fullName.includes("[postgres]"));
const sqlite = count((t) => t.status === "passed" && t.fullName.includes("[sqlite]"));
const browser = count((t) => t.status === "passed" && t.file.includes("/e2e/"));

console.log(
  `SQLite : ${sqlite} tests passés ; PostgreSQL : ${postgres} ; navigateur : ${browser} ; ignorés : ${skipped}`,
);
const problems: string[] = [];
if (postgres === 0) problems.push("aucun test PostgreSQL n'a été exécuté");
if (postgres < sqlite) problems.push(`moins de tests PostgreSQL (${postgres}) que SQLite (${sqlite})`);
if (browser === 0) problems.push("aucun parcours navigateur n'a été exécuté");
if (skipped > 0) problems.push(`${skipped} test(s) ignoré(s)`);
for (const p of problems) console.error(`Échec : ${p}`);
console.log(`tests: ${passed} passed, ${failed + problems.length} failed`);
process.exit(failed > 0 || problems.length > 0 ? 1 : 0);
