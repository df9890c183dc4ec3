/** Shared by the browser tests: a built dashboard, a real server process on free ports, and a polling wait. */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const CHROMIUM = "/usr/bin/chromium";
export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"];

/** Whether Chromium is installed; in CI its absence is a failure, never a silent skip. */
export function haveChromium(): boolean {
  const found = existsSync(CHROMIUM);
  if (!found && process.env.CI)
    throw new Error(`CI: ${CHROMIUM} is missing (apt-get install chromium); the browser tests cannot be skipped`);
  if (!found) console.warn(`\n[homepot] ${CHROMIUM} not found: browser tests skipped (apt-get install -y chromium)\n`);
  return found;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `fn` until it returns something truthy. */
export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
  everyMs = 500,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}

/** Builds apps/web/dist as `npm start` does; NODE_ENV=production (vitest's "test" would give development React). */
export function buildDashboard(): void {
  execFileSync("npm", ["run", "build", "-w", "@homepot/web"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, NODE_ENV: "production" },
  });
}

export interface RunningServer {
  base: string;
  /** The embedded database's PostgreSQL wire port (HOMEPOT_PG_PORT). */
  pgPort: number;
  log(): string;
  stop(): Promise<void>;
}

/** `apps/server/bin/homepot-server.js` on a temp data dir and free ports, answering /health. */
export async function startServer(env: Record<string, string>): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "homepot-browser-"));
  const port = await freePort();
  const pgPort = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let log = "";
  const server: ChildProcess = spawn(process.execPath, ["apps/server/bin/homepot-server.js"], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "test",
      HOST: "127.0.0.1",
      PORT: String(port),
      HOMEPOT_PG_PORT: String(pgPort),
      HOMEPOT_DATA_DIR: dataDir,
      DATABASE_URL: "",
      MQTT_URL: "",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout?.on("data", (d: Buffer) => (log += d.toString()));
  server.stderr?.on("data", (d: Buffer) => (log += d.toString()));
  await waitFor(
    "the server to answer /health",
    async () => {
      if (server.exitCode !== null) throw new Error(`server exited ${server.exitCode}:\n${log.slice(-3000)}`);
      return (await fetch(`${base}/health`)).ok;
    },
    90_000,
  );
  return {
    base,
    pgPort,
    log: () => log,
    async stop() {
      if (server.exitCode === null) {
        server.kill("SIGTERM");
        await new Promise((r) => server.once("exit", r));
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
