import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, contrastWithWhite, loadConfig, parseDatabaseUrl, parseProcesses } from "./config.ts";

describe("Configuration par l'environnement", () => {
  it("prend par défaut SQLite dans ./data, le port 3000 et la Normandie", () => {
    const config = loadConfig({}, "/srv/tn");
    expect(config.database).toEqual({ dialect: "sqlite", filename: path.resolve("/srv/tn/data/territoire.db") });
    expect(config.port).toBe(3000);
    expect(config.region).toBe("28");
    expect(config.identity.logoFile).toBeNull();
  });

  it("choisit PostgreSQL sur une URL postgres:// et un autre fichier SQLite sur sqlite:<chemin>", () => {
    expect(parseDatabaseUrl("postgres://u:p@db:5432/tn")).toEqual({
      dialect: "postgres",
      connectionString: "postgres://u:p@db:5432/tn",
    });
    expect(parseDatabaseUrl("sqlite:/var/lib/tn.db")).toEqual({ dialect: "sqlite", filename: "/var/lib/tn.db" });
    expect(parseDatabaseUrl("sqlite:rel/tn.db", "/srv")).toEqual({ dialect: "sqlite", filename: "/srv/rel/tn.db" });
  });

  it.each([
    [{ DATABASE_URL: "mysql://localhost/tn" }, /DATABASE_URL "mysql:\/\/localhost\/tn" non reconnue/],
    [{ DATABASE_URL: "postgres://u:secret@" }, /n'est pas une URL PostgreSQL valide/],
    [{ DATABASE_URL: "sqlite:" }, /chemin SQLite manquant/],
    [{ PORT: "http" }, /PORT "http" doit être un entier/],
    [{ PORT: "70000" }, /PORT "70000"/],
    [{ TERRITOIRE_REGION: "99" }, /TERRITOIRE_REGION "99" n'est pas un code INSEE de région/],
    [{ TERRITOIRE_REGION: "Normandie" }, /TERRITOIRE_REGION/],
    [{ TERRITOIRE_COULEUR_PRIMAIRE: "rouge" }, /doit être une couleur #rrggbb/],
    [{ TERRITOIRE_COULEUR_PRIMAIRE: "#ffff00" }, /contraste 1\.07:1/],
    [{ TERRITOIRE_LOGO: "/nulle/part/logo.svg" }, /fichier introuvable/],
    [{ TERRITOIRE_LOGO: "logo.gif" }, /\.svg ou \.png/],
    [{ TERRITOIRE_DEMO: "peut-être" }, /TERRITOIRE_DEMO "peut-être" doit valoir oui ou non/],
    [{ SMTP_URL: "http://mail" }, /SMTP_URL "http:\/\/mail" doit commencer par smtp:\/\/ ou smtps:\/\//],
    [{ OIDC_ISSUER: "https://idp.example" }, /OIDC_ISSUER, OIDC_CLIENT_ID et OIDC_CLIENT_SECRET vont ensemble/],
    [{ TERRITOIRE_URL_PUBLIQUE: "region.fr" }, /TERRITOIRE_URL_PUBLIQUE "region.fr" n'est pas une URL valide/],
    [{ TERRITOIRE_LIMITE_IP: "0" }, /TERRITOIRE_LIMITE_IP "0" doit être un entier positif/],
    [{ TERRITOIRE_PROCESSUS: "0" }, /TERRITOIRE_PROCESSUS "0" doit être un entier de 1 à 64, ou auto/],
    [{ TERRITOIRE_PROCESSUS: "beaucoup" }, /TERRITOIRE_PROCESSUS "beaucoup"/],
  ])("refuse %j avec une explication d'une ligne", (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
    try {
      loadConfig(env);
    } catch (error) {
      expect((error as Error).message).not.toContain("\n");
    }
  });

  it("active le mode démo par défaut et lit OpenID Connect, SMTP et l'adresse publique", () => {
    expect(loadConfig({}).demo).toBe(true);
    expect(loadConfig({}).demoAddresses).toBe(true);
    expect(loadConfig({ TERRITOIRE_REGION: "53" }).demoAddresses).toBe(false);
    expect(loadConfig({ TERRITOIRE_DEMO: "non" }).demoAddresses).toBe(false);
    expect(loadConfig({ TERRITOIRE_DEMO_ADRESSES: "non" }).demoAddresses).toBe(false);
    expect(loadConfig({}).demoThd).toBe(true);
    expect(loadConfig({ TERRITOIRE_REGION: "53" }).demoThd).toBe(false);
    expect(loadConfig({ TERRITOIRE_DEMO_THD: "non" }).demoThd).toBe(false);
    expect(loadConfig({}).demoThdImmeubles).toBe(true);
    expect(loadConfig({ TERRITOIRE_DEMO_THD_IMMEUBLES: "non" }).demoThdImmeubles).toBe(false);
    expect(loadConfig({ TERRITOIRE_DEMO: "non" }).demo).toBe(false);
    expect(loadConfig({ PORT: "8080" }).publicUrl).toBe("http://localhost:8080");
    const config = loadConfig({
      TERRITOIRE_URL_PUBLIQUE: "https://numerique.region.fr/",
      SMTP_URL: "smtps://user:pass@mail.region.fr:465",
      OIDC_ISSUER: "https://proconnect.example/api/v2",
      OIDC_CLIENT_ID: "client",
      OIDC_CLIENT_SECRET: "secret",
    });
    expect(config.publicUrl).toBe("https://numerique.region.fr");
    expect(config.smtpUrl).toBe("smtps://user:pass@mail.region.fr:465");
    expect(config.oidc).toEqual({
      issuer: "https://proconnect.example/api/v2",
      clientId: "client",
      clientSecret: "secret",
      label: "ProConnect",
    });
  });

  it("sert par un seul processus par défaut, ou autant que demandé, ou un par cœur avec auto", () => {
    expect(loadConfig({}).processes).toBe(1);
    expect(loadConfig({ TERRITOIRE_PROCESSUS: "4" }).processes).toBe(4);
    expect(parseProcesses("auto", 2)).toBe(2);
    expect(parseProcesses("auto", 16)).toBe(16);
  });

  it("ne montre jamais le mot de passe de la base dans un message", () => {
    expect(() => loadConfig({ DATABASE_URL: "mongodb://admin:motdepasse@h/db" })).toThrow(/admin:\*\*\*@/);
    expect(() => loadConfig({ DATABASE_URL: "mongodb://admin:motdepasse@h/db" })).not.toThrow(/motdepasse/);
  });

  it("lit les objectifs THD du plan (60 % en 2020, 100 % en 2025 par défaut) et refuse un format faux", () => {
    expect(loadConfig({}).objectifsThd).toEqual([
      { annee: 2020, part: 60 },
      { annee: 2025, part: 100 },
    ]);
    expect(loadConfig({ TERRITOIRE_OBJECTIFS_THD: "2030:100, 2022:75.5" }).objectifsThd).toEqual([
      { annee: 2022, part: 75.5 },
      { annee: 2030, part: 100 },
    ]);
    for (const bad of ["2020", "2020:160", "20:60", "2020:60;2025:100", "2020:60,2020:70"]) {
      expect(() => loadConfig({ TERRITOIRE_OBJECTIFS_THD: bad }), bad).toThrow(/TERRITOIRE_OBJECTIFS_THD/);
    }
  });

  it("calcule le contraste WCAG avec le blanc", () => {
    expect(contrastWithWhite("#000000")).toBeCloseTo(21, 0);
    expect(contrastWithWhite("#ffffff")).toBeCloseTo(1, 5);
    expect(contrastWithWhite("#1d5a6c")).toBeGreaterThan(4.5);
  });
});
