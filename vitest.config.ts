import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "e2e/**/*.test.ts"],
    // Files run in separate processes; each storage suite has its own database.
    pool: "forks",
    // Generous: CLI tests start several tsx processes, slow on a loaded 2-core machine; a hang still fails.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // expect.poll waits for a page or a server to reach a state: 1 s (Vitest's default) was too short
    // for a browser page's next data on the loaded CI machine (a journey failed with the right figure
    // arriving later). A poll returns as soon as its value matches, so passing tests are not slower.
    expect: { poll: { timeout: 15_000 } },
    reporters: process.env.CI ? ["default", ["json", { outputFile: "test-results/vitest.json" }]] : ["default"],
  },
});
