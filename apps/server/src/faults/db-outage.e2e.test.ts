import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, type ServerProcess, serverEnv, startServer } from "../testing-process.ts";

/**
 * PostgreSQL stopped during load. It runs on a throwaway cluster of its own (initdb under /tmp, a free
 * port), never the shared one: requests get 503 (no hang, no crash), /ready says so, the process stays
 * up, recovers by itself when the database returns, and an agent's queued samples then arrive.
 */
const asRoot = process.getuid?.() === 0;
function pgTool(tool: string, args: string[]): string {
  const [cmd, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", tool, ...args]] : [tool, args];
  return execFileSync(cmd, argv, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

let dir: string;
let port: number;
let server: ServerProcess;
const startCluster = () =>
  pgTool("pg_ctl", [
    "-D",
    join(dir, "data"),
    "-l",
    join(dir, "log"),
    "-w",
    "-t",
    "60",
    "-o",
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
    "start",
  ]);
const stopCluster = () => pgTool("pg_ctl", ["-D", join(dir, "data"), "-m", "fast", "-w", "stop"]);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "homepot-pgfault-"));
  chmodSync(dir, 0o777);
  port = await freePort();
  pgTool("initdb", ["-D", join(dir, "data"), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
  startCluster();
  const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
  await admin.connect();
  await admin.query("CREATE DATABASE homepot");
  await admin.end();
  server = await startServer(
    await serverEnv({
      DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/homepot`,
      HOMEPOT_ADMIN_EMAIL: "outage@example.com",
      HOMEPOT_ADMIN_PASSWORD: "outage-password",
    }),
  );
}, 120_000);

afterAll(async () => {
  await server?.stop("SIGKILL");
  try {
    pgTool("pg_ctl", ["-D", join(dir, "data"), "-m", "immediate", "-w", "stop"]);
  } catch {
    // already stopped
  }
  rmSync(dir, { recursive: true, force: true });
});

describe("PostgreSQL stopped during load", () => {
  it("answers 503 quickly, stays up, recovers by itself, and queued samples arrive", async () => {
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "outage@example.com", password: "outage-password" }),
    });
    const token = ((await login.json()) as { data: { access_token: string } }).data.access_token;
    const user = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    expect(
      (
        await fetch(`${server.url}/api/v1/sites`, {
          method: "POST",
          headers: user,
          body: JSON.stringify({ site_id: "site-out", name: "Outage" }),
        })
      ).status,
    ).toBe(201);
    const reg = await fetch(`${server.url}/api/v1/devices/sites/site-out/devices`, {
      method: "POST",
      headers: user,
      body: JSON.stringify({ device_id: "pos-terminal-out", name: "Out", device_type: "pos_terminal" }),
    });
    const key = String(((await reg.json()) as { api_key: string }).api_key);
    const device = { "x-device-id": "pos-terminal-out", "x-api-key": key, "content-type": "application/json" };

    // A minimal agent: samples queue up locally and leave only when the server acknowledged them.
    const queue: number[] = [];
    const delivered = new Set<number>();
    const statuses: number[] = [];
    let seq = 0;
    const flush = async () => {
      while (queue.length > 0) {
        const batch = queue.slice(0, 20);
        const res = await fetch(`${server.url}/api/v1/analytics/device-metrics`, {
          method: "POST",
          headers: device,
          body: JSON.stringify({
            samples: batch.map((n) => ({ cpu_percent: 10, transaction_count: n, extra_metrics: { seq: n } })),
          }),
          signal: AbortSignal.timeout(15_000),
        });
        statuses.push(res.status);
        await res.arrayBuffer();
        if (res.status !== 201) return;
        for (const n of batch) delivered.add(n);
        queue.splice(0, batch.length);
      }
    };
    const produce = async (count: number) => {
      for (let i = 0; i < count; i++) queue.push(++seq);
      await flush();
    };

    await produce(50);
    expect(delivered.size).toBe(50);

    stopCluster();
    // During the outage: 503 with a {detail} (never a hang — each request is aborted after 15 s — nor a 500),
    // /ready false, /health still fine.
    await produce(30);
    expect(statuses.at(-1)).toBe(503);
    expect(queue.length).toBe(30);
    const ready = await fetch(`${server.url}/ready`, { signal: AbortSignal.timeout(10_000) });
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ready: false, database: "down" });
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    const list = await fetch(`${server.url}/api/v1/devices`, { headers: user, signal: AbortSignal.timeout(15_000) });
    expect(list.status).toBe(503);
    expect(((await list.json()) as { detail: string }).detail).toMatch(/unavailable/i);
    expect(server.proc.exitCode).toBeNull();

    startCluster();
    // It recovers by itself: the agent keeps retrying until its queue drains.
    const deadline = Date.now() + 60_000;
    while (queue.length > 0 && Date.now() < deadline) {
      await flush().catch(() => undefined);
      if (queue.length > 0) await new Promise((r) => setTimeout(r, 500));
    }
    expect(queue).toEqual([]);
    expect((await fetch(`${server.url}/ready`)).status).toBe(200);
    await produce(10);

    const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/homepot` });
    await client.connect();
    const { rows } = await client.query<{ seq: string }>(
      `select extra_metrics->>'seq' as seq from device_metrics where device_id = 'pos-terminal-out'`,
    );
    await client.end();
    const stored = rows.map((r) => Number(r.seq)).sort((x, y) => x - y);
    expect(stored).toEqual(Array.from({ length: 90 }, (_, i) => i + 1));
    expect(server.proc.exitCode).toBeNull();
  });
});
