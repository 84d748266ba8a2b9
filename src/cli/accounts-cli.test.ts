import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseUrlOf, runTerritoire } from "../shared/testing/cli-process.ts";
import { createScratchDatabase, type ScratchDatabase, testDialects } from "../shared/testing/test-databases.ts";

for (const dialect of testDialects()) {
  describe(`CLI des comptes [${dialect}]`, () => {
    let scratch: ScratchDatabase;
    let env: NodeJS.ProcessEnv;
    beforeAll(async () => {
      scratch = await createScratchDatabase(dialect);
      env = { DATABASE_URL: databaseUrlOf(scratch) };
    });
    afterAll(() => scratch?.drop());

    it("crée un administrateur, gère les rôles, les clés et montre la boîte d'envoi", async () => {
      const created = await runTerritoire(
        ["admin", "create", "--email", "Admin@Region.test", "--nom", "Admin Région", "--mot-de-passe-stdin"],
        env,
        "un mot de passe assez long\n",
      );
      expect(created.code, created.stderr).toBe(0);
      expect(created.stdout).toContain("Administrateur créé : admin@region.test");
      expect(created.stdout).not.toContain("un mot de passe assez long");

      const short = await runTerritoire(
        ["admin", "create", "--email", "b@region.test", "--nom", "B", "--mot-de-passe-stdin"],
        env,
        "court\n",
      );
      expect(short.code).toBe(1);
      expect(short.stderr).toMatch(/^Erreur : Le mot de passe doit contenir au moins 12 caractères/);

      const generated = await runTerritoire(["admin", "create", "--email", "c@region.test", "--nom", "C"], env);
      expect(generated.stdout).toMatch(/Mot de passe \(affiché une seule fois\) : \S{20,}/);

      const roles = await runTerritoire(["utilisateurs", "roles", "c@region.test", "operateur:RIP50", "agent"], env);
      expect(roles.stdout).toContain("c@region.test : operateur:RIP50 agent");
      const badRole = await runTerritoire(["utilisateurs", "roles", "c@region.test", "pirate"], env);
      expect(badRole.code).not.toBe(0);
      expect(badRole.stderr).toContain("rôle inconnu « pirate »");
      const list = await runTerritoire(["utilisateurs", "list"], env);
      expect(list.stdout).toMatch(/admin@region\.test\tAdmin Région\tadmin\tactif/);

      const foreign = await runTerritoire(
        ["cles", "create", "--proprietaire", "c@region.test", "--nom", "x", "--portee", "reseau:RIP14:ecrire"],
        env,
      );
      expect(foreign.code).toBe(1);
      expect(foreign.stderr).toContain("n'est pas l'un des vôtres");
      const key = await runTerritoire(
        [
          "cles",
          "create",
          "--proprietaire",
          "c@region.test",
          "--nom",
          "SI opérateur",
          "--portee",
          "reseau:RIP50:ecrire",
        ],
        env,
      );
      expect(key.code, key.stderr).toBe(0);
      const secret = key.stdout.trim().split("\n").at(-1) ?? "";
      expect(secret).toMatch(/^tn_[A-Za-z0-9]{10}_/);
      const prefixe = secret.split("_")[1] ?? "";
      const keys = await runTerritoire(["cles", "list"], env);
      expect(keys.stdout).toContain(`${prefixe}\tSI opérateur\treseau:RIP50:ecrire\tc@region.test\tactive`);
      expect(keys.stdout).not.toContain(secret);
      expect((await runTerritoire(["cles", "revoke", prefixe], env)).stdout).toContain("révoquée");
      expect((await runTerritoire(["cles", "list"], env)).stdout).toContain("\trévoquée\t");

      const outbox = await runTerritoire(["outbox"], env);
      expect(outbox.code).toBe(0);
      expect(outbox.stdout).toContain("Aucun courriel en attente.");
    });
  });
}
