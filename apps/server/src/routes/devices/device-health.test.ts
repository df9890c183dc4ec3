import { auditLogs, deviceMetrics, deviceStateHistory, devices, errorLogs, healthChecks } from "@homepot/db";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectRequiresRole, loginAs, type TestApp } from "../../testing.ts";
import { makeDevice } from "./device-factories.ts";

let now = new Date("2026-03-02T10:00:00Z").getTime();
const clock = { now: () => new Date(now) };
let t: TestApp;
let operator: Record<string, string>;
beforeAll(async () => {
  t = await createTestApp({ clock, env: { HOMEPOT_KEY_GRACE_S: "60" } });
  operator = (await loginAs(t, "operator")).headers;
});
afterAll(async () => t.close());

const report = (deviceId: string, headers: Record<string, string>, payload: unknown = { status: "healthy" }) =>
  t.app.inject({
    method: "POST",
    url: `/api/v1/devices/${deviceId}/health`,
    headers,
    payload: payload as Record<string, unknown>,
  });

const fullReport = {
  status: "unhealthy",
  config_version: "1.0.0",
  response_time_ms: 154,
  device_info: { model: "POS-Terminal-X1", firmware: "2.4.1", os: "Linux ARM" },
  services: { pos_app: "error", payment_gateway: "disconnected", database: "online", network: "connected" },
  metrics: {
    cpu_usage_percent: 67,
    memory_usage_percent: 68,
    disk_usage_percent: 37,
    network_latency_ms: 12.5,
    transactions_today: 55,
    transaction_volume: 1234.5,
    error_rate: 2.5,
    active_connections: 3,
    queue_depth: 1,
    uptime_seconds: 570672,
  },
  error: "Payment gateway timeout",
};

const nested = (levels: number): unknown => Array.from({ length: levels }).reduce<unknown>((v) => [v], 1);

async function waitFor<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("condition not reached");
}

