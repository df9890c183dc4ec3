import {
  AppError,
  type Config,
  type Context,
  embeddedDbPassword,
  embeddedDbPasswordFile,
  loadConfig,
  pgliteDir,
  privateDir,
  systemContext,
} from "@homepot/core";
import { readLiveServerState } from "@homepot/core/server-state";
import { type Database, migrateDatabase, openDatabase } from "@homepot/db";
import { CliError } from "./cli-error.ts";

/**
 * Runs `work` as the system user "cli" on the CLI's database and closes it after; a use case's refusal (an AppError:
 * validation, conflict, not found) becomes a one-line CLI error (exit 1).
 */
export async function withCliContext<T>(work: (ctx: Context) => Promise<T>): Promise<T> {
  const database = await openCliDatabase(loadConfig());
  try {
    return await work(systemContext(database.db, "cli"));
  } catch (error) {
    if (error instanceof AppError) throw new CliError(error.message, 1);
    throw error;
  } finally {
    await database.close();
  }
}

export interface CliDatabase extends Database {
  /** Where the rows come from, for the first line of human output. */
  source: string;
}

/**
 * The database the CLI works on, found like the server finds it: DATABASE_URL when set; otherwise the
 * embedded database of HOMEPOT_DATA_DIR — through the running server's Postgres wire port when a server
 * holds it (PGlite allows one process), or opened directly when no server runs.
 */
export async function openCliDatabase(
  config: Config = loadConfig(),
  options: { migrate?: boolean } = {},
): Promise<CliDatabase> {
  if (config.databaseUrl) {
    const database = await openDatabase({ databaseUrl: config.databaseUrl, poolSize: 4 });
    if (options.migrate !== false) await migrateDatabase(database);
    return { ...database, source: `PostgreSQL ${redactUrl(config.databaseUrl)}` };
  }
  const live = readLiveServerState(config);
  if (live?.pgPort) {
    const database = await openDatabase({ databaseUrl: embeddedDatabaseUrl(config, live.pgPort), poolSize: 1 });
    return { ...database, source: `embedded database of the running server (pid ${live.pid}, port ${live.pgPort})` };
  }
  privateDir(config.dataDir);
  const database = await openDatabase({ dataDir: pgliteDir(config) });
  if (options.migrate !== false) await migrateDatabase(database);
  return { ...database, source: `embedded database in ${pgliteDir(config)}` };
}

/** The running server's wire port with its password (user postgres, database postgres). */
export function embeddedDatabaseUrl(config: Pick<Config, "dataDir">, port: number): string {
  let password: string;
  try {
    password = embeddedDbPassword(config);
  } catch (error) {
    throw new CliError(
      `cannot read the database password in ${embeddedDbPasswordFile(config)} (${(error as NodeJS.ErrnoException).code ?? "error"}): run as the server's user`,
      1,
    );
  }
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}
