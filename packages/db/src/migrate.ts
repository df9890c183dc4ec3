import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { migrate as migrateNodePg } from "drizzle-orm/node-postgres/migrator";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import type { Database } from "./client.ts";

export const migrationsFolder = fileURLToPath(new URL("../migrations", import.meta.url));

// Any constant: serialises migrations when several server instances start on one PostgreSQL.
const MIGRATION_LOCK = 725_001;

/** Applies the committed migrations (forward only); the same files serve PGlite and PostgreSQL. */
export async function migrateDatabase(database: Database): Promise<void> {
  if (database.driver === "pglite") {
    // biome-ignore lint/suspicious/noExplicitAny: the two drizzle flavours share no migrator type
    await migratePglite(database.db as any, { migrationsFolder });
    return;
  }
  const pool = database.pool;
  if (!pool) throw new Error("postgres driver without a pool");
  const client = await pool.connect();
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
    const { drizzle } = await import("drizzle-orm/node-postgres");
    await migrateNodePg(drizzle(client), { migrationsFolder });
  } finally {
    await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
  await database.db.execute(sql`select 1`);
}
