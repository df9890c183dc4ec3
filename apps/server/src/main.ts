import {
  type Config,
  ConfigError,
  ensureAdmin,
  loadConfig,
  pgliteDir,
  privateDir,
  recordAudit,
  signupAvailability,
  silentLogger,
  systemContext,
} from "@homepot/core";
import { readLiveServerState } from "@homepot/core/server-state";
import { migrateDatabase, openDatabase } from "@homepot/db";
import { buildApp } from "./app.ts";
import { backgroundTasks } from "./background.ts";
import { prettyLogStream, prettyLogs, shutdownSummary, startupSummary } from "./console-output.ts";
import { exposeEmbeddedDatabase } from "./embedded-socket.ts";

async function main(config: Config): Promise<void> {
  if (!config.databaseUrl) {
    const live = readLiveServerState(config);
    if (live)
      throw new ConfigError(
        `another HOMEPOT server (pid ${live.pid}) is using ${config.dataDir}; stop it or set HOMEPOT_DATA_DIR`,
      );
  }
  // The data dir holds the secrets and the embedded database: the server's user alone may enter it.
  privateDir(config.dataDir);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: pgliteDir(config) });
  await migrateDatabase(database);
  // The replica follows the primary's migrations through replication; it is never migrated itself.
  const readDatabase = config.databaseReadUrl ? await openDatabase({ databaseUrl: config.databaseReadUrl }) : undefined;
  const pretty = prettyLogs(config.logFormat, process.stdout.isTTY === true);
  const app = await buildApp(
    { config, database, readDatabase },
    pretty ? { logStream: prettyLogStream(process.stdout) } : {},
  );
  const ctx = systemContext(database.db, "system", { logger: app.log ?? silentLogger });

  if (config.adminEmail && config.adminPassword) {
    const resetPassword = config.resetAdminPassword || process.argv.includes("--reset-admin-password");
    const { outcome } = await ensureAdmin(ctx, config.adminEmail, config.adminPassword, { resetPassword });
    if (outcome !== "unchanged") app.log.warn({ email: config.adminEmail, outcome }, `bootstrap admin: ${outcome}`);
  }
  const access = await signupAvailability(ctx, { mode: config.signup, firstSignupAdmin: config.firstSignupAdmin });
  if (!access.has_admin) app.log.warn({ signup: config.signup }, noAdminHint(access.first_signup_admin));

  const address = await app.listen({ port: config.port, host: config.host });
  const exposed = await exposeEmbeddedDatabase(config, database, address);
  await recordAudit(ctx, {
    eventType: "system_startup",
    description: "HOMEPOT server started successfully",
    metadata: {
      pid: process.pid,
      address,
      driver: database.driver,
      pg_port: exposed.pgPort,
      simulator: config.simulator,
    },
  });

  const tasks = backgroundTasks(app);
  for (const task of tasks) await task.start(app);
  app.log.info(
    { address, dashboard: `${address}/`, docs: `${address}/docs`, database: database.driver, pgPort: exposed.pgPort },
    `HOMEPOT listening on ${address}`,
  );
  process.stderr.write(
    `${startupSummary({
      address,
      dataDir: config.dataDir,
      driver: database.driver,
      pgPort: exposed.pgPort ?? null,
      adminEmail: config.adminPassword ? config.adminEmail : undefined,
      hasAdmin: access.has_admin,
      noAdminHint: noAdminHint(access.first_signup_admin),
      prettyLogs: pretty,
    })}\n`,
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, "shutting down");
    const hardStop = setTimeout(() => process.exit(1), 15_000);
    hardStop.unref();
    try {
      for (const task of [...tasks].reverse()) await task.stop();
      await app.close(); // drains in-flight requests, then flushes buffered request logs
      await recordAudit(ctx, {
        eventType: "system_shutdown",
        description: `HOMEPOT server stopped (${signal})`,
        metadata: { pid: process.pid },
      });
      await exposed.stop();
      await readDatabase?.close();
      await database.close();
      process.stderr.write(`${shutdownSummary(signal, true)}\n`);
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, "unclean shutdown");
      process.stderr.write(`${shutdownSummary(signal, false)}\n`);
      process.exit(1);
    }
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

/** How to get the first admin, for the start-up log of a server that has none. */
function noAdminHint(firstSignupAdmin: boolean): string {
  if (firstSignupAdmin)
    return "No admin yet: the first account signed up on the dashboard becomes admin (HOMEPOT_FIRST_SIGNUP_ADMIN=on).";
  return (
    "No admin yet. Create one: set HOMEPOT_ADMIN_EMAIL and HOMEPOT_ADMIN_PASSWORD and restart, or run " +
    "`npx homepot user create --email you@example.com --role admin` (asks for the password), or start once with " +
    "HOMEPOT_FIRST_SIGNUP_ADMIN=on to make the first sign-up admin."
  );
}

try {
  await main(loadConfig());
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  console.error("HOMEPOT failed to start:", error instanceof Error ? error.message : error);
  process.exit(1);
}
