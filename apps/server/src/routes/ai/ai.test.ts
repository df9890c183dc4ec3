import { findBestJobWindow } from "@homepot/core/insights/find-best-job-window";
import {
  alerts,
  auditLogs,
  deviceMetrics,
  devices,
  errorLogs,
  healthChecks,
  jobOutcomes,
  jobs,
  siteOperatingSchedules,
  sites,
} from "@homepot/db";
import { eq, like } from "drizzle-orm";
import type { InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AnomalyDetectionTask } from "../../tasks/anomaly-detection.ts";
import { createTestApp, expectRequiresRole, loginAs, type TestApp } from "../../testing.ts";

// Monday 2026-01-05 12:00 UTC; every row is placed relative to it.
const NOW = new Date(Date.UTC(2026, 0, 5, 12));
const MIN = 60_000;
const clock = { now: () => NOW };
const wiggle = (i: number) => Math.sin(i * 12.9898) * 0.999;

let t: TestApp;
let headers: Record<string, string>;

async function addSite(siteId: string) {
  const [row] = await t.ctx.db
    .insert(sites)
    .values({ siteId, name: `Site ${siteId}`, timezone: "UTC" })
    .returning();
  return row!;
}

async function addDevice(deviceId: string, siteId: string, status = "online") {
  const [row] = await t.ctx.db
    .insert(devices)
    .values({ deviceId, name: deviceId, deviceType: "pos_terminal", siteId, status, lastSeen: NOW })
    .returning();
  return row!;
}

/** Two hours of one-minute samples; `memory(i)` gives the memory at minute i (0 = two hours ago). */
async function addMetrics(
  deviceId: string,
  memory: (i: number) => number,
  extra: (i: number) => Partial<typeof deviceMetrics.$inferInsert> = () => ({}),
) {
  const rows = [];
  for (let i = 0; i <= 120; i++) {
    rows.push({
      deviceId,
      timestamp: new Date(NOW.getTime() - (120 - i) * MIN),
      cpuPercent: 25 + 3 * wiggle(i),
      memoryPercent: memory(i),
      diskPercent: 40,
      networkLatencyMs: 60 + 5 * wiggle(i + 2),
      errorRate: 0.4,
      transactionCount: 3,
      ...extra(i),
    });
  }
  await t.ctx.db.insert(deviceMetrics).values(rows);
}

const get = (url: string): InjectOptions => ({ method: "GET", url });

beforeAll(async () => {
  t = await createTestApp({ clock });
  headers = (await loginAs(t, "operator")).headers;
  await addSite("site-a");
  await addSite("site-b");
  const healthy = await addDevice("pos-ok", "site-a");
  await addDevice("pos-leak", "site-a");
  await addDevice("pos-empty", "site-b");
  await addMetrics("pos-ok", (i) => 50 + 2 * wiggle(i + 1));
  // Leaking 0.35 %/min for the last 80 minutes: from 50 % to 78 % now, 97 % within the hour.
  await addMetrics("pos-leak", (i) => (i < 40 ? 50 + 2 * wiggle(i + 1) : 50 + 0.35 * (i - 40) + wiggle(i)));
  await t.ctx.db.insert(healthChecks).values(
    Array.from({ length: 12 }, (_, i) => ({
      deviceId: healthy.id,
      isHealthy: i !== 3,
      statusCode: 200,
      timestamp: new Date(NOW.getTime() - i * 10 * MIN),
    })),
  );
});

afterAll(async () => {
  await t.close();
});

const insightReads: InjectOptions[] = [
  get("/api/v1/ai/insights/device/pos-ok"),
  get("/api/v1/ai/insights/site/site-a"),
  get("/api/v1/ai/predictions/failure/pos-ok"),
  get("/api/v1/ai/predictions/at-risk-devices"),
  get("/api/v1/ai/recommendations/optimal-windows/site-a"),
  {
    method: "POST",
    url: "/api/v1/ai/recommendations/schedule-job",
    payload: { site_id: "site-a", duration_minutes: 60 },
  },
  { method: "POST", url: "/api/v1/ai/recommendations/success-probability", payload: { site_id: "site-a" } },
  // Site b only: detection records what it finds, and the tests below count pos-leak's occurrences.
  get("/api/v1/ai/anomalies?site_id=site-b"),
  get("/api/v1/ai/error-patterns"),
  get("/api/v1/ai/health-forecast"),
  get("/api/v1/ai/status"),
];

