import { rmSync } from "node:fs";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import type { Config } from "@homepot/core";
import { serverStateFile } from "@homepot/core";
import { writeServerState } from "@homepot/core/server-state";
import type { Database } from "@homepot/db";

/**
 * Exposes the embedded database on a local Postgres wire port (psql, the CLI), and records it in
 * the data dir's server.json. PGlite is single-connection; the socket server multiplexes clients.
 */
export async function exposeEmbeddedDatabase(config: Config, database: Database, httpUrl: string) {
  let socket: PGLiteSocketServer | undefined;
  let pgPort: number | null = null;
  if (database.pglite) {
    socket = new PGLiteSocketServer({
      db: database.pglite,
      host: "127.0.0.1",
      port: config.pgPort,
      maxConnections: 16,
    });
    try {
      await socket.start();
      pgPort = config.pgPort;
    } catch (error) {
      socket = undefined;
      throw new Error(
        `cannot expose the embedded database on 127.0.0.1:${config.pgPort} (HOMEPOT_PG_PORT): ${(error as Error).message}`,
      );
    }
  }
  writeServerState(config, { pid: process.pid, http: httpUrl, pgPort, startedAt: new Date().toISOString() });
  return {
    pgPort,
    async stop() {
      rmSync(serverStateFile(config), { force: true });
      await socket?.stop();
    },
  };
}
