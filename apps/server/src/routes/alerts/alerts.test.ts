import { logError } from "@homepot/core";
import { auditLogs } from "@homepot/db";
import { inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectRequiresRole, loginAs, type TestApp } from "../../testing.ts";
import { makeDevice, makeSite } from "../devices/device-factories.ts";

let now = new Date("2026-03-02T10:00:00Z").getTime();
const clock = { now: () => new Date(now) };
let t: TestApp;
let admin: Record<string, string>;
let operator: Record<string, string>;
let viewer: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp({ clock });
  admin = (await loginAs(t, "admin")).headers;
  operator = (await loginAs(t, "operator")).headers;
  viewer = (await loginAs(t, "viewer")).headers;
});
afterAll(async () => t.close());

const health = async (d: { device: { deviceId: string }; headers: Record<string, string> }, status: string) => {
  const res = await t.app.inject({
    method: "POST",
    url: `/api/v1/devices/${d.device.deviceId}/health`,
    headers: d.headers,
    payload: { status, error: status === "healthy" ? null : "Payment gateway timeout" },
  });
  expect(res.statusCode).toBe(201);
  await t.app.alerts.idle();
};
const metrics = async (d: { headers: Record<string, string> }, payload: Record<string, unknown>) => {
  const res = await t.app.inject({
    method: "POST",
    url: "/api/v1/analytics/device-metrics",
    headers: d.headers,
    payload,
  });
  expect(res.statusCode).toBe(201);
  await t.app.alerts.idle();
};
const alertsOf = async (deviceId: string, status = "all") => {
  const res = await t.app.inject({ url: `/api/v1/alerts?device_id=${deviceId}&status=${status}`, headers: viewer });
  expect(res.statusCode).toBe(200);
  return res.json().alerts as any[];
};

describe("alert rules", () => {
  it("a new install has the built-in rules, including 'Device in error'; only admins manage rules", async () => {
    const res = await t.app.inject({ url: "/api/v1/alerts/rules", headers: viewer });
    expect(res.statusCode).toBe(200);
    const rules = res.json().rules as any[];
    const error = rules.find((r) => r.condition.type === "device_error");
    expect(error).toMatchObject({ name: "Device in error", builtin: true, enabled: true, severity: "critical" });
    expect(rules.map((r) => r.condition.type)).toEqual(
      expect.arrayContaining(["device_offline", "metric_threshold", "job_failed", "command_expired", "error_rate"]),
    );
    const body = { name: "x", condition: { type: "command_expired" } };
    await expectRequiresRole(t, { method: "POST", url: "/api/v1/alerts/rules", payload: body }, "admin");
    const del = await t.app.inject({ method: "DELETE", url: `/api/v1/alerts/rules/${error.id}`, headers: admin });
    expect(del.statusCode).toBe(409);
  });

  it("refuses a bad condition naming the field", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/alerts/rules",
      headers: admin,
      payload: {
        name: "cpu",
        condition: { type: "metric_threshold", metric: "cpu_percent", operator: "over", value: 1 },
      },
    });
    expect(res.statusCode).toBe(422);
    expect(JSON.stringify(res.json())).toContain("operator");
  });
});

