import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import {
  embeddedDbUrl,
  type ServerProcess,
  scratchPostgresDatabase,
  serverEnv,
  startServer,
} from "../testing-process.ts";

/**
 * kill -9 of the server during sustained ingest: every sample and health report that got a 2xx is in the
 * database after a restart (counted by a client-side ledger); no batch is half-written, and no health
 * check lacks the metrics extracted from it (one transaction).
 */
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

const ADMIN = { email: "kill-admin@example.com", password: "kill-admin-password" };

async function json(res: Response) {
  const body = await res.text();
  try {
    return JSON.parse(body) as Record<string, unknown> & { data?: Record<string, unknown> };
  } catch {
    throw new Error(`${res.status}: ${body}`);
  }
}

async function setUpDevice(server: ServerProcess): Promise<Record<string, string>> {
  const login = await json(
    await fetch(`${server.url}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(ADMIN),
    }),
  );
  const auth = { authorization: `Bearer ${String(login.data?.access_token)}`, "content-type": "application/json" };
  const site = await fetch(`${server.url}/api/v1/sites`, {
    method: "POST",
    headers: auth,
    body: JSON.stringify({ site_id: "site-kill", name: "Kill site" }),
  });
  expect(site.status).toBe(201);
  const device = await fetch(`${server.url}/api/v1/devices/sites/site-kill/devices`, {
    method: "POST",
    headers: auth,
    body: JSON.stringify({ device_id: "pos-terminal-kill", name: "Kill terminal", device_type: "pos_terminal" }),
  });
  expect(device.status).toBe(201);
  const key = String((await json(device)).api_key);
  return { "x-device-id": "pos-terminal-kill", "x-api-key": key, "content-type": "application/json" };
}

describe.each(["postgres", "pglite"] as const)("kill -9 during sustained ingest (%s)", (driver) => {
  it("keeps every acknowledged sample and health report, never half a batch or a check without its metrics", async () => {
    const extra: Record<string, string> = { HOMEPOT_ADMIN_EMAIL: ADMIN.email, HOMEPOT_ADMIN_PASSWORD: ADMIN.password };
    if (driver === "postgres") {
      const db = await scratchPostgresDatabase();
      cleanups.push(db.drop);
      extra.DATABASE_URL = db.url;
    }
    const env = await serverEnv(extra);
    const first = await startServer(env);
    cleanups.push(async () => void (await first.stop("SIGKILL")));
    const headers = await setUpDevice(first);

    // The ledger: what the server acknowledged. Singles carry a unique seq; batches a batch id and size.
    const ackedSingles = new Set<string>();
    const ackedHealth = new Set<string>();
    const ackedBatches = new Map<string, number>();
    const sentBatches = new Map<string, number>();
    let stop = false;
    let killed = false;
    let errorsAfterKill = 0;
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const kind = i % 5 === 4 ? "health" : i % 4 === 3 ? "batch" : "single";
        const id = `${w}-${i}-${randomUUID().slice(0, 8)}`;
        const size = 1 + (i % 25);
        const body =
          kind === "batch"
            ? {
                samples: Array.from({ length: size }, (_, k) => ({
                  cpu_percent: (k * 7) % 100,
                  memory_percent: 40,
                  extra_metrics: { batch: id, k },
                })),
              }
            : kind === "health"
              ? {
                  status: "healthy",
                  config_version: "1.0.0",
                  response_time_ms: 20,
                  device_info: { model: "POS-Terminal-X1", marker: id },
                  metrics: { cpu_percent: 30, memory_percent: 50 },
                }
              : {
                  device_id: "pos-terminal-kill",
                  cpu_percent: 12.5,
                  memory_percent: 40,
                  transaction_count: i,
                  extra_metrics: { seq: id },
                };
        if (kind === "batch") sentBatches.set(id, size);
        const path =
          kind === "health" ? "/api/v1/devices/pos-terminal-kill/health" : "/api/v1/analytics/device-metrics";
        try {
          const res = await fetch(`${first.url}${path}`, {
            method: "POST",
            headers,
            body: JSON.stringify(body),
            signal: AbortSignal.timeout(5000),
          });
          if (res.status >= 200 && res.status < 300) {
            if (kind === "batch") ackedBatches.set(id, size);
            else if (kind === "health") ackedHealth.add(id);
            else ackedSingles.add(id);
          } else if (!killed) throw new Error(`${path} answered ${res.status} before the kill`);
          await res.arrayBuffer().catch(() => undefined);
        } catch (error) {
          if (!killed) throw error;
          errorsAfterKill += 1;
          return; // the server is gone
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));
    // Sustained load until a good number of samples were acknowledged, then kill -9 mid-stream.
    const deadline = Date.now() + 30_000;
    while (ackedSingles.size + ackedBatches.size < 300 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    killed = true;
    first.proc.kill("SIGKILL");
    await Promise.all(workers);
    stop = true;
    expect(ackedSingles.size).toBeGreaterThan(50);
    expect(ackedHealth.size).toBeGreaterThan(10);
    expect(errorsAfterKill).toBeGreaterThan(0); // requests were in flight when it died

    // Restart on the same database (the state file of the dead server is stale and ignored).
    const second = await startServer(env);
    cleanups.push(async () => void (await second.stop("SIGKILL")));
    const url = driver === "postgres" ? env.DATABASE_URL : embeddedDbUrl(second.dataDir);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const singles = await client.query<{ seq: string }>(
        `select extra_metrics->>'seq' as seq from device_metrics where device_id = 'pos-terminal-kill' and extra_metrics->>'seq' is not null`,
      );
      const stored = new Set(singles.rows.map((r) => r.seq));
      const lost = [...ackedSingles].filter((s) => !stored.has(s));
      expect(lost, `${lost.length} acknowledged single samples lost`).toEqual([]);

      const batches = await client.query<{ batch: string; n: string }>(
        `select extra_metrics->>'batch' as batch, count(*) as n from device_metrics where device_id = 'pos-terminal-kill' and extra_metrics->>'batch' is not null group by 1`,
      );
      const storedBatches = new Map(batches.rows.map((r) => [r.batch, Number(r.n)]));
      for (const [id, size] of ackedBatches) expect(storedBatches.get(id), `acknowledged batch ${id}`).toBe(size);
      // Unacknowledged batches may or may not have landed, but never partly.
      for (const [id, n] of storedBatches) expect(n, `batch ${id} half-written`).toBe(sentBatches.get(id));

      // Health reports: every acknowledged one is stored, and each stored check has its extracted metrics.
      const checks = await client.query<{ marker: string }>(
        `select h.response_data->'device_info'->>'marker' as marker from health_checks h join devices d on d.id = h.device_id where d.device_id = 'pos-terminal-kill'`,
      );
      const checkMarkers = new Set(checks.rows.map((r) => r.marker));
      expect([...ackedHealth].filter((m) => !checkMarkers.has(m))).toEqual([]);
      const extracted = await client.query<{ marker: string }>(
        `select extra_metrics->'device_info'->>'marker' as marker from device_metrics where device_id = 'pos-terminal-kill' and extra_metrics->'device_info'->>'marker' is not null`,
      );
      expect(new Set(extracted.rows.map((r) => r.marker))).toEqual(checkMarkers);
    } finally {
      await client.end();
    }
    // The restarted server serves ingest again.
    const again = await fetch(`${second.url}/api/v1/analytics/device-metrics`, {
      method: "POST",
      headers,
      body: JSON.stringify({ device_id: "pos-terminal-kill", cpu_percent: 1 }),
    });
    // On failure: the answer and what the server logged at warn level or above.
    const logged = second
      .output()
      .split("\n")
      .filter((line) => /"level":(40|50|60)/.test(line))
      .slice(-5);
    expect(again.status, `${await again.text()}\n${logged.join("\n")}`).toBe(201);
    await second.stop("SIGTERM");
  });
});