describe("insights API: security", () => {
  it.each(insightReads)("$method $url needs a signed-in user and answers a viewer", async (request) => {
    await expectRequiresRole(t, request, "viewer");
    const viewer = await loginAs(t, "viewer");
    const res = await t.app.inject({ ...request, headers: viewer.headers });
    expect(res.statusCode, res.body).toBe(200);
  });

  it("resolving an alert needs an operator", async () => {
    await expectRequiresRole(t, { method: "PUT", url: "/api/v1/ai/alerts/1/resolve" }, "operator");
  });
});

describe("insights API: device health and failure risk", () => {
  it("scores a healthy device with every factor explained", async () => {
    const res = await t.app.inject({ ...get("/api/v1/ai/insights/device/pos-ok"), headers });
    expect(res.statusCode).toBe(200);
    const { data } = res.json();
    expect(data.device_id).toBe("pos-ok");
    expect(data.health.score).toBeGreaterThan(95);
    expect(data.health.sample_size.metrics).toBe(121);
    expect(data.health.sample_size.health_checks).toBe(12);
    const checks = data.health.factors.find((f: { factor: string }) => f.factor === "health_checks");
    expect(checks.value).toBeCloseTo(100 / 12, 1);
    expect(data.health.window.hours).toBe(24);
    expect(data.failure_risk.probability).toBeLessThan(0.2);
  });

  it("predicts the leaking device's failure from its memory slope", async () => {
    const res = await t.app.inject({ ...get("/api/v1/ai/predictions/failure/pos-leak?horizon_hours=1"), headers });
    expect(res.statusCode).toBe(200);
    const { data } = res.json();
    expect(data.probability).toBeGreaterThan(0.7);
    expect(data.factors[0].factor).toBe("memory_trend");
    expect(data.factors[0].value).toBeGreaterThan(15);
    expect(data.estimated_failure_at).not.toBeNull();
    const trend = (await t.app.inject({ ...get("/api/v1/ai/insights/device/pos-leak"), headers }))
      .json()
      .data.health.trends.find((x: { metric: string }) => x.metric === "memory");
    expect(trend.direction).toBe("rising");
  });

  it("says how little it knows about a device without data", async () => {
    const res = await t.app.inject({ ...get("/api/v1/ai/insights/device/pos-empty"), headers });
    expect(res.statusCode).toBe(200);
    expect(res.json().data.health.score).toBeNull();
    expect(res.json().data.health.confidence).toBe(0);
  });

  it("lists the at-risk devices, riskiest first", async () => {
    const res = await t.app.inject({
      ...get("/api/v1/ai/predictions/at-risk-devices?horizon_hours=1&min_probability=0.5"),
      headers,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.evaluated).toBe(3);
    expect(body.devices.map((d: { device_id: string }) => d.device_id)).toEqual(["pos-leak"]);
    expect(body.count).toBe(1);
  });

  it("summarises a site", async () => {
    const res = await t.app.inject({ ...get("/api/v1/ai/insights/site/site-a"), headers });
    expect(res.statusCode).toBe(200);
    const { data } = res.json();
    expect(data.device_count).toBe(2);
    expect(data.scored_devices).toBe(2);
    expect(data.devices).toHaveLength(2);
  });

  it("answers 404 for unknown devices and sites, 400 naming a bad parameter", async () => {
    for (const url of [
      "/api/v1/ai/insights/device/nope",
      "/api/v1/ai/predictions/failure/nope",
      "/api/v1/ai/insights/site/nope",
      "/api/v1/ai/recommendations/optimal-windows/nope",
      "/api/v1/ai/predictions/at-risk-devices?site_id=nope",
    ]) {
      const res = await t.app.inject({ ...get(url), headers });
      expect(res.statusCode, url).toBe(404);
    }
    const bad = await t.app.inject({ ...get("/api/v1/ai/insights/device/pos-ok?hours=0"), headers });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toContain("hours");
    const bad2 = await t.app.inject({ ...get("/api/v1/ai/predictions/at-risk-devices?min_probability=2"), headers });
    expect(bad2.statusCode).toBe(400);
    expect(bad2.json().errors[0].field).toBe("min_probability");
  });
});

describe("insights API: windows and job scheduling", () => {
  beforeAll(async () => {
    const days = [0, 1, 2, 3, 4, 5, 6].map((d) => ({
      siteId: "site-a",
      dayOfWeek: d,
      openTime: "08:00",
      closeTime: "22:00",
      isMaintenanceWindow: d === 2,
      expectedTransactionVolume: 400,
      peakHoursStart: "12:00",
      peakHoursEnd: "14:00",
    }));
    await t.ctx.db.insert(siteOperatingSchedules).values(days);
    const [site] = await t.ctx.db.select().from(sites).where(eq(sites.siteId, "site-a"));
    // Past jobs: ten at 02:00 all fine, ten at 03:00 half failed.
    for (let i = 0; i < 20; i++) {
      const jobId = `job-${String(i).padStart(8, "0")}`;
      const at = new Date(Date.UTC(2025, 11, 20 + (i % 10), i < 10 ? 2 : 3, 10));
      await t.ctx.db.insert(jobs).values({ jobId, action: "update", siteId: site!.id, createdAt: at });
      await t.ctx.db.insert(jobOutcomes).values({
        jobId,
        jobType: "config_update",
        status: i >= 10 && i % 2 === 0 ? "failed" : "completed",
        timestamp: at,
      });
    }
  });

  it("recommends closed hours on the maintenance day, with reasons and confidence", async () => {
    const res = await t.app.inject({
      ...get("/api/v1/ai/recommendations/optimal-windows/site-a?duration_minutes=60"),
      headers,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.count).toBe(5);
    const best = body.windows[0];
    expect(best.local_start.startsWith("Wed")).toBe(true);
    expect(best.phases.closed).toBe(60);
    expect(body.data.job_outcomes).toBe(20);
    expect(body.confidence).toBeGreaterThan(0);
    expect(best.reasons.length).toBeGreaterThan(1);
  });

  it("schedule-job gives the best start in the next 7 days", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/ai/recommendations/schedule-job",
      headers,
      payload: { site_id: "site-a", duration_minutes: 90, job_type: "config_update" },
    });
    expect(res.statusCode).toBe(200);
    const { data } = res.json();
    const start = Date.parse(data.recommended_start);
    expect(start).toBeGreaterThan(NOW.getTime());
    expect(start).toBeLessThan(NOW.getTime() + 7 * 24 * 60 * MIN);
    expect(Date.parse(data.recommended_end) - start).toBe(90 * MIN);
    // 03:00 UTC jobs failed half the time: the recommendation avoids that hour.
    expect(data.recommended_start.slice(11, 13)).not.toBe("03");
    const missing = await t.app.inject({
      method: "POST",
      url: "/api/v1/ai/recommendations/schedule-job",
      headers,
      payload: { site_id: "site-a" },
    });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors[0].field).toBe("duration_minutes");
    const unknown = await t.app.inject({
      method: "POST",
      url: "/api/v1/ai/recommendations/schedule-job",
      headers,
      payload: { site_id: "nope", duration_minutes: 30 },
    });
    expect(unknown.statusCode).toBe(404);
  });

  it("offers the jobs a window finder with the same answer as schedule-job", async () => {
    const w = await findBestJobWindow(t.ctx, "site-a", 60);
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/ai/recommendations/schedule-job",
      headers,
      payload: { site_id: "site-a", duration_minutes: 60 },
    });
    expect(w.start.toISOString()).toBe(res.json().data.recommended_start);
    expect(w.reason).toContain("site schedule");
  });

  it("success probability rests on past outcomes and the devices' risk", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/ai/recommendations/success-probability",
      headers,
      payload: { site_id: "site-a", job_type: "config_update" },
    });
    expect(res.statusCode).toBe(200);
    const { data } = res.json();
    expect(data.sample_size.job_outcomes).toBe(20);
    expect(data.factors.map((f: { factor: string }) => f.factor)).toEqual([
      "site_history",
      "job_type_history",
      "device_health",
    ]);
    // 15 of 20 succeeded, shrunk toward 0.9 with weight 5: (15 + 4.5)/25 = 0.78, then the leaking device's risk.
    expect(data.factors[0].effect).toBeCloseTo(0.78, 4);
    expect(data.probability).toBeLessThan(0.78);
    const none = await t.app.inject({
      method: "POST",
      url: "/api/v1/ai/recommendations/success-probability",
      headers,
      payload: { job_type: "x" },
    });
    expect(none.statusCode).toBe(422);
    expect(none.json().errors[0].field).toBe("site_id");
    const unknownDevice = await t.app.inject({
      method: "POST",
      url: "/api/v1/ai/recommendations/success-probability",
      headers,
      payload: { device_ids: ["nope"] },
    });
    expect(unknownDevice.statusCode).toBe(404);
  });
});

