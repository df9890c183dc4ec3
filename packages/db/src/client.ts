import { chmodSync, lstatSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import pg from "pg";
import * as schema from "./schema/index.ts";

export type Schema = typeof schema;
/** A database handle or an open transaction: every repository function accepts either. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export type DriverName = "pglite" | "postgres";

export interface Database {
  db: Db;
  driver: DriverName;
  /** The embedded engine, when the driver is PGlite (to expose it on a socket). */
  pglite?: PGlite;
  /** The node-postgres pool, when the driver is PostgreSQL (for pool metrics and COPY). */
  pool?: pg.Pool;
  /** The server's URL, when the driver is PostgreSQL (for another process to open the same database). */
  url?: string;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres://… for a PostgreSQL server; otherwise the embedded database is used. */
  databaseUrl?: string | undefined;
  /** Folder of the embedded database; `memory://` keeps it in memory (tests). */
  dataDir?: string | undefined;
  poolSize?: number;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  return openPglite(options.dataDir ?? "memory://");
}

function openPostgres(url: string, max: number): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    // Fail a query instead of hanging when the server is unreachable.
    query_timeout: 30_000,
    options: "-c timezone=UTC",
  });
  // A dropped idle connection must not crash the process; the pool replaces it.
  pool.on("error", () => {});
  const db = drizzleNodePg(pool, { schema }) as unknown as Db;
  return {
    db,
    driver: "postgres",
    pool,
    url,
    async ping() {
      await pool.query("select 1");
    },
    async close() {
      await pool.end();
    },
  };
}

async function openPglite(dataDir: string): Promise<Database> {
  const onDisk = !dataDir.startsWith("memory://");
  let client: PGlite;
  if (onDisk) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    privateTree(dataDir);
    // New folders of the first start (initdb) are born 0700; PGlite sets its files 0666 itself whatever the
    // umask, so privateTree fixes those, and the 0700 folder keeps files created later unreachable meanwhile.
    const umask = process.umask(0o077);
    try {
      client = await PGlite.create(dataDir);
    } finally {
      process.umask(umask);
    }
    privateTree(dataDir);
  } else {
    client = await PGlite.create(dataDir);
  }
  await client.exec("SET TIME ZONE 'UTC'");
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  let closed = false;
  return {
    db,
    driver: "pglite",
    pglite: client,
    async ping() {
      if (closed) throw new Error("database closed");
      await db.execute(sql`select 1`);
    },
    async close() {
      if (closed) return;
      closed = true;
      await client.close();
      if (onDisk) privateTree(dataDir);
    },
  };
}

/** The embedded database's files are the owner's alone: folders 0700, files 0600 (symlinks left as they are). */
export function privateTree(dir: string): void {
  chmodSync(dir, 0o700);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) privateTree(path);
    else if (entry.isFile() && (lstatSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  }
}
