import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "e2e/**/*.test.ts"],
    // Files run in separate processes; each storage suite has its own database.
    pool: "forks",
    // Generous: CLI tests start several tsx processes, slow on a loaded 2-core machine; a hang still fails.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    reporters: process.env.CI ? ["default", ["json", { outputFile: "test-results/vitest.json" }]] : ["default"],
  },
});
