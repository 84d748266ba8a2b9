import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";

/** Where the data lives: an embedded SQLite file or a PostgreSQL server. */
export type DatabaseConfig =
  | { dialect: "sqlite"; filename: string }
  | { dialect: "postgres"; connectionString: string };

/** The visual identity of the deployment: the Région's colours and logo. */
export interface IdentityConfig {
  platformName: string;
  primaryColor: string;
  accentColor: string;
  /** Absolute path of an SVG or PNG file, or null for the built-in mark. */
  logoFile: string | null;
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Label of the sign-in button, e.g. « ProConnect ». */
  label: string;
}

export interface AppConfig {
  database: DatabaseConfig;
  port: number;
  host: string;
  /** INSEE code of the région the platform serves. */
  region: string;
  identity: IdentityConfig;
  /** Directory of the built web front end (served at /). */
  webDistDir: string;
  /** Demo mode: demo accounts (with public passwords) and simulated data. Off in production. */
  demo: boolean;
  /** Generate and import the demo addresses on first start (demo mode, Normandy, by default). */
  demoAddresses: boolean;
  /** Generate and import the simulated THD demo on first start (demo mode, Normandy, by default). */
  demoThd: boolean;
  /** With the THD demo, also load its 2025T4 per-building files (the slow part of the first start). */
  demoThdImmeubles: boolean;
  /** Address at which people reach the platform, for links in e-mails and OpenID Connect. */
  publicUrl: string;
  /** smtp://… or smtps://…; without it, outgoing mail goes to the outbox table. */
  smtpUrl: string | null;
  mailFrom: string;
  oidc: OidcConfig | null;
  /** Behind a reverse proxy or load balancer: trust X-Forwarded-For/-Proto for the client address and HTTPS. */
  behindProxy: boolean;
  /** Requests per minute allowed per IP address, and per API key. */
  rateLimit: { perIp: number; perKey: number };
  /** Multi-site eligibility batches accepted per hour, per IP address and per API key (eligibilite:lire). */
  batchJobsPerHour: { perIp: number; perKey: number };
  /** THD (≥ 30 Mbit/s) targets of the plan: share of premises (%) to reach by the end of each year. */
  objectifsThd: ObjectifThd[];
  /** Server processes sharing the port (node:cluster); 1 = a single process. */
  processes: number;
}

export interface ObjectifThd {
  annee: number;
  part: number;
}

/** The plan's targets: 60 % of Normans with THD by 2020, 100 % by 2025. */
export const DEFAULT_OBJECTIFS_THD = "2020:60,2025:100";

/** A configuration value that cannot be used; its message is one line meant for the operator. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

export const DEFAULT_DATABASE_URL = "sqlite:./data/territoire.db";
export const DEFAULT_REGION = "28";

// Région codes of the current COG (metropolitan and overseas). Kept here rather than read from the
// COG package so that a typo stops the start before anything is opened.
const REGION_CODES = new Set([
  "01",
  "02",
  "03",
  "04",
  "06",
  "11",
  "24",
  "27",
  "28",
  "32",
  "44",
  "52",
  "53",
  "75",
  "76",
  "84",
  "93",
  "94",
]);

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

export function parseDatabaseUrl(url: string, cwd = process.cwd()): DatabaseConfig {
  if (url.startsWith("sqlite:")) {
    const file = url.slice("sqlite:".length).replace(/^\/\/(?=\/)/, "");
    if (file === "")
      throw new ConfigError(`DATABASE_URL "${url}": chemin SQLite manquant (ex. sqlite:./data/territoire.db)`);
    if (file === ":memory:") return { dialect: "sqlite", filename: ":memory:" };
    return { dialect: "sqlite", filename: path.resolve(cwd, file) };
  }
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
    try {
      new URL(url);
    } catch {
      throw new ConfigError(`DATABASE_URL "${redactPassword(url)}" n'est pas une URL PostgreSQL valide`);
    }
    return { dialect: "postgres", connectionString: url };
  }
  throw new ConfigError(
    `DATABASE_URL "${redactPassword(url)}" non reconnue : attendu sqlite:<chemin> ou postgres://utilisateur@hôte:port/base`,
  );
}

function redactPassword(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, "$1***@");
}

function parsePort(value: string): number {
  if (!/^\d+$/.test(value)) throw new ConfigError(`PORT "${value}" doit être un entier entre 0 et 65535`);
  const port = Number(value);
  if (port > 65535) throw new ConfigError(`PORT "${value}" doit être un entier entre 0 et 65535`);
  return port;
}

function parseRegion(value: string): string {
  if (!REGION_CODES.has(value)) {
    throw new ConfigError(
      `TERRITOIRE_REGION "${value}" n'est pas un code INSEE de région (ex. 28 pour la Normandie, 53 pour la Bretagne)`,
    );
  }
  return value;
}

/** WCAG relative luminance of a #rrggbb colour. */
export function relativeLuminance(hex: string): number {
  const channel = (offset: number) => {
    const c = Number.parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

export function contrastWithWhite(hex: string): number {
  return 1.05 / (relativeLuminance(hex) + 0.05);
}

// The primary colour carries white text (header, buttons): refuse one that would fail WCAG AA.
function parseColor(name: string, value: string): string {
  if (!HEX_COLOR.test(value)) throw new ConfigError(`${name} "${value}" doit être une couleur #rrggbb`);
  const ratio = contrastWithWhite(value);
  if (ratio < 4.5) {
    throw new ConfigError(
      `${name} "${value}" : contraste ${ratio.toFixed(2)}:1 avec le texte blanc, il faut au moins 4.5:1 (RGAA / WCAG AA)`,
    );
  }
  return value.toLowerCase();
}

function parseLogo(value: string, cwd: string): string {
  const file = path.resolve(cwd, value);
  if (!/\.(svg|png)$/i.test(file))
    throw new ConfigError(`TERRITOIRE_LOGO "${value}" doit être un fichier .svg ou .png`);
  if (!existsSync(file)) throw new ConfigError(`TERRITOIRE_LOGO "${value}" : fichier introuvable`);
  return file;
}

function parseYesNo(name: string, value: string): boolean {
  if (/^(oui|true|1|yes)$/i.test(value)) return true;
  if (/^(non|false|0|no)$/i.test(value)) return false;
  throw new ConfigError(`${name} "${value}" doit valoir oui ou non`);
}

function parseUrl(name: string, value: string, protocols: string[]): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} "${redactPassword(value)}" n'est pas une URL valide`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(
      `${name} "${redactPassword(value)}" doit commencer par ${protocols.map((p) => `${p}//`).join(" ou ")}`,
    );
  }
  return value.replace(/\/$/, "");
}

