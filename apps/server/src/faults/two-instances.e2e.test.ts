import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServerProcess, scratchPostgresDatabase, serverEnv, startServer } from "../testing-process.ts";

/**
 * Two server processes on one PostgreSQL database: a command is handed out once, a job runs once,
 * and a device key revoked through one instance is refused by the other within 1 s.
 */
const ADMIN = { email: "twins-admin@example.com", password: "twins-admin-password" };
let a: ServerProcess;
let b: ServerProcess;
let db: pg.Client;
let userHeaders: Record<string, string>;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  const database = await scratchPostgresDatabase();
  cleanups.push(database.drop);
  const extra = {
    DATABASE_URL: database.url,
    HOMEPOT_ADMIN_EMAIL: ADMIN.email,
    HOMEPOT_ADMIN_PASSWORD: ADMIN.password,
  };
  a = await startServer(await serverEnv(extra));
  cleanups.push(async () => void (await a.stop("SIGKILL")));
  b = await startServer(await serverEnv(extra));
  cleanups.push(async () => void (await b.stop("SIGKILL")));
  db = new pg.Client({ connectionString: database.url });
  await db.connect();
  cleanups.push(() => db.end());
  const login = await fetch(`${a.url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(ADMIN),
  });
  const token = ((await login.json()) as { data: { access_token: string } }).data.access_token;
  userHeaders = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  expect((await call(a, "POST", "/api/v1/sites", userHeaders, { site_id: "site-twins", name: "Twins" })).status).toBe(
    201,
  );
});
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function call(
  server: ServerProcess,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
) {
  const sent = { ...headers };
  if (body === undefined) delete sent["content-type"]; // an empty body declared as JSON is a 400
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: sent,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

async function registerDevice(id: string): Promise<Record<string, string>> {
  const res = await call(a, "POST", "/api/v1/devices/sites/site-twins/devices", userHeaders, {
    device_id: id,
    name: id,
    device_type: "pos_terminal",
  });
  expect(res.status).toBe(201);
  return {
    "x-device-id": id,
    "x-api-key": String((res.body as { api_key: string }).api_key),
    "content-type": "application/json",
  };
}

describe("two server instances on one PostgreSQL", () => {
  it("hands every command out exactly once, whichever instance the device polls", async () => {
    const device = await registerDevice("pos-terminal-twin-1");
    const queued = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const res = await call(i % 2 ? a : b, "POST", "/api/v1/devices/pos-terminal-twin-1/commands", userHeaders, {
        command_type: "PING",
        payload: { i },
      });
      expect(res.status).toBe(201);
      queued.add(String((res.body as { data: { command_id: string } }).data.command_id));
    }
    // The device (or a confused twin of it) polls both instances at once, many times.
    const received: string[] = [];
    for (let round = 0; round < 10 && received.length < queued.size; round++) {
      const polls = await Promise.all(
        Array.from({ length: 6 }, (_, i) => call(i % 2 ? a : b, "GET", "/api/v1/devices/pending", device)),
      );
      for (const p of polls) {
        expect(p.status).toBe(200);
        for (const c of p.body as { command_id: string }[]) received.push(c.command_id);
      }
    }
    expect(received.length).toBe(queued.size);
    expect(new Set(received)).toEqual(queued);
    const { rows } = await db.query<{ n: string }>(
      `select count(*) as n from device_commands where device_id = 'pos-terminal-twin-1' and status = 'sent' and delivery_count = 1`,
    );
    expect(Number(rows[0]?.n)).toBe(40);
  });

  it("runs a job once: one command per device and one job outcome, with both orchestrators running", async () => {
    const devices = await Promise.all(
      ["pos-terminal-twin-2", "pos-terminal-twin-3", "pos-terminal-twin-4"].map(registerDevice),
    );
    const created = await call(b, "POST", "/api/v1/jobs", userHeaders, {
      action: "Restart terminals",
      job_type: "restart",
      site_id: "site-twins",
      device_ids: devices.map((d) => d["x-device-id"]),
    });
    expect(created.status).toBe(201);
    const jobId = String((created.body as { data: { job_id: string } }).data.job_id);
    // The devices answer whatever they receive, polling both instances, until the job is done.
    const deadline = Date.now() + 60_000;
    let status = "pending";
    while (Date.now() < deadline && !["completed", "failed", "partial", "cancelled"].includes(status)) {
      for (const [i, device] of devices.entries()) {
        const server = i % 2 ? a : b;
        const pending = await call(server, "GET", "/api/v1/devices/pending", device);
        for (const c of pending.body as { command_id: string }[]) {
          const res = await call(
            server === a ? b : a,
            "POST",
            `/api/v1/devices/commands/${c.command_id}/result`,
            device,
            { status: "succeeded", result: { ok: true } },
          );
          expect(res.status).toBe(200);
        }
      }
      status = String(
        ((await call(a, "GET", `/api/v1/jobs/${jobId}`, userHeaders)).body as { data: { status: string } }).data.status,
      );
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe("completed");
    const perDevice = await db.query<{ device_id: string; n: string }>(
      `select device_id, count(*) as n from device_commands where job_id = $1 group by device_id order by device_id`,
      [jobId],
    );
    expect(perDevice.rows.map((r) => [r.device_id, Number(r.n)])).toEqual(devices.map((d) => [d["x-device-id"], 1]));
    const outcomes = await db.query<{ n: string }>(
      `select count(*) as n from job_outcomes where job_id = $1 and device_id is null`,
      [jobId],
    );
    expect(Number(outcomes.rows[0]?.n)).toBe(1);
  });

  it("refuses a key revoked through the other instance within 1 s", async () => {
    const device = await registerDevice("pos-terminal-twin-5");
    // B has seen (and cached) the key.
    for (let i = 0; i < 3; i++) expect((await call(b, "GET", "/api/v1/devices/pending", device)).status).toBe(200);
    const revoked = await call(a, "DELETE", "/api/v1/devices/pos-terminal-twin-5/api-key", userHeaders);
    expect(revoked.status).toBe(200);
    const revokedAt = Date.now();
    // B re-reads the revocation epoch at least once a second: a request sent more than a second after the
    // revocation is refused, whatever the load (the answer's own latency is not part of the promise).
    const answers: { sentAfterMs: number; status: number }[] = [];
    for (let sentAfterMs = 0; sentAfterMs <= 1000; ) {
      sentAfterMs = Date.now() - revokedAt;
      answers.push({ sentAfterMs, status: (await call(b, "GET", "/api/v1/devices/pending", device)).status });
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(answers.at(-1)?.status, JSON.stringify(answers)).toBe(401);
    // Once refused, never accepted again.
    const firstRefusal = answers.findIndex((a) => a.status === 401);
    expect(answers.slice(firstRefusal).every((a) => a.status === 401)).toBe(true);
    expect((await call(a, "GET", "/api/v1/devices/pending", device)).status).toBe(401);
  });
});