describe("alert lifecycle", () => {
  it("a device in error raises one critical alert, deduplicated, resolved when it recovers, all audited", async () => {
    const d = await makeDevice(t);
    await health(d, "healthy");
    await health(d, "unhealthy");
    await health(d, "unhealthy");
    let list = await alertsOf(d.device.deviceId);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ kind: "device_error", status: "open", severity: "critical", site_id: d.siteId });
    expect(list[0].message).toContain("Payment gateway timeout");
    await health(d, "healthy");
    list = await alertsOf(d.device.deviceId);
    expect(list[0]).toMatchObject({ status: "resolved", resolved_by: "system" });
    const audits = await t.ctx.db
      .select()
      .from(auditLogs)
      .where(inArray(auditLogs.eventType, ["alert_opened", "alert_resolved"]));
    expect(audits.filter((a) => (a.eventMetadata as any).alert_id === list[0].id)).toHaveLength(2);
    // Failing again soon after: the same alert re-opens (a flap), not a new one.
    await health(d, "unhealthy");
    list = await alertsOf(d.device.deviceId);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ status: "open", flaps: 1 });
  });

  it("operators acknowledge and resolve with a note; viewers only read", async () => {
    const d = await makeDevice(t);
    await health(d, "unhealthy");
    const [alert] = await alertsOf(d.device.deviceId);
    const ack = { method: "POST" as const, url: `/api/v1/alerts/${alert.id}/acknowledge`, payload: {} };
    await expectRequiresRole(t, ack, "operator");
    const a = await t.app.inject({ ...ack, headers: operator });
    expect(a.statusCode).toBe(200);
    expect(a.json().data).toMatchObject({ status: "acknowledged" });
    const r = await t.app.inject({
      method: "POST",
      url: `/api/v1/alerts/${alert.id}/resolve`,
      headers: operator,
      payload: { note: "replaced the card reader" },
    });
    expect(r.json().data).toMatchObject({ status: "resolved", resolution_note: "replaced the card reader" });
    const again = await t.app.inject({ ...ack, headers: operator });
    expect(again.statusCode).toBe(409);
    const missing = await t.app.inject({ method: "POST", url: "/api/v1/alerts/999999/resolve", headers: operator });
    expect(missing.statusCode).toBe(404);
  });

  it("a metric rule fires after its duration, only in its scope, is muted in maintenance and clears", async () => {
    const site = await makeSite(t);
    const rule = await t.app.inject({
      method: "POST",
      url: "/api/v1/alerts/rules",
      headers: admin,
      payload: {
        name: "Hot CPU",
        severity: "critical",
        condition: { type: "metric_threshold", metric: "cpu_percent", operator: "above", value: 80, minutes: 5 },
        scope: { site_ids: [site.siteId] },
        message_template: "{device_id} CPU {value} % > {threshold} %",
      },
    });
    expect(rule.statusCode).toBe(201);
    await t.app.alerts.idle();
    const inside = await makeDevice(t, { siteId: site.siteId });
    const outside = await makeDevice(t);
    const muted = await makeDevice(t, { siteId: site.siteId });
    const m = await t.app.inject({
      method: "PUT",
      url: `/api/v1/devices/${muted.device.deviceId}`,
      headers: operator,
      payload: { status: "maintenance" },
    });
    expect(m.statusCode).toBe(200);
    for (const d of [inside, outside, muted]) await metrics(d, { cpu_percent: 95 });
    expect(await alertsOf(inside.device.deviceId)).toHaveLength(0);
    now += 6 * 60_000;
    for (const d of [inside, outside, muted]) await metrics(d, { cpu_percent: 96 });
    const [alert] = await alertsOf(inside.device.deviceId);
    expect(alert).toMatchObject({ kind: "metric_threshold", severity: "critical", rule_name: "Hot CPU" });
    expect(alert.message).toBe(`${inside.device.deviceId} CPU 96 % > 80 %`);
    expect(await alertsOf(outside.device.deviceId)).toHaveLength(0);
    expect(await alertsOf(muted.device.deviceId)).toHaveLength(0);
    await metrics(inside, { cpu_percent: 20 });
    expect((await alertsOf(inside.device.deviceId))[0].status).toBe("resolved");
  });

  it("offline for N minutes raises only while the site is open by its schedule", async () => {
    const open = await makeDevice(t);
    const closedSite = await makeSite(t);
    const closed = await makeDevice(t, { siteId: closedSite.siteId });
    const days = [0, 1, 2, 3, 4, 5, 6].map((d) => ({ day_of_week: d, is_closed: true }));
    const s = await t.app.inject({
      method: "PUT",
      url: `/api/v1/sites/${closedSite.siteId}/schedules`,
      headers: admin,
      payload: { schedules: days },
    });
    expect(s.statusCode).toBe(200);
    for (const d of [open, closed]) await health(d, "healthy");
    now += 6 * 60_000;
    const { detectCollectionGaps } = await import("@homepot/core/devices/detect-collection-gaps");
    await detectCollectionGaps({ ...t.ctx, signals: t.app.alerts }, 300);
    now += 11 * 60_000;
    await t.app.alerts.sweep();
    expect((await alertsOf(open.device.deviceId)).map((a) => a.kind)).toContain("device_offline");
    expect((await alertsOf(closed.device.deviceId)).map((a) => a.kind)).not.toContain("device_offline");
    await health(open, "healthy");
    const after = await alertsOf(open.device.deviceId);
    expect(after.find((a) => a.kind === "device_offline").status).toBe("resolved");
  });

  it("error logs of a category above a rate raise one fleet alert", async () => {
    const ctx = { ...t.ctx, signals: t.app.alerts };
    for (let i = 0; i < 5; i++)
      await logError(ctx, { category: "database", severity: "error", errorCode: "DB_001", message: `boom ${i}` });
    await t.app.alerts.idle();
    const res = await t.app.inject({ url: "/api/v1/alerts?kind=error_rate", headers: viewer });
    expect(res.json().alerts).toHaveLength(1);
    expect(res.json().alerts[0].message).toBe("5 database errors in 10 min");
    now += 11 * 60_000;
    await t.app.alerts.sweep();
    const later = await t.app.inject({ url: "/api/v1/alerts?kind=error_rate&status=resolved", headers: viewer });
    expect(later.json().count).toBe(1);
  });
});