describe("health checks", () => {
  it("a 500 report flips the device to error with one state-history row; a 200 report flips it back", async () => {
    const { device, headers } = await makeDevice(t);
    const id = device.deviceId;
    const first = await report(id, headers, { status: "healthy", metrics: { cpu_usage_percent: 10 } });
    expect(first.statusCode).toBe(201);
    expect(first.json().data).toMatchObject({
      is_healthy: true,
      status_code: 200,
      previous_status: "offline",
      device_status: "online",
      status_changed: true,
    });

    const bad = await report(id, headers, fullReport);
    expect(bad.statusCode).toBe(201);
    expect(bad.json().data).toMatchObject({
      is_healthy: false,
      status_code: 500,
      device_status: "error",
      status_changed: true,
    });
    const again = await report(id, headers, fullReport);
    expect(again.json().data).toMatchObject({ device_status: "error", status_changed: false });

    const [row] = await t.ctx.db.select().from(devices).where(eq(devices.deviceId, id));
    expect(row).toMatchObject({ status: "error", configVersion: "1.0.0", firmwareVersion: "2.4.1" });
    expect(row?.lastSeen?.toISOString()).toBe(new Date(now).toISOString());

    const toError = await t.ctx.db
      .select()
      .from(deviceStateHistory)
      .where(and(eq(deviceStateHistory.deviceId, id), eq(deviceStateHistory.newState, "error")));
    expect(toError).toHaveLength(1);
    expect(toError[0]).toMatchObject({
      previousState: "online",
      changedBy: "system",
      reason: "Health check: Payment gateway timeout",
    });
    expect(toError[0]?.extraData).toMatchObject({ status_code: 500, response_time_ms: 154, cpu_percent: 67 });

    const checks = await t.ctx.db.select().from(healthChecks).where(eq(healthChecks.deviceId, device.id));
    expect(checks).toHaveLength(3);
    const unhealthy = checks.find((c) => !c.isHealthy);
    expect(unhealthy).toMatchObject({
      statusCode: 500,
      responseTimeMs: 154,
      errorMessage: "Payment gateway timeout",
      endpoint: "/health",
    });
    expect(unhealthy?.responseData).toMatchObject({
      services: { pos_app: "error" },
      device_info: { model: "POS-Terminal-X1" },
    });

    const metrics = await t.ctx.db.select().from(deviceMetrics).where(eq(deviceMetrics.deviceId, id));
    expect(metrics).toHaveLength(3);
    const full = metrics.find((m) => m.queueDepth !== null);
    expect(full).toMatchObject({
      cpuPercent: 67,
      memoryPercent: 68,
      diskPercent: 37,
      networkLatencyMs: 12.5,
      transactionCount: 55,
      transactionVolume: 1234.5,
      errorRate: 2.5,
      activeConnections: 3,
      queueDepth: 1,
    });
    expect(full?.extraMetrics).toMatchObject({
      uptime_seconds: 570672,
      services: { payment_gateway: "disconnected" },
      device_info: { os: "Linux ARM" },
    });

    const errors = await t.ctx.db.select().from(errorLogs).where(eq(errorLogs.deviceId, id));
    expect(errors).toHaveLength(1);

    const back = await report(id, headers, { status: "healthy", status_code: 200 });
    expect(back.json().data).toMatchObject({ device_status: "online", previous_status: "error", status_changed: true });
    const history = await t.ctx.db.select().from(deviceStateHistory).where(eq(deviceStateHistory.deviceId, id));
    expect(history.map((h) => `${h.previousState}->${h.newState}`)).toEqual([
      "offline->online",
      "online->error",
      "error->online",
    ]);
  });

  it("an operator may record a manual check; a viewer may not", async () => {
    const { device } = await makeDevice(t);
    const res = await report(device.deviceId, operator, { status: "healthy" });
    expect(res.statusCode).toBe(201);
    await expectRequiresRole(
      t,
      { method: "POST", url: `/api/v1/devices/${device.deviceId}/health`, payload: { status: "healthy" } },
      "operator",
    );
  });

  it.each([
    [{}, "status"],
    [{ status: "" }, "status"],
    [{ status: "healthy", response_time_ms: -1 }, "response_time_ms"],
    [{ status: "healthy", status_code: 999 }, "status_code"],
    [{ status: "healthy", metrics: { cpu_usage_percent: 101 } }, "metrics.cpu_usage_percent"],
    [{ status: "healthy", metrics: { transactions_today: -3 } }, "metrics.transactions_today"],
    [{ status: "healthy", services: "up" }, "services"],
    [{ status: "healthy", device_info: { blob: "x".repeat(70_000) } }, "device_info"],
    [{ status: "healthy", metrics: { extra: nested(25) } }, "metrics"],
    [{ status: "healthy", error: "a\u0000b" }, "error"],
  ])("422 naming the field for %j", async (payload, field) => {
    const { device, headers } = await makeDevice(t);
    const res = await report(device.deviceId, headers, payload);
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0].field).toBe(field);
    const checks = await t.ctx.db.select().from(healthChecks).where(eq(healthChecks.deviceId, device.id));
    expect(checks).toHaveLength(0);
  });
});

describe("secrets in health reports", () => {
  it("a device key, a bearer token or a password inside the error text is stored redacted everywhere", async () => {
    const { device, headers } = await makeDevice(t);
    const key = headers["x-api-key"] as string;
    const res = await report(device.deviceId, headers, {
      status: "unhealthy",
      error: `auth failed with ${key}; Authorization: Bearer abc.def; db password=hunter2`,
    });
    expect(res.statusCode).toBe(201);
    const [check] = await t.ctx.db.select().from(healthChecks).where(eq(healthChecks.deviceId, device.id));
    const history = await t.ctx.db
      .select()
      .from(deviceStateHistory)
      .where(eq(deviceStateHistory.deviceId, device.deviceId));
    const errors = await t.ctx.db.select().from(errorLogs).where(eq(errorLogs.deviceId, device.deviceId));
    const stored = JSON.stringify([check, history, errors]);
    expect(check?.errorMessage).toBe(
      "auth failed with hpk_[redacted]; Authorization: Bearer [redacted]; db password=[redacted]",
    );
    expect(history.some((h) => h.reason?.includes("hpk_[redacted]"))).toBe(true);
    for (const secret of [key, "hunter2", "abc.def"]) expect(stored.includes(secret), secret).toBe(false);
  });
});

