import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import type { Config } from "@homepot/core";
import { serverStateFile } from "@homepot/core";
import type { Database } from "@homepot/db";

export interface ServerState {
  pid: number;
  http: string;
  pgPort: number | null;
  startedAt: string;
}

/** The state file of a live server using this data dir, or undefined (a stale file is ignored). */
export function readLiveServerState(config: Pick<Config, "dataDir">): ServerState | undefined {
  const file = serverStateFile(config);
  if (!existsSync(file)) return undefined;
  try {
    const state = JSON.parse(readFileSync(file, "utf8")) as ServerState;
    process.kill(state.pid, 0);
    return state;
  } catch {
    return undefined;
  }
}

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
  const state: ServerState = { pid: process.pid, http: httpUrl, pgPort, startedAt: new Date().toISOString() };
  writeFileSync(serverStateFile(config), JSON.stringify(state, null, 2));
  return {
    pgPort,
    async stop() {
      rmSync(serverStateFile(config), { force: true });
      await socket?.stop();
    },
  };
}
