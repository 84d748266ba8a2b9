import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer } from "./server.ts";
import { type AppConfig, loadConfig } from "./shared/config/config.ts";
import { ignoreProgress } from "./shared/progress/progress.ts";
import { createScratchDatabase, type ScratchDatabase, testDialects } from "./shared/testing/test-databases.ts";
import { getJson } from "./shared/testing/test-server.ts";

const quiet = { onProgress: ignoreProgress, log: () => {}, logger: false };

for (const dialect of testDialects()) {
  describe(`Démarrage de la plateforme [${dialect}]`, () => {
    let scratch: ScratchDatabase;
    beforeAll(async () => {
      scratch = await createScratchDatabase(dialect);
    });
    afterAll(() => scratch?.drop());

    const config = (env: NodeJS.ProcessEnv = {}): AppConfig => ({
      ...loadConfig({ TERRITOIRE_DEMO_ADRESSES: "non", TERRITOIRE_DEMO_THD: "non", ...env }),
      database: scratch.config,
      port: 0,
      host: "127.0.0.1",
    });

    it("crée le schéma et importe les territoires au premier démarrage, les réutilise au second", async () => {
      const logs: string[] = [];
      const first = await startServer(config(), { ...quiet, log: (l) => logs.push(l) });
      try {
        expect(logs.some((l) => l.startsWith("Territoires importés : Normandie"))).toBe(true);
        const health = await getJson(`${first.url}/api/health`);
        expect(health).toMatchObject({ status: "ok", database: { dialect } });
      } finally {
        await first.close();
      }
      const secondLogs: string[] = [];
      const second = await startServer(config(), { ...quiet, log: (l) => secondLogs.push(l) });
      try {
        expect(secondLogs.some((l) => l.startsWith("Territoires importés"))).toBe(false);
        expect(secondLogs.some((l) => l.startsWith("Migrations appliquées"))).toBe(false);
        const communes = await getJson(`${second.url}/api/territoires/communes?region=28&limit=1`);
        expect(communes.total).toBe(2644);
      } finally {
        await second.close();
      }
    });

    it("sert une autre région (Bretagne, 53) avec les centres des communes faute de polygones", async () => {
      const server = await startServer(config({ TERRITOIRE_REGION: "53" }), quiet);
      try {
        const communes = await getJson(`${server.url}/api/territoires/communes?region=53&limit=1`);
        expect(communes.total).toBe(1202);
        const rennes = await getJson(`${server.url}/api/territoires/communes/35238`);
        expect(rennes).toMatchObject({ nom: "Rennes", departement: "35", sourceContour: "centre" });
        const contour = await getJson(`${server.url}/api/territoires/communes/35238/contour`);
        expect(contour.geometry.type).toBe("Point");
        expect(contour.properties.sourceContour).toBe("centre");
        const departement = await getJson(`${server.url}/api/territoires/departements/35/contour`);
        expect(departement.geometry.type).toMatch(/Polygon/);
        const configuration = await getJson(`${server.url}/api/configuration`);
        expect(configuration).toMatchObject({
          region: { code: "53", nom: "Bretagne" },
          territoires: { communes: 1202, communesAvecPolygone: 0, contoursComplets: false },
        });
      } finally {
        await server.close();
      }
    });
  });
}