describe("insights API: anomalies, alerts, error patterns, forecast, status", () => {
  it("detects the leaking device's memory outlier, stores it once, and resolves it", async () => {
    const res = await t.app.inject({ ...get("/api/v1/ai/anomalies?site_id=site-a"), headers });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const leak = body.anomalies.find((a: { device_id: string }) => a.device_id === "pos-leak");
    expect(leak.metric).toBe("memory");
    expect(leak.details.z).toBeGreaterThan(3.5);
    expect(body.anomalies.some((a: { device_id: string }) => a.device_id === "pos-ok")).toBe(false);
    const again = (await t.app.inject({ ...get("/api/v1/ai/anomalies?site_id=site-a"), headers })).json();
    const same = again.anomalies.find((a: { device_id: string }) => a.device_id === "pos-leak");
    expect(same.alert_id).toBe(leak.alert_id);
    expect(same.occurrences).toBe(2);
    expect(body.total).toBe(body.anomalies.length);
    // limit keeps the most severe first and still says how many there are.
    const top = (await t.app.inject({ ...get("/api/v1/ai/anomalies?site_id=site-a&limit=1"), headers })).json();
    expect(top).toMatchObject({ count: 1, total: body.total });
    expect(top.anomalies[0].fingerprint).toBe(body.anomalies[0].fingerprint);
    const zero = await t.app.inject({ ...get("/api/v1/ai/anomalies?limit=0"), headers });
    expect(zero.statusCode).toBe(400);
    expect(zero.body).toContain("limit");
    const stored = await t.ctx.db.select().from(alerts).where(eq(alerts.id, leak.alert_id));
    // The "Anomaly detected" rule's alert of that condition (rule id + the detector's fingerprint).
    expect(stored[0]?.fingerprint).toMatch(/^r\d+:metric_outlier:pos-leak:memory:high$/);

    const resolved = await t.app.inject({ method: "PUT", url: `/api/v1/ai/alerts/${leak.alert_id}/resolve`, headers });
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json().data.resolved).toBe(true);
    const [row] = await t.ctx.db.select().from(alerts).where(eq(alerts.id, leak.alert_id));
    expect(row?.resolved).toBe(true);
    expect(row?.resolvedBy).not.toBeNull();
    const audits = await t.ctx.db.select().from(auditLogs).where(eq(auditLogs.eventType, "alert_resolved"));
    expect(audits).toHaveLength(1);
    // Detected again right after resolving: the same alert re-opens, counted as a flap (flapping is suppressed).
    const third = (await t.app.inject({ ...get("/api/v1/ai/anomalies?device_id=pos-leak"), headers })).json();
    expect(third.anomalies[0].alert_id).toBe(leak.alert_id);
    const [reopened] = await t.ctx.db.select().from(alerts).where(eq(alerts.id, leak.alert_id));
    expect(reopened).toMatchObject({ status: "open", resolved: false, flaps: 1 });

    expect((await t.app.inject({ method: "PUT", url: "/api/v1/ai/alerts/999999/resolve", headers })).statusCode).toBe(
      404,
    );
    expect((await t.app.inject({ method: "PUT", url: "/api/v1/ai/alerts/abc/resolve", headers })).statusCode).toBe(400);
    expect((await t.app.inject({ ...get("/api/v1/ai/anomalies?device_id=nope"), headers })).statusCode).toBe(404);
  });

  it("groups errors and flags the rising ones", async () => {
    const rows = [];
    for (let d = 0; d < 5; d++)
      rows.push({
        timestamp: new Date(NOW.getTime() - (6 - d) * 24 * 60 * MIN),
        category: "device",
        severity: "error",
        errorCode: "GW_TIMEOUT",
        errorMessage: "Payment gateway timeout",
        deviceId: "pos-ok",
      });
    for (let i = 0; i < 6; i++)
      rows.push({
        timestamp: new Date(NOW.getTime() - i * 60 * MIN),
        category: "database",
        severity: "critical",
        errorCode: "DB_CONN_001",
        errorMessage: "Database connection failed",
        deviceId: "pos-leak",
      });
    await t.ctx.db.insert(errorLogs).values(rows);
    const res = await t.app.inject({ ...get("/api/v1/ai/error-patterns?days=7"), headers });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBe(11);
    expect(body.patterns.code.find((p: { key: string }) => p.key === "GW_TIMEOUT").recurring).toBe(true);
    expect(body.rising.some((p: { key: string }) => p.key === "DB_CONN_001")).toBe(true);
    expect(body.patterns.site.find((p: { key: string }) => p.key === "site-a").count).toBe(11);
    const site = await t.app.inject({ ...get("/api/v1/ai/error-patterns?site_id=site-b"), headers });
    expect(site.json().total).toBe(0);
    const bad = await t.app.inject({ ...get("/api/v1/ai/error-patterns?start_date=yesterday"), headers });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toContain("start_date");
  });

  it("forecasts where scores are heading", async () => {
    const res = await t.app.inject({ ...get("/api/v1/ai/health-forecast?horizon_hours=2&hours=3"), headers });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.devices_evaluated).toBe(3);
    const leak = body.devices.find((d: { device_id: string }) => d.device_id === "pos-leak");
    expect(leak.projected_score).toBeLessThan(leak.current_score);
    expect(leak.drivers.join(" ")).toContain("Memory");
  });

  it("the background task no longer scans the fleet for anomalies (the live detector raises them as data arrives)", async () => {
    const before = await t.ctx.db
      .select()
      .from(alerts)
      .where(like(alerts.fingerprint, "%:metric_outlier:pos-leak:memory:high"));
    const open = before.find((a) => !a.resolved);
    expect(open).toBeDefined();
    const task = new AnomalyDetectionTask(3_600_000);
    task.start(t.app);
    await task.runOnce();
    await task.stop();
    const [after] = await t.ctx.db.select().from(alerts).where(eq(alerts.id, open!.id));
    expect(after?.occurrences).toBe(open!.occurrences);
  });

  it("reports its status and data", async () => {
    const res = await t.app.inject({ ...get("/api/v1/ai/status"), headers });
    expect(res.statusCode).toBe(200);
    const { data } = res.json();
    expect(data.external_services).toBe(false);
    expect(data.data.device_metrics).toBe(242);
    expect(data.models.find((m: { name: string }) => m.name === "failure_risk").ready).toBe(true);
    // The live detector's model card: its parameters and NAB figures with their date.
    expect(data.models.map((m: { name: string }) => m.name)).toContain("streaming_anomaly");
    expect(data.model_card.parameters.learningSamples).toBe(300);
    expect(data.model_card.nab.measured_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(data.model_card.nab.scores.standard).toBeGreaterThan(data.model_card.nab.previous.standard);
  });
});