describe("conditions that clear by themselves", () => {
  const command = async (deviceId: string, type: string, expiresInS: number) => {
    const res = await t.app.inject({
      method: "POST",
      url: `/api/v1/devices/${deviceId}/commands`,
      headers: operator,
      payload: { command_type: type, expires_in_s: expiresInS },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().data.command_id as string;
  };
  const poll = async (d: { headers: Record<string, string> }) => {
    const res = await t.app.inject({ url: "/api/v1/devices/pending", headers: d.headers });
    expect(res.statusCode).toBe(200);
    await t.app.alerts.idle();
    return (res.json() as { command_id: string }[]).map((c) => c.command_id);
  };
  const succeed = async (d: { headers: Record<string, string> }, commandId: string) => {
    const res = await t.app.inject({
      method: "POST",
      url: `/api/v1/devices/commands/${commandId}/result`,
      headers: d.headers,
      payload: { status: "succeeded" },
    });
    expect(res.statusCode, res.body).toBe(200);
    await t.app.alerts.idle();
  };

  it("an expired command's alert resolves when a later command of that type succeeds on the device", async () => {
    const d = await makeDevice(t);
    await command(d.device.deviceId, "reboot", 60);
    await command(d.device.deviceId, "reboot", 60);
    now += 2 * 60_000;
    expect(await poll(d)).toEqual([]);
    let [alert, ...more] = await alertsOf(d.device.deviceId);
    expect(more).toHaveLength(0);
    expect(alert).toMatchObject({ kind: "command_expired", status: "open", occurrences: 2 });
    // Another type succeeding says nothing about reboots.
    const ping = await command(d.device.deviceId, "ping", 600);
    expect(await poll(d)).toEqual([ping]);
    await succeed(d, ping);
    [alert] = await alertsOf(d.device.deviceId);
    expect(alert.status).toBe("open");
    const reboot = await command(d.device.deviceId, "reboot", 600);
    expect(await poll(d)).toEqual([reboot]);
    await succeed(d, reboot);
    [alert] = await alertsOf(d.device.deviceId);
    expect(alert).toMatchObject({ status: "resolved", resolved_by: "system" });
    expect(alert.resolution_note).toContain("REBOOT succeeded");
  });

  it("a failed job's alert resolves when a later job of that type completes at the site, with its rollbacks", async () => {
    const site = await makeSite(t);
    const d = await makeDevice(t, { siteId: site.siteId });
    const at = () => new Date(now);
    const job = (jobId: string, jobType: string, status: string, deviceId?: string) => {
      t.app.alerts.emit({
        kind: "job",
        jobId,
        jobType,
        status,
        at: at(),
        siteId: deviceId ? null : site.siteId,
        ...(deviceId ? { deviceId } : {}),
      });
    };
    const siteAlerts = async () => {
      const res = await t.app.inject({ url: `/api/v1/alerts?site_id=${site.siteId}&status=all`, headers: viewer });
      return (res.json().alerts as any[]).filter((a) => a.kind === "job_failed");
    };
    job("job-a1", "restart", "failed");
    job("job-a2", "restart", "failed");
    job("job-c1", "config_update", "rolled_back", d.device.deviceId);
    await t.app.alerts.idle();
    let list = await siteAlerts();
    expect(list).toHaveLength(2);
    expect(list.find((a) => a.device_id === null)).toMatchObject({ status: "open", occurrences: 2 });
    expect(list.find((a) => a.device_id === d.device.deviceId)).toMatchObject({ status: "open", occurrences: 1 });
    job("job-c2", "config_update", "cancelled");
    job("job-a3", "restart", "completed");
    await t.app.alerts.idle();
    list = await siteAlerts();
    expect(list.find((a) => a.device_id === null)).toMatchObject({ status: "resolved", resolved_by: "system" });
    expect(list.find((a) => a.device_id === d.device.deviceId).status).toBe("open");
    job("job-c3", "config_update", "completed");
    await t.app.alerts.idle();
    list = await siteAlerts();
    expect(list.every((a) => a.status === "resolved")).toBe(true);
  });
});

describe("POST /api/v1/agent/alert (a device raises an alert)", () => {
  it("stores it in the same alerts, for its own device only", async () => {
    const d = await makeDevice(t);
    const payload = { device_id: d.device.deviceId, title: "High Latency", severity: "high", category: "network" };
    const res = await t.app.inject({ method: "POST", url: "/api/v1/agent/alert", headers: d.headers, payload });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: "success", message: "Alert stored" });
    const [alert] = await alertsOf(d.device.deviceId);
    expect(alert).toMatchObject({ source: "device", severity: "critical", title: "High Latency", status: "open" });
    const other = await t.app.inject({
      method: "POST",
      url: "/api/v1/agent/alert",
      headers: d.headers,
      payload: { ...payload, device_id: "someone-else" },
    });
    expect(other.statusCode).toBe(403);
    const anonymous = await t.app.inject({ method: "POST", url: "/api/v1/agent/alert", payload });
    expect(anonymous.statusCode).toBe(401);
    const counts = await t.app.inject({ url: `/api/v1/alerts/counts?site_id=${d.siteId}`, headers: viewer });
    expect(counts.json().data).toMatchObject({ open: 1, critical: 1, by_device: { [d.device.deviceId]: 1 } });
  });
});