/** TERRITOIRE_PROCESSUS: a number of processes (1–64), or `auto` for one per CPU core. */
export function parseProcesses(value: string, cores = availableParallelism()): number {
  if (value === "auto") return Math.max(1, cores);
  if (!/^\d{1,2}$/.test(value) || Number(value) < 1 || Number(value) > 64)
    throw new ConfigError(`TERRITOIRE_PROCESSUS "${value}" doit être un entier de 1 à 64, ou auto (un par cœur)`);
  return Number(value);
}

function parsePositiveInteger(name: string, value: string): number {
  if (!/^\d{1,7}$/.test(value) || Number(value) === 0)
    throw new ConfigError(`${name} "${value}" doit être un entier positif`);
  return Number(value);
}

export function parseObjectifsThd(value: string): ObjectifThd[] {
  const objectifs = value.split(",").map((item) => {
    const match = /^\s*(\d{4})\s*:\s*(\d{1,3}(?:\.\d+)?)\s*$/.exec(item);
    const annee = Number(match?.[1]);
    const part = Number(match?.[2]);
    if (!match || annee < 2000 || annee > 2100 || part <= 0 || part > 100) {
      throw new ConfigError(
        `TERRITOIRE_OBJECTIFS_THD "${value}" : attendu des paires année:part séparées par des virgules, ex. ${DEFAULT_OBJECTIFS_THD} (année 2000–2100, part de 0 à 100 %)`,
      );
    }
    return { annee, part };
  });
  if (new Set(objectifs.map((o) => o.annee)).size !== objectifs.length) {
    throw new ConfigError(`TERRITOIRE_OBJECTIFS_THD "${value}" : une année figure deux fois`);
  }
  return objectifs.sort((a, b) => a.annee - b.annee);
}

function parseOidc(value: (name: string) => string | undefined): OidcConfig | null {
  const issuer = value("OIDC_ISSUER");
  const clientId = value("OIDC_CLIENT_ID");
  const clientSecret = value("OIDC_CLIENT_SECRET");
  if (!issuer && !clientId && !clientSecret) return null;
  if (!issuer || !clientId || !clientSecret) {
    throw new ConfigError("OpenID Connect : OIDC_ISSUER, OIDC_CLIENT_ID et OIDC_CLIENT_SECRET vont ensemble");
  }
  return {
    issuer: parseUrl("OIDC_ISSUER", issuer, ["https:", "http:"]),
    clientId,
    clientSecret,
    label: value("OIDC_LIBELLE") ?? "ProConnect",
  };
}

