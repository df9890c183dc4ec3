import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SERVER_NODE_FLAGS } from "./node-flags.ts";

/** Helpers for e2e tests that run the real server (and CLI) as child processes. */

export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** A TCP port free right now on 127.0.0.1 (never 8000/5433, which the product may use). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  proc: ChildProcess;
  url: string;
  env: Record<string, string>;
  dataDir: string;
  output(): string;
  /** Sends `signal` and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** The env of a test server: temp data dir, free ports, no simulator unless asked, quiet logs. */
export async function serverEnv(extra: Record<string, string> = {}): Promise<Record<string, string>> {
  return {
    HOST: "127.0.0.1",
    PORT: String(await freePort()),
    HOMEPOT_PG_PORT: String(await freePort()),
    HOMEPOT_DATA_DIR: mkdtempSync(join(tmpdir(), "homepot-e2e-")),
    HOMEPOT_SIMULATOR: "off",
    HOMEPOT_LOG_LEVEL: "warn",
    JWT_SECRET: "e2e-secret-e2e-secret-e2e-secret-012345",
    ...extra,
  };
}

/** Starts `homepot-server` and waits until /health answers (and server.json exists on the embedded DB). */
export async function startServer(env: Record<string, string>, timeoutMs = 60_000): Promise<ServerProcess> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  const proc = spawn(process.execPath, [...SERVER_NODE_FLAGS, join(repoRoot, "apps/server/bin/homepot-server.js")], {
    cwd: repoRoot,
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  proc.stdout?.on("data", (d) => (output += String(d)));
  proc.stderr?.on("data", (d) => (output += String(d)));
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${env.PORT}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited (${proc.exitCode}) during start:\n${output}`);
    if (Date.now() > deadline) {
      proc.kill("SIGKILL");
      throw new Error(`server did not start within ${timeoutMs} ms:\n${output}`);
    }
    const up = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    const stateReady = env.DATABASE_URL || existsSync(join(env.HOMEPOT_DATA_DIR ?? "", "server.json"));
    if (up && stateReady) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    proc,
    url,
    env,
    dataDir: env.HOMEPOT_DATA_DIR ?? "",
    output: () => output,
    async stop(signal: NodeJS.Signals = "SIGTERM") {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      proc.kill(signal);
      return exited;
    },
  };
}

/** Runs the CLI as a child process (as `npx homepot` would) with `env`. */
export function runCliProcess(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
    if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
    const proc = spawn(process.execPath, [join(repoRoot, "apps/cli/bin/homepot.js"), ...args], {
      cwd: repoRoot,
      env: childEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    proc.stdout.on("data", (d) => (stdout += String(d)));
    proc.stderr.on("data", (d) => (stderr += String(d)));
    proc.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

export function readServerState(dataDir: string): { pid: number; pgPort: number | null } | undefined {
  const file = join(dataDir, "server.json");
  return existsSync(file)
    ? (JSON.parse(readFileSync(file, "utf8")) as { pid: number; pgPort: number | null })
    : undefined;
}

/** The running server's embedded database over its wire port, with the password from the data dir. */
export function embeddedDbUrl(dataDir: string): string {
  const port = readServerState(dataDir)?.pgPort;
  if (!port) throw new Error(`no server.json with a wire port in ${dataDir}`);
  const password = readFileSync(join(dataDir, "pg-password"), "utf8").trim();
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
}

/** An empty PostgreSQL database for a server process (it migrates at start); drop() removes it. */
export async function scratchPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const { default: pg } = await import("pg");
  const { randomBytes } = await import("node:crypto");
  const { testPgAdminUrl, databaseUrlFor } = await import("@homepot/db/testing");
  const name = `homepot_e2e_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: testPgAdminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    url: databaseUrlFor(testPgAdminUrl, name),
    async drop() {
      const c = new pg.Client({ connectionString: testPgAdminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await c.end();
    },
  };
}
