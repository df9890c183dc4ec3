import { hash } from "node:crypto";
import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import pg from "pg";
import type { Db } from "./client.ts";

const dialect = new PgDialect();

/**
 * Runs a write whose SQL text is the same on every call (only its parameters change) as a named prepared statement
 * on PostgreSQL: each pooled connection parses it once and, after a few runs, reuses a generic plan, instead of
 * parsing and planning it on every call (for the group-committed telemetry insert, a CTE of four parts, that was
 * about a millisecond of server CPU per statement, more than the rows of a small batch cost). The name carries a
 * hash of the text, so different texts never share a name. A transaction, and PGlite, run it as a plain statement.
 */
export async function executePrepared(db: Db, name: string, query: SQL): Promise<void> {
  const client = (db as { $client?: unknown }).$client;
  if (!(client instanceof pg.Pool)) {
    await db.execute(query);
    return;
  }
  const { sql: text, params } = dialect.sqlToQuery(query);
  await client.query({ name: `${name}_${hash("sha1", text).slice(0, 12)}`, text, values: params });
}