describe("insights API: a device waiting for its first contact", () => {
  it("has no score or risk, is not at risk, and has no forecast; an over-short history says how long to wait", async () => {
    await t.ctx.db.insert(devices).values({
      deviceId: "pos-new",
      name: "pos-new",
      deviceType: "pos_terminal",
      siteId: "site-b",
      status: "offline",
    });
    const one = (await t.app.inject({ ...get("/api/v1/ai/insights/device/pos-new"), headers })).json().data;
    expect(one.health.state).toBe("waiting_for_first_contact");
    expect(one.health.score).toBeNull();
    expect(one.failure_risk.state).toBe("waiting_for_first_contact");
    expect(one.failure_risk.risk_level).toBe("unknown");
    expect(one.failure_risk.probability).toBe(0);
    const risk = (
      await t.app.inject({ ...get("/api/v1/ai/predictions/at-risk-devices?min_probability=0"), headers })
    ).json();
    expect(risk.waiting_for_first_contact).toBe(1);
    expect(risk.devices.some((d: { device_id: string }) => d.device_id === "pos-new")).toBe(false);
    const forecast = (await t.app.inject({ ...get("/api/v1/ai/health-forecast?hours=3"), headers })).json();
    const fresh = forecast.devices.find((d: { device_id: string }) => d.device_id === "pos-new");
    expect(fresh).toMatchObject({ state: "waiting_for_first_contact", projected_score: null });
    // A device reporting for 15 minutes gets no extrapolated score, but the minutes it still needs.
    await t.ctx.db.insert(devices).values({
      deviceId: "pos-short",
      name: "pos-short",
      deviceType: "pos_terminal",
      siteId: "site-b",
      status: "online",
      lastSeen: NOW,
    });
    await t.ctx.db.insert(deviceMetrics).values(
      Array.from({ length: 16 }, (_, i) => ({
        deviceId: "pos-short",
        timestamp: new Date(NOW.getTime() - (15 - i) * MIN),
        memoryPercent: 42 + 4 * i,
      })),
    );
    const again = (await t.app.inject({ ...get("/api/v1/ai/health-forecast?hours=3"), headers })).json();
    const short = again.devices.find((d: { device_id: string }) => d.device_id === "pos-short");
    expect(short).toMatchObject({ state: "not_enough_data", projected_score: null, drivers: [] });
    expect(short.note).toBe("not enough data yet (needs 105 more minutes)");
    // Its failure risk does not extrapolate the 15-minute climb either, and says why.
    const prediction = (await t.app.inject({ ...get("/api/v1/ai/predictions/failure/pos-short"), headers })).json();
    expect(prediction.data.trend_note).toBe("not enough data yet (needs 105 more minutes)");
    // Only what is true now counts (its memory reached 100 %): no "h to 97 % at this rate".
    const trends = prediction.data.factors.filter((f: { factor: string }) => f.factor.endsWith("_trend"));
    expect(trends.map((f: { detail: string }) => f.detail)).toEqual([expect.stringMatching(/at or above 97%$/)]);
    const leak = again.devices.find((d: { device_id: string }) => d.device_id === "pos-leak");
    expect(leak.state).toBe("projected");
  });
});