describe("device authentication", () => {
  it("401 without headers, with a wrong, malformed or other device's key; 403 for another device's path", async () => {
    const a = await makeDevice(t);
    const b = await makeDevice(t);
    const id = a.device.deviceId;
    const cases: Array<[string, Record<string, string>]> = [
      ["no headers", {}],
      ["no key", { "x-device-id": id }],
      ["no id", { "x-api-key": a.apiKey }],
      ["malformed key", { "x-device-id": id, "x-api-key": "secret" }],
      ["other device's key", { "x-device-id": id, "x-api-key": b.apiKey }],
      ["unknown device", { "x-device-id": "ghost-1", "x-api-key": a.apiKey }],
    ];
    for (const [name, headers] of cases) {
      const res = await report(id, headers);
      expect(res.statusCode, name).toBe(401);
      expect(res.body, name).not.toContain(a.apiKey);
    }
    const other = await report(id, b.headers);
    expect(other.statusCode).toBe(403);
    const failures = await waitFor(async () => {
      const rows = await t.ctx.db.select().from(auditLogs).where(eq(auditLogs.eventType, "device_auth_failed"));
      return rows.length >= cases.length - 1 ? rows : undefined; // "no headers" is a user request
    });
    expect(failures.some((r) => (r.eventMetadata as { reason?: string }).reason === "wrong_key")).toBe(true);
    expect(JSON.stringify(failures)).not.toContain(a.apiKey);
  });

  it("revocation applies at once; rotation keeps the old key for the grace period only", async () => {
    const { device, headers, apiKey } = await makeDevice(t);
    const id = device.deviceId;
    expect((await report(id, headers)).statusCode).toBe(201);

    const rotated = await t.app.inject({
      method: "POST",
      url: `/api/v1/devices/${id}/api-key/rotate`,
      headers: operator,
    });
    expect(rotated.statusCode).toBe(200);
    const newKey = rotated.json().api_key as string;
    expect(newKey).not.toBe(apiKey);
    expect(rotated.json().previous_key_valid_until).toBe(new Date(now + 60_000).toISOString());
    expect((await report(id, { "x-device-id": id, "x-api-key": newKey })).statusCode).toBe(201);
    expect((await report(id, headers)).statusCode).toBe(201);
    now += 61_000;
    expect((await report(id, headers)).statusCode).toBe(401);
    expect((await report(id, { "x-device-id": id, "x-api-key": newKey })).statusCode).toBe(201);

    const revoked = await t.app.inject({ method: "DELETE", url: `/api/v1/devices/${id}/api-key`, headers: operator });
    expect(revoked.statusCode).toBe(200);
    expect((await report(id, { "x-device-id": id, "x-api-key": newKey })).statusCode).toBe(401);

    const events = await t.ctx.db.select().from(auditLogs).where(eq(auditLogs.deviceId, device.id));
    expect(events.map((e) => e.eventType)).toEqual(
      expect.arrayContaining(["device_key_rotated", "device_key_revoked"]),
    );
    expect(JSON.stringify(events)).not.toContain(newKey);
  });

  it("a deleted device's key stops working at once", async () => {
    const admin = (await loginAs(t, "admin")).headers;
    const { device, headers } = await makeDevice(t);
    expect((await report(device.deviceId, headers)).statusCode).toBe(201);
    await t.app.inject({ method: "DELETE", url: `/api/v1/devices/${device.deviceId}`, headers: admin });
    expect((await report(device.deviceId, headers)).statusCode).toBe(401);
  });

  it("a key change on another instance applies here through the revocation epoch", async () => {
    const { device, headers } = await makeDevice(t);
    expect((await report(device.deviceId, headers)).statusCode).toBe(201); // cached now
    const { revokeDeviceKey } = await import("@homepot/core/devices/revoke-device-key");
    await revokeDeviceKey(t.ctx, device.deviceId); // as if done by another server: no local forget()
    await new Promise((r) => setTimeout(r, 1100)); // the epoch is re-read at most once a second
    expect((await report(device.deviceId, headers)).statusCode).toBe(401);
  });

  it("rate-limits failed attempts per address (last: it blocks this test client)", async () => {
    const { device, headers } = await makeDevice(t);
    const bad = { "x-device-id": device.deviceId, "x-api-key": "wrong" };
    const codes: number[] = [];
    for (let i = 0; i < 70; i++) codes.push((await report(device.deviceId, bad)).statusCode);
    expect(codes.slice(0, 50).every((c) => c === 401)).toBe(true);
    expect(codes.at(-1)).toBe(429);
    expect((await report(device.deviceId, headers)).statusCode).toBe(429);
    await waitFor(async () => {
      const rows = await t.ctx.db.select().from(auditLogs).where(eq(auditLogs.eventType, "device_auth_rate_limited"));
      return rows.length ? rows : undefined;
    });
  });
});
