import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe } from "vitest";
import type { DatabaseConfig } from "../config/config.ts";
import { type AppDatabase, type Dialect, type OpenedDatabase, openDatabase } from "../db/database.ts";
import { migrateToLatest } from "../db/migrator.ts";

/**
 * The PostgreSQL server the tests may use: DATABASE_URL when it names one. Each suite gets a
 * database of its own on that server, created empty and dropped afterwards.
 */
export function postgresServerUrl(): string | undefined {
  const url = process.env.DATABASE_URL;
  return url?.startsWith("postgres://") || url?.startsWith("postgresql://") ? url : undefined;
}

export function testDialects(): Dialect[] {
  if (postgresServerUrl()) return ["sqlite", "postgres"];
  // CI must exercise PostgreSQL: a skipped half of the matrix would pass silently.
  if (process.env.CI === "true") throw new Error("CI=true mais DATABASE_URL ne désigne pas un serveur PostgreSQL");
  return ["sqlite"];
}

export interface ScratchDatabase {
  config: DatabaseConfig;
  drop(): Promise<void>;
}

/** Creates an empty database: a fresh SQLite file, or a new database on the PostgreSQL server. */
export async function createScratchDatabase(dialect: Dialect): Promise<ScratchDatabase> {
  const name = `tn_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  if (dialect === "sqlite") {
    const filename = path.join(tmpdir(), `${name}.db`);
    return {
      config: { dialect: "sqlite", filename },
      async drop() {
        for (const suffix of ["", "-wal", "-shm"]) rmSync(`${filename}${suffix}`, { force: true });
      },
    };
  }
  const serverUrl = postgresServerUrl();
  if (!serverUrl) throw new Error("Pas de serveur PostgreSQL (DATABASE_URL)");
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    config: { dialect: "postgres", connectionString: url.toString() },
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

export interface DatabaseTestContext {
  readonly dialect: Dialect;
  readonly config: DatabaseConfig;
  readonly db: AppDatabase;
  readonly opened: OpenedDatabase;
}

/**
 * Runs the same suite on every test database (SQLite always, PostgreSQL when DATABASE_URL names
 * one), each on a fresh migrated database. Suite names end with the dialect, e.g. `[postgres]`, so
 * that CI can check that the PostgreSQL half ran.
 */
export function describeEachDatabase(name: string, suite: (ctx: DatabaseTestContext) => void): void {
  for (const dialect of testDialects()) {
    describe(`${name} [${dialect}]`, () => {
      let scratch: ScratchDatabase | undefined;
      let opened: OpenedDatabase | undefined;
      const ctx: DatabaseTestContext = {
        dialect,
        get config() {
          if (!scratch) throw new Error("base de test pas encore créée");
          return scratch.config;
        },
        get db() {
          if (!opened) throw new Error("base de test pas encore ouverte");
          return opened.db;
        },
        get opened() {
          if (!opened) throw new Error("base de test pas encore ouverte");
          return opened;
        },
      };
      beforeAll(async () => {
        scratch = await createScratchDatabase(dialect);
        opened = openDatabase(scratch.config);
        await migrateToLatest(opened.db);
      });
      afterAll(async () => {
        await opened?.close();
        await scratch?.drop();
      });
      suite(ctx);
    });
  }
}
