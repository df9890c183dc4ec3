import { mkdtempSync, rmSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import type { Config } from "@homepot/core";
import { embeddedDbPassword, serverStateFile } from "@homepot/core";
import { writeServerState } from "@homepot/core/server-state";
import type { Database } from "@homepot/db";
import { PasswordGate } from "./pg-password-gate.ts";

/**
 * Exposes the embedded database on a local Postgres wire port (psql, the CLI) behind a password, and records
 * the port in the data dir's server.json. PGlite is single-connection and its socket server trusts every
 * client, so that server listens only on a Unix socket in a private (0700) temporary folder, and the public
 * port is a PasswordGate: user `postgres`, the password generated once into `<data dir>/pg-password` (0600,
 * shown by `homepot db url`), SCRAM-SHA-256.
 */
export async function exposeEmbeddedDatabase(config: Config, database: Database, httpUrl: string) {
  let socket: PGLiteSocketServer | undefined;
  let gate: PasswordGate | undefined;
  let socketDir: string | undefined;
  let pgPort: number | null = null;
  if (database.pglite) {
    socketDir = mkdtempSync(join(tmpdir(), "homepot-pg-"));
    const path = join(socketDir, "pglite.sock");
    socket = new PGLiteSocketServer({ db: database.pglite, path, maxConnections: 16 });
    gate = new PasswordGate({
      host: "127.0.0.1",
      port: config.pgPort,
      user: "postgres",
      password: embeddedDbPassword(config),
      connectBackend: () => createConnection(path),
    });
    try {
      await socket.start();
      pgPort = await gate.start();
    } catch (error) {
      await socket.stop().catch(() => {});
      rmSync(socketDir, { recursive: true, force: true });
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
      await gate?.stop();
      await socket?.stop();
      if (socketDir) rmSync(socketDir, { recursive: true, force: true });
    },
  };
}