const projectRoot = path.resolve(import.meta.dirname, "../../..");

/**
 * Reads the configuration from the environment. Every value is checked here, once, so that a bad
 * setting stops the start with a one-line explanation instead of failing later.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AppConfig {
  const value = (name: string) => {
    const v = env[name];
    return v === undefined || v.trim() === "" ? undefined : v.trim();
  };
  return {
    database: parseDatabaseUrl(value("DATABASE_URL") ?? DEFAULT_DATABASE_URL, cwd),
    port: parsePort(value("PORT") ?? "3000"),
    host: value("HOST") ?? "0.0.0.0",
    region: parseRegion(value("TERRITOIRE_REGION") ?? DEFAULT_REGION),
    identity: {
      platformName: value("TERRITOIRE_NOM") ?? "Territoire Numérique",
      primaryColor: parseColor("TERRITOIRE_COULEUR_PRIMAIRE", value("TERRITOIRE_COULEUR_PRIMAIRE") ?? "#1d5a6c"),
      accentColor: parseColor("TERRITOIRE_COULEUR_ACCENT", value("TERRITOIRE_COULEUR_ACCENT") ?? "#a3312c"),
      logoFile: value("TERRITOIRE_LOGO") ? parseLogo(value("TERRITOIRE_LOGO") as string, cwd) : null,
    },
    webDistDir: path.join(projectRoot, "web", "dist"),
    demo: parseYesNo("TERRITOIRE_DEMO", value("TERRITOIRE_DEMO") ?? "oui"),
    // The demo generator is calibrated on Normandy's ARCEP figures and polygons only.
    demoAddresses: parseYesNo(
      "TERRITOIRE_DEMO_ADRESSES",
      value("TERRITOIRE_DEMO_ADRESSES") ??
        (parseYesNo("TERRITOIRE_DEMO", value("TERRITOIRE_DEMO") ?? "oui") &&
        (value("TERRITOIRE_REGION") ?? DEFAULT_REGION) === "28"
          ? "oui"
          : "non"),
    ),
    // Calibrated on Normandy's ARCEP figures and the plan's table, like the demo addresses.
    demoThd: parseYesNo(
      "TERRITOIRE_DEMO_THD",
      value("TERRITOIRE_DEMO_THD") ??
        (parseYesNo("TERRITOIRE_DEMO", value("TERRITOIRE_DEMO") ?? "oui") &&
        (value("TERRITOIRE_REGION") ?? DEFAULT_REGION) === "28"
          ? "oui"
          : "non"),
    ),
    demoThdImmeubles: parseYesNo("TERRITOIRE_DEMO_THD_IMMEUBLES", value("TERRITOIRE_DEMO_THD_IMMEUBLES") ?? "oui"),
    publicUrl: parseUrl(
      "TERRITOIRE_URL_PUBLIQUE",
      value("TERRITOIRE_URL_PUBLIQUE") ?? `http://localhost:${value("PORT") ?? "3000"}`,
      ["https:", "http:"],
    ),
    smtpUrl: value("SMTP_URL") ? parseUrl("SMTP_URL", value("SMTP_URL") as string, ["smtp:", "smtps:"]) : null,
    mailFrom: value("COURRIEL_EXPEDITEUR") ?? "Territoire Numérique <ne-pas-repondre@territoire.local>",
    oidc: parseOidc(value),
    behindProxy: parseYesNo("TERRITOIRE_DERRIERE_PROXY", value("TERRITOIRE_DERRIERE_PROXY") ?? "non"),
    rateLimit: {
      perIp: parsePositiveInteger("TERRITOIRE_LIMITE_IP", value("TERRITOIRE_LIMITE_IP") ?? "600"),
      perKey: parsePositiveInteger("TERRITOIRE_LIMITE_CLE", value("TERRITOIRE_LIMITE_CLE") ?? "1200"),
    },
    batchJobsPerHour: {
      perIp: parsePositiveInteger("TERRITOIRE_LOTS_IP", value("TERRITOIRE_LOTS_IP") ?? "10"),
      perKey: parsePositiveInteger("TERRITOIRE_LOTS_CLE", value("TERRITOIRE_LOTS_CLE") ?? "100"),
    },
    objectifsThd: parseObjectifsThd(value("TERRITOIRE_OBJECTIFS_THD") ?? DEFAULT_OBJECTIFS_THD),
    processes: parseProcesses(value("TERRITOIRE_PROCESSUS") ?? "1"),
  };
}

export function describeDatabase(db: DatabaseConfig): string {
  return db.dialect === "sqlite" ? `SQLite (${db.filename})` : `PostgreSQL (${redactPassword(db.connectionString)})`;
}