describe("the failure-risk sweep", () => {
  it("assesses only devices with new data after the first sweep, and resolves a risk that data cleared", async () => {
    const { raiseRiskAlerts } = await import("@homepot/core/insights/raise-risk-alerts");
    await addDevice("pos-risky", "site-b");
    await addMetrics("pos-risky", (i) => (i < 40 ? 50 + 2 * wiggle(i + 1) : 50 + 0.35 * (i - 40) + wiggle(i)));
    const riskAlert = async () =>
      (await t.ctx.db.select().from(alerts).where(like(alerts.fingerprint, "%:risk:pos-risky")))[0];
    const full = await raiseRiskAlerts(t.ctx);
    const active = await t.ctx.db.select({ id: devices.id }).from(devices).where(eq(devices.lifecycleState, "active"));
    expect(full.evaluated).toBeGreaterThanOrEqual(active.length - 1); // all but the one waiting for first contact
    expect((await riskAlert())?.status).toBe("open");

    // Nothing new since the last sweep: nobody is assessed, and the open risk stays open. (Rows' updated_at come
    // from the database's own clock, not the test's.)
    const after = new Date(Date.now() + 60_000);
    expect(await raiseRiskAlerts(t.ctx, { since: after })).toEqual({ evaluated: 0, raised: 0 });
    expect((await riskAlert())?.status).toBe("open");

    // New data from pos-risky alone (its memory back to normal): only it is assessed, and its risk resolves.
    await t.ctx.db.delete(deviceMetrics).where(eq(deviceMetrics.deviceId, "pos-risky"));
    await addMetrics("pos-risky", (i) => 50 + 2 * wiggle(i + 1));
    await t.ctx.db
      .update(devices)
      .set({ updatedAt: new Date(after.getTime() + 60_000) })
      .where(eq(devices.deviceId, "pos-risky"));
    expect(await raiseRiskAlerts(t.ctx, { since: after })).toEqual({ evaluated: 1, raised: 0 });
    expect(await riskAlert()).toMatchObject({ status: "resolved", resolvedBy: "system" });
  });
});
