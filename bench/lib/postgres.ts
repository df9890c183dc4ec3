import { randomBytes } from "node:crypto";
import { migrateDatabase, openDatabase } from "@homepot/db";
import { databaseUrlFor } from "@homepot/db/testing";
import pg from "pg";

export const benchPgAdminUrl =
  process.env.HOMEPOT_BENCH_PG_URL ?? process.env.HOMEPOT_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** A new, migrated PostgreSQL database; `drop()` removes it. */
export async function freshDatabase(
  adminUrl = benchPgAdminUrl,
  label = "bench",
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `homepot_${label.replace(/[^a-z0-9_]/gi, "_").toLowerCase()}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = databaseUrlFor(adminUrl, name);
  const database = await openDatabase({ databaseUrl: url, poolSize: 1 });
  try {
    await migrateDatabase(database);
  } finally {
    await database.close();
  }
  return {
    url,
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await c.end();
    },
  };
}
