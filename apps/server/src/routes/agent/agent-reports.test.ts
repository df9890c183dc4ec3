import { auditLogs, configurationHistory, deviceMetrics, deviceStateHistory, devices } from "@homepot/db";
import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectRequiresRole, loginAs, type TestApp } from "../../testing.ts";
import { makeDevice } from "../devices/device-factories.ts";

const now = new Date("2026-11-27T12:00:00Z");
const clock = { now: () => now };
let t: TestApp;
let viewer: Record<string, string>;
let operator: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp({ clock });
  viewer = (await loginAs(t, "viewer")).headers;
  operator = (await loginAs(t, "operator")).headers;
});
afterAll(async () => t?.close());

const post = (url: string, headers: Record<string, string>, payload: unknown) =>
  t.app.inject({ method: "POST", url: `/api/v1/agent/${url}`, headers, payload: payload as object });

describe("device reporting API (/agent/*)", () => {
  it("heartbeat moves last_seen and brings an offline device back online with a reason", async () => {
    const dev = await makeDevice(t);
    const id = dev.device.deviceId;
    await t.database.db.update(devices).set({ status: "offline" }).where(eq(devices.deviceId, id));
    const res = await post("heartbeat", dev.headers, { device_id: id, timestamp: "2026-11-27T11:59:30Z" });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      success: true,
      status: "success",
      message: "Heartbeat updated successfully",
      data: { device_id: id, last_heartbeat_at: "2026-11-27T11:59:30.000Z" },
    });
    const [row] = await t.database.db.select().from(devices).where(eq(devices.deviceId, id));
    expect(row?.status).toBe("online");
    expect(row?.lastSeen?.toISOString()).toBe("2026-11-27T11:59:30.000Z");
    const [change] = await t.database.db.select().from(deviceStateHistory).where(eq(deviceStateHistory.deviceId, id));
    expect(change).toMatchObject({ previousState: "offline", newState: "online", reason: "Heartbeat received" });
  });

  it("telemetry takes the original field names, one sample or many, into device_metrics", async () => {
    const dev = await makeDevice(t);
    const id = dev.device.deviceId;
    const sample = {
      device_id: id,
      cpu_usage: 23.5,
      memory_usage: 61,
      disk_usage: 48.3,
      network_latency_ms: 8.4,
      uptime_seconds: 3600,
      collection_interval_seconds: 5,
      timestamp: "2026-11-27T11:50:00Z",
    };
    const one = await post("telemetry", dev.headers, sample);
    expect(one.statusCode, one.body).toBe(200);
    expect(one.json()).toMatchObject({ status: "success", data: { device_id: id, saved_count: 1 } });
    const many = await post("telemetry", dev.headers, [
      { ...sample, timestamp: "2026-11-27T11:51:00Z" },
      { ...sample, cpu_usage: 90, timestamp: "2026-11-27T11:52:00Z" },
    ]);
    expect(many.json().data.saved_count).toBe(2);
    const rows = await t.database.db
      .select()
      .from(deviceMetrics)
      .where(eq(deviceMetrics.deviceId, id))
      .orderBy(desc(deviceMetrics.timestamp));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ cpuPercent: 90, memoryPercent: 61, diskPercent: 48.3, networkLatencyMs: 8.4 });
    expect(rows[2]?.extraMetrics).toMatchObject({ uptime_seconds: 3600, collection_interval_seconds: 5 });
    // The declared collection interval also gets its own column (device_metrics.collection_interval_s).
    expect(rows.map((r) => r.collectionIntervalS)).toEqual([5, 5, 5]);

    const bad = await post("telemetry", dev.headers, { ...sample, cpu_usage: 140 });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain("cpu_usage");
    const empty = await post("telemetry", dev.headers, []);
    expect(empty.statusCode).toBe(422);
  });

  it("every route refuses a body naming another device (403, nothing written) and an unauthenticated call (401)", async () => {
    const a = await makeDevice(t);
    const b = await makeDevice(t);
    const other = b.device.deviceId;
    const bodies: [string, unknown][] = [
      ["heartbeat", { device_id: other }],
      [
        "telemetry",
        [
          { device_id: a.device.deviceId, cpu_usage: 1, memory_usage: 1, disk_usage: 1 },
          { device_id: other, cpu_usage: 1, memory_usage: 1, disk_usage: 1 },
        ],
      ],
      ["logs", { device_id: other, message: "hi" }],
      ["audit", { device_id: other, event_type: "agent_started", description: "x" }],
      ["jobs", { device_id: other, action: "Restart POS app" }],
      ["config-history", { device_id: other, action: "update_config", parameter_name: "p" }],
    ];
    for (const [url, body] of bodies) {
      const res = await post(url, a.headers, body);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(403);
      expect(res.json().detail).toBe("Authenticated device does not match payload device_id");
      const anon = await post(url, {}, body);
      expect(anon.statusCode, url).toBe(401);
    }
    const metrics = await t.database.db.select().from(deviceMetrics).where(eq(deviceMetrics.deviceId, other));
    expect(metrics).toEqual([]);
    const logs = await t.app.inject({ method: "GET", url: `/api/v1/devices/${other}/logs`, headers: viewer });
    expect(logs.json().logs).toEqual([]);
  });

  it("logs: one line or a batch, levels normalised, secrets redacted, followed with after_id", async () => {
    const dev = await makeDevice(t);
    const id = dev.device.deviceId;
    const first = await post("logs", dev.headers, {
      device_id: id,
      level: "WARN",
      message: "payment gateway slow",
      category: "payment",
      context: { api_key: "sk-very-secret-value", latency_ms: 612 },
    });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ status: "success", message: "Log stored" });
    const page = await t.app.inject({ method: "GET", url: `/api/v1/devices/${id}/logs`, headers: viewer });
    expect(page.statusCode, page.body).toBe(200);
    const { logs, last_id } = page.json();
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ level: "warning", category: "payment", message: "payment gateway slow" });
    expect(JSON.stringify(logs[0].context)).not.toContain("sk-very-secret-value");

    await post("logs", dev.headers, [
      { device_id: id, message: "line a", level: "nonsense" },
      { device_id: id, message: "line b", level: "error" },
    ]);
    const follow = await t.app.inject({
      method: "GET",
      url: `/api/v1/devices/${id}/logs?after_id=${last_id}`,
      headers: viewer,
    });
    expect(follow.json().logs.map((l: { message: string; level: string }) => [l.message, l.level])).toEqual([
      ["line a", "info"],
      ["line b", "error"],
    ]);
    const errorsOnly = await t.app.inject({
      method: "GET",
      url: `/api/v1/devices/${id}/logs?level=error`,
      headers: viewer,
    });
    expect(errorsOnly.json().count).toBe(1);

    const tooMany = await post(
      "logs",
      dev.headers,
      Array.from({ length: 501 }, () => ({ device_id: id, message: "x" })),
    );
    expect(tooMany.statusCode).toBe(422);
    const noMessage = await post("logs", dev.headers, { device_id: id });
    expect(noMessage.statusCode).toBe(422);
    expect(noMessage.body).toContain("message");
    const future = await post("logs", dev.headers, { device_id: id, message: "x", timestamp: "2026-11-28T12:00:00Z" });
    expect(future.statusCode).toBe(422);
    expect(future.body).toContain("timestamp");
  });

  it("audit events land in audit_logs as agent_ events, readable by operators on the device", async () => {
    const dev = await makeDevice(t);
    const id = dev.device.deviceId;
    const res = await post("audit", dev.headers, {
      device_id: id,
      event_type: "user_login",
      description: "Routine health check completed",
      metadata: { checks: ["cpu", "disk"] },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ success: true, status: "success", message: "Audit event stored" });
    const list = await t.app.inject({ method: "GET", url: `/api/v1/devices/${id}/audit-logs`, headers: operator });
    expect(list.statusCode, list.body).toBe(200);
    const row = list.json().audit_logs.find((r: { event_type: string }) => r.event_type === "agent_user_login");
    expect(row).toMatchObject({ description: "Routine health check completed", device_id: dev.device.id });
    expect(row.event_metadata).toMatchObject({ reported_by: "device", checks: ["cpu", "disk"] });
    await expectRequiresRole(t, { method: "GET", url: `/api/v1/devices/${id}/audit-logs` }, "operator");
  });

  it("jobs: created pending, updated running → completed; another device's job is 403; a bad status 422", async () => {
    const dev = await makeDevice(t);
    const other = await makeDevice(t);
    const id = dev.device.deviceId;
    const created = await post("jobs", dev.headers, {
      device_id: id,
      action: "Update POS payment config",
      priority: "HIGH",
      payload: { gateway: "b" },
    });
    expect(created.statusCode, created.body).toBe(200);
    const job = created.json().data;
    expect(job).toMatchObject({ action: "Update POS payment config", status: "pending", priority: "high" });
    const put = (headers: Record<string, string>, body: object) =>
      t.app.inject({ method: "PUT", url: `/api/v1/agent/jobs/${job.job_id}`, headers, payload: body });
    expect((await put(dev.headers, { device_id: id, status: "running" })).statusCode).toBe(200);
    const done = await put(dev.headers, { device_id: id, status: "completed", result: { exit_code: 0 } });
    expect(done.json()).toMatchObject({ status: "success", message: "Job updated to 'completed'" });
    expect((await put(dev.headers, { device_id: id, status: "completed" })).statusCode).toBe(200);
    expect((await put(dev.headers, { device_id: id, status: "failed" })).statusCode).toBe(409);
    const stolen = await put(other.headers, { device_id: other.device.deviceId, status: "failed" });
    expect(stolen.statusCode).toBe(403);
    expect((await put(dev.headers, { device_id: id, status: "exploded" })).statusCode).toBe(422);
    const missing = await t.app.inject({
      method: "PUT",
      url: "/api/v1/agent/jobs/no-such-job",
      headers: dev.headers,
      payload: { device_id: id, status: "failed" },
    });
    expect(missing.statusCode).toBe(404);

    const list = await t.app.inject({ method: "GET", url: `/api/v1/devices/${id}/device-jobs`, headers: viewer });
    expect(list.json().jobs).toEqual([
      expect.objectContaining({ job_id: job.job_id, status: "completed", result: { exit_code: 0 } }),
    ]);
    const events = await t.database.db.select().from(auditLogs).where(eq(auditLogs.deviceId, dev.device.id));
    expect(events.map((e) => e.eventType)).toEqual(
      expect.arrayContaining(["device_job_reported", "device_job_running", "device_job_completed"]),
    );
  });

  it("config-history writes a device row changed by the agent", async () => {
    const dev = await makeDevice(t);
    const id = dev.device.deviceId;
    const res = await post("config-history", dev.headers, {
      device_id: id,
      action: "update_config",
      parameter_name: "push_command:APPLY_CONFIG",
      new_value: { command: "APPLY_CONFIG", version: "2.1.0" },
      performance_before: { response_time_ms: 45 },
      performance_after: { response_time_ms: 40 },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().message).toBe("Push history record stored");
    const [row] = await t.database.db.select().from(configurationHistory).where(eq(configurationHistory.entityId, id));
    expect(row).toMatchObject({
      entityType: "device",
      parameterName: "push_command:APPLY_CONFIG",
      changedBy: "agent",
      changeType: "automated",
      wasSuccessful: true,
      performanceAfter: { response_time_ms: 40 },
    });
    const bad = await post("config-history", dev.headers, { device_id: id, action: "x" });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain("parameter_name");
  });

  it("a deleted device's cached key can no longer report", async () => {
    const dev = await makeDevice(t);
    const id = dev.device.deviceId;
    expect((await post("heartbeat", dev.headers, { device_id: id })).statusCode).toBe(200);
    await t.database.db.update(devices).set({ isActive: false }).where(eq(devices.deviceId, id));
    const res = await post("logs", dev.headers, { device_id: id, message: "still here?" });
    expect([401, 403]).toContain(res.statusCode);
  });

  it("the device page reads are for signed-in users; an unknown device is a 404", async () => {
    await expectRequiresRole(t, { method: "GET", url: "/api/v1/devices/x/logs" }, "viewer");
    await expectRequiresRole(t, { method: "GET", url: "/api/v1/devices/x/device-jobs" }, "viewer");
    const res = await t.app.inject({ method: "GET", url: "/api/v1/devices/no-such/logs", headers: viewer });
    expect(res.statusCode).toBe(404);
  });
});
