import { randomBytes } from "node:crypto";
import pg from "pg";
import { type Database, openDatabase } from "./client.ts";
import { migrateDatabase } from "./migrate.ts";

/** Which engine the database tests run on: set per Vitest project (pglite | postgres). */
export const testDriver = (process.env.HOMEPOT_TEST_DB ?? "pglite") as "pglite" | "postgres";
export const testPgAdminUrl = process.env.HOMEPOT_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
/** Set by the global setup of the postgres project (one template per run). */
export const DEFAULT_TEMPLATE_DB = "homepot_test_template";
const templateDb = () => process.env.HOMEPOT_TEST_PG_TEMPLATE ?? DEFAULT_TEMPLATE_DB;

export function databaseUrlFor(adminUrl: string, name: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Creates the migrated template every PostgreSQL test database is cloned from (global setup). */
export async function prepareTemplate(adminUrl = testPgAdminUrl, template = DEFAULT_TEMPLATE_DB): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${template}`);
  } finally {
    await admin.end();
  }
  const database = await openDatabase({ databaseUrl: databaseUrlFor(adminUrl, template), poolSize: 1 });
  try {
    await migrateDatabase(database);
  } finally {
    await database.close();
  }
}

export interface TestDatabase extends Database {
  /** postgres:// URL of this database (PostgreSQL driver only), for a second server instance. */
  url?: string;
}

/** A fresh, migrated, empty database of the driver under test; close() removes it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (testDriver === "pglite") {
    const database = await openDatabase({ dataDir: "memory://" });
    await migrateDatabase(database);
    return database;
  }
  const name = `homepot_t_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: testPgAdminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${templateDb()}`);
  } finally {
    await admin.end();
  }
  const url = databaseUrlFor(testPgAdminUrl, name);
  const database = await openDatabase({ databaseUrl: url, poolSize: 5 });
  return {
    ...database,
    url,
    async close() {
      await database.close();
      const drop = new pg.Client({ connectionString: testPgAdminUrl });
      await drop.connect();
      await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await drop.end();
    },
  };
}
