import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { migrate as migrateNodePg } from "drizzle-orm/node-postgres/migrator";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import type { Database, Db } from "./client.ts";

export const migrationsFolder = fileURLToPath(new URL("../migrations", import.meta.url));

// Any constant: serialises migrations when several server instances start on one PostgreSQL.
const MIGRATION_LOCK = 725_001;

/** Applies the committed migrations (forward only); the same files serve PGlite and PostgreSQL. */
export async function migrateDatabase(database: Database): Promise<void> {
  if (database.driver === "pglite") {
    // biome-ignore lint/suspicious/noExplicitAny: the two drizzle flavours share no migrator type
    await migratePglite(database.db as any, { migrationsFolder });
    await updateStatistics(database.db);
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
  await updateStatistics(database.db);
}

/**
 * Refreshes the planner's statistics (ANALYZE samples each table, so it stays cheap on large ones). PGlite
 * has no autovacuum: without this its planner believes every table holds a handful of rows and picks plans
 * that re-read a whole table per row once it holds a day of data. On PostgreSQL autovacuum does it too;
 * running it after migrations gives new tables and indexes statistics at once.
 */
export async function updateStatistics(db: Db): Promise<void> {
  // Our tables only: a bare ANALYZE also walks the system catalogs (ten times slower on PGlite).
  const result = await db.execute(sql`
    select format('%I.%I', n.nspname, c.relname) as name
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema')
      and n.nspname not like 'pg\_%'`);
  const names = (result as unknown as { rows: { name: string }[] }).rows.map((r) => r.name);
  if (names.length > 0) await db.execute(sql.raw(`analyze ${names.join(", ")}`));
}
