import {
  type Config,
  ConfigError,
  ensureAdmin,
  loadConfig,
  pgliteDir,
  privateDir,
  recordAudit,
  silentLogger,
  systemActor,
  systemClock,
} from "@homepot/core";
import { readLiveServerState } from "@homepot/core/server-state";
import { migrateDatabase, openDatabase } from "@homepot/db";
import { buildApp } from "./app.ts";
import { backgroundTasks } from "./background.ts";
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
  const app = await buildApp({ config, database });
  const ctx = { db: database.db, actor: systemActor, clock: systemClock, logger: app.log ?? silentLogger };

  if (config.adminEmail && config.adminPassword) {
    const { created } = await ensureAdmin(ctx, config.adminEmail, config.adminPassword);
    if (created) app.log.info({ email: config.adminEmail }, "bootstrap admin created");
  }

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
      await database.close();
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, "unclean shutdown");
      process.exit(1);
    }
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
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
