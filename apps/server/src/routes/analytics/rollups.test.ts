import { readFileSync } from "node:fs";
import { join } from "node:path";
import { applyRetention } from "@homepot/core/analytics/apply-retention";
import { refreshRollups } from "@homepot/core/analytics/refresh-rollups";
import {
  apiRequestLogs,
  apiRequestRollups,
  auditLogs,
  deviceMetricRollups,
  deviceMetrics,
  deviceStateHistory,
  devices,
  errorLogs,
  healthChecks,
  jobOutcomes,
  migrationsFolder,
  sites,
  userActivities,
} from "@homepot/db";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectRequiresRole, loginAs, type TestApp } from "../../testing.ts";

let now = new Date("2026-03-05T12:00:00Z");
const clock = { now: () => now };
let t: TestApp;
let admin: Record<string, string>;
let devA = 0;
const H1 = "2026-03-01T10:00:00.000Z";
const at = (iso: string) => new Date(iso);

beforeAll(async () => {
  t = await createTestApp({ clock });
  admin = (await loginAs(t, "admin")).headers;
  await t.ctx.db.insert(sites).values([
    { siteId: "site-a", name: "A" },
    { siteId: "site-b", name: "B" },
  ]);
  const devs = await t.ctx.db
    .insert(devices)
    .values([
      { deviceId: "dev-a", name: "A", deviceType: "pos_terminal", siteId: "site-a" },
      { deviceId: "dev-b", name: "B", deviceType: "pos_terminal", siteId: "site-a" },
      { deviceId: "dev-c", name: "C", deviceType: "pos_terminal", siteId: "site-b" },
    ])
    .returning();
  devA = devs[0]!.id;
  const m = (deviceId: string, iso: string, cpu: number) => ({
    deviceId,
    timestamp: at(iso),
    cpuPercent: cpu,
    memoryPercent: 50,
    transactionCount: 2,
  });
  await t.ctx.db.insert(deviceMetrics).values([
    m("dev-a", "2026-03-01T10:00:00Z", 10),
    m("dev-a", "2026-03-01T10:10:00Z", 20),
    m("dev-a", "2026-03-01T10:20:00Z", 30),
    m("dev-a", "2026-03-01T10:30:00Z", 40),
    m("dev-a", "2026-03-01T10:40:00Z", 50),
    m("dev-b", "2026-03-01T10:05:00Z", 60),
    m("dev-b", "2026-03-01T10:59:59.999Z", 80),
    m("dev-c", "2026-03-01T10:30:00Z", 5),
    m("dev-a", "2026-03-01T11:00:00Z", 90), // next hour, same day
  ]);
  const r = (route: string, method: string, ms: number, status: number) => ({
    timestamp: at("2026-03-01T10:15:00Z"),
    endpoint: route,
    route,
    method,
    statusCode: status,
    responseTimeMs: ms,
  });
  await t.ctx.db
    .insert(apiRequestLogs)
    .values([
      r("/api/v1/x", "GET", 10, 200),
      r("/api/v1/x", "GET", 20, 200),
      r("/api/v1/x", "GET", 30, 500),
      r("/api/v1/x", "GET", 40, 404),
      r("/api/v1/y", "POST", 100, 201),
      { ...r("/api/v1/probe-1", "GET", 1, 404), route: null },
      { ...r("/api/v1/probe-2", "GET", 3, 404), route: null },
    ]);
});
afterAll(async () => t.close());

/** The rollup row of a device (`dev-a`), a site (`site:site-a`) or the fleet (`fleet`). */
async function rollup(bucket: string, who: string, start = H1) {
  const r = deviceMetricRollups;
  const [scope, key] = who === "fleet" ? ["fleet"] : who.startsWith("site:") ? ["site", who.slice(5)] : ["device", who];
  const [row] = await t.ctx.db
    .select()
    .from(r)
    .where(
      and(
        eq(r.bucket, bucket),
        eq(r.scope, scope as "device" | "site" | "fleet"),
        ...(scope === "device" ? [eq(r.deviceId, key as string)] : []),
        ...(scope === "site" ? [eq(r.siteId, key as string)] : []),
        sql`${r.bucketStart} = ${start}::timestamp`,
      ),
    );
  return row as (typeof r.$inferSelect & { stats: Record<string, Record<string, number>> }) | undefined;
}

describe("refreshRollups", () => {
  it("aggregates device_metrics per device, per site and for the fleet (avg/min/max/p95)", async () => {
    await refreshRollups(t.ctx);
    const a = await rollup("hour", "dev-a");
    expect(a?.samples).toBe(5);
    expect(a?.siteId).toBe("site-a");
    expect(a?.stats.cpu_percent).toMatchObject({ avg: 30, min: 10, max: 50, n: 5 });
    expect(a?.stats.cpu_percent?.p95).toBeCloseTo(48, 6);
    expect(a?.stats.network_latency_ms).toMatchObject({ avg: null, n: 0 });

    const siteA = await rollup("hour", "site:site-a");
    expect(siteA).toMatchObject({ scope: "site", deviceId: null, siteId: "site-a", samples: 7 });
    expect(siteA?.stats.cpu_percent?.avg).toBeCloseTo(290 / 7, 6);
    expect(siteA?.stats.cpu_percent?.p95).toBeCloseTo(74, 6);
    const fleet = await rollup("hour", "fleet");
    expect(fleet).toMatchObject({ scope: "fleet", deviceId: null, siteId: null, samples: 8 });
    expect(fleet?.stats.cpu_percent?.p95).toBeCloseTo(73, 6);
    expect(fleet?.stats.cpu_percent?.min).toBe(5);

    const dayA = await rollup("day", "dev-a", "2026-03-01T00:00:00.000Z");
    expect(dayA?.samples).toBe(6);
    expect(dayA?.stats.cpu_percent).toMatchObject({ avg: 40, max: 90 });
    const next = await rollup("hour", "dev-a", "2026-03-01T11:00:00.000Z");
    expect(next?.samples).toBe(1);
  });

  it("aggregates api_request_logs per route and method: count, error rate, p50/p95", async () => {
    const rows = await t.ctx.db
      .select()
      .from(apiRequestRollups)
      .where(and(eq(apiRequestRollups.bucket, "hour"), sql`${apiRequestRollups.bucketStart} = ${H1}::timestamp`));
    const x = rows.find((r) => r.route === "/api/v1/x" && r.method === "GET");
    expect(x).toMatchObject({ requests: 4, errors: 2, p50Ms: 25, avgMs: 25, maxMs: 40 });
    expect(x?.p95Ms).toBeCloseTo(38.5, 6);
    const all = rows.find((r) => r.route === "*" && r.method === "*");
    expect(all).toMatchObject({ requests: 7, errors: 4, avgMs: 204 / 7, maxMs: 100 });
    // Paths no route matched are one row, not one per probed path.
    expect(rows.find((r) => r.route === "(unmatched)")).toMatchObject({
      method: "GET",
      requests: 2,
      errors: 2,
      p50Ms: 2,
    });
    expect(rows.some((r) => r.route.includes("probe"))).toBe(false);
  });

  it("is incremental: a late sample for an old hour is picked up; nothing new touches only recent buckets", async () => {
    const idle = await refreshRollups(t.ctx);
    expect(idle.deviceMetricBuckets).toBeLessThanOrEqual(4); // current + previous hour and their day(s)
    await t.ctx.db
      .insert(deviceMetrics)
      .values({ deviceId: "dev-a", timestamp: at("2026-03-01T10:45:00Z"), cpuPercent: 100 });
    const late = await refreshRollups(t.ctx);
    expect(late.deviceMetricBuckets).toBeGreaterThan(idle.deviceMetricBuckets);
    const a = await rollup("hour", "dev-a");
    expect(a?.samples).toBe(6);
    expect(a?.stats.cpu_percent?.max).toBe(100);
    expect((await rollup("day", "dev-a", "2026-03-01T00:00:00.000Z"))?.samples).toBe(7);
  });
});

describe("device_metric_rollups.scope", () => {
  it("keeps one row per device, site and fleet per bucket across refreshes (a late sample updates in place)", async () => {
    const rows = await t.ctx.db
      .select({ scope: deviceMetricRollups.scope, n: sql<number>`count(*)::int` })
      .from(deviceMetricRollups)
      .where(and(eq(deviceMetricRollups.bucket, "hour"), sql`${deviceMetricRollups.bucketStart} = ${H1}::timestamp`))
      .groupBy(deviceMetricRollups.scope);
    expect(Object.fromEntries(rows.map((r) => [r.scope, r.n]))).toEqual({ device: 3, site: 2, fleet: 1 });
  });

  it("the migration gives rows of the old 'site:<id>' / '*' device ids their scope", async () => {
    // What 0001 leaves behind for rows written before the scope column: scope 'device' and the old ids.
    const old = { bucket: "hour", bucketStart: at("2020-01-01T00:00:00Z"), samples: 1, stats: {} };
    await t.ctx.db.insert(deviceMetricRollups).values([
      { ...old, deviceId: "dev-old", siteId: "site-a" },
      { ...old, deviceId: "site:site-a", siteId: "site-a" },
      { ...old, deviceId: "*" },
    ]);
    const journal = JSON.parse(readFileSync(join(migrationsFolder, "meta/_journal.json"), "utf8")) as {
      entries: { tag: string }[];
    };
    const tag = journal.entries.find((e) => e.tag.endsWith("_rollup_scope_rows"))?.tag;
    const file = readFileSync(join(migrationsFolder, `${tag}.sql`), "utf8");
    for (const statement of file.split("--> statement-breakpoint")) await t.ctx.db.execute(sql.raw(statement));
    const migrated = await t.ctx.db
      .select({
        scope: deviceMetricRollups.scope,
        deviceId: deviceMetricRollups.deviceId,
        siteId: deviceMetricRollups.siteId,
      })
      .from(deviceMetricRollups)
      .where(sql`${deviceMetricRollups.bucketStart} = '2020-01-01 00:00:00'::timestamp`)
      .orderBy(deviceMetricRollups.scope);
    expect(migrated).toEqual([
      { scope: "device", deviceId: "dev-old", siteId: "site-a" },
      { scope: "fleet", deviceId: null, siteId: null },
      { scope: "site", deviceId: null, siteId: "site-a" },
    ]);
  });
});

describe("GET /analytics/device-metrics/summary", () => {
  const get = (q: string, headers = admin) =>
    t.app.inject({ method: "GET", url: `/api/v1/analytics/device-metrics/summary?${q}`, headers });

  it("needs a signed-in user; viewers may read it", async () => {
    expect((await t.app.inject({ method: "GET", url: "/api/v1/analytics/device-metrics/summary" })).statusCode).toBe(
      401,
    );
    const viewer = await loginAs(t, "viewer");
    expect((await get("bucket=hour", viewer.headers)).statusCode).toBe(200);
  });

  it("reads device, site and fleet rows by bucket", async () => {
    const dev = (await get("bucket=hour&device_id=dev-a&start_date=2026-03-01&end_date=2026-03-02&order=asc")).json();
    expect(dev).toMatchObject({ success: true, bucket: "hour", scope: "device", count: 2 });
    expect(dev.summaries[0]).toMatchObject({ bucket_start: H1, device_id: "dev-a", site_id: "site-a", samples: 6 });
    expect(dev.summaries[0].metrics.cpu_percent).toMatchObject({ min: 10, max: 100 });

    const site = (await get("bucket=hour&site_id=site-a&start_date=2026-03-01&end_date=2026-03-02")).json();
    expect(site.scope).toBe("site");
    expect(site.summaries.map((s: { bucket_start: string; samples: number }) => [s.bucket_start, s.samples])).toEqual([
      ["2026-03-01T11:00:00.000Z", 1],
      [H1, 8],
    ]);
    const devicesOfSite = (
      await get("bucket=hour&site_id=site-a&scope=device&start_date=2026-03-01T10:00:00Z&end_date=2026-03-01T10:00:00Z")
    ).json();
    expect(devicesOfSite.summaries.map((s: { device_id: string }) => s.device_id)).toEqual(["dev-a", "dev-b"]);

    const fleetDay = (await get("bucket=day&start_date=2026-03-01&end_date=2026-03-01")).json();
    expect(fleetDay).toMatchObject({ scope: "fleet", count: 1 });
    expect(fleetDay.summaries[0]).toMatchObject({
      bucket_start: "2026-03-01T00:00:00.000Z",
      device_id: null,
      samples: 10,
    });
  });

  it("400 naming a bad parameter", async () => {
    for (const [q, field] of [
      ["bucket=week", "bucket"],
      ["scope=planet", "scope"],
      ["limit=0", "limit"],
      ["start_date=2026-03-03&end_date=2026-03-01", "start_date"],
    ]) {
      const res = await get(q!);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().detail).toMatch(new RegExp(`^querystring ${field}:`));
    }
  });
});

describe("GET /analytics/requests/summary", () => {
  const get = (q: string) =>
    t.app.inject({ method: "GET", url: `/api/v1/analytics/requests/summary?${q}`, headers: admin });

  it("needs an admin", async () => {
    await expectRequiresRole(t, { method: "GET", url: "/api/v1/analytics/requests/summary" }, "admin");
  });

  it("answers the all-routes total by default, per route on request", async () => {
    const total = (await get("bucket=hour&start_date=2026-03-01&end_date=2026-03-02")).json();
    expect(total.count).toBe(1);
    expect(total.summaries[0]).toMatchObject({ bucket_start: H1, route: "*", method: "*", requests: 7, errors: 4 });
    expect(total.summaries[0].error_rate).toBeCloseTo(4 / 7, 9);
    const byRoute = (await get("bucket=day&by_route=true&start_date=2026-03-01&end_date=2026-03-01")).json();
    expect(byRoute.summaries.map((s: { route: string; method: string }) => `${s.method} ${s.route}`)).toEqual([
      "GET (unmatched)",
      "GET /api/v1/x",
      "POST /api/v1/y",
    ]);
    const one = (await get("bucket=hour&route=/api/v1/x&start_date=2026-03-01&end_date=2026-03-02")).json();
    expect(one.summaries[0]).toMatchObject({ requests: 4, p50_ms: 25, error_rate: 0.5 });
    const bad = await get("bucket=minute");
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toMatch(/^querystring bucket:/);
  });
});

describe("applyRetention", () => {
  it("deletes old rows in batches from every time-series table, keeps recent rows and the rollups, and audits", async () => {
    const old = at("2026-02-01T00:00:00Z");
    const recent = at("2026-03-04T00:00:00Z");
    for (const ts of [old, old, old, recent]) {
      await t.ctx.db.insert(deviceMetrics).values({ deviceId: "dev-a", timestamp: ts, cpuPercent: 1 });
      await t.ctx.db
        .insert(apiRequestLogs)
        .values({ timestamp: ts, endpoint: "/r", method: "GET", statusCode: 200, responseTimeMs: 1 });
      await t.ctx.db.insert(healthChecks).values({ timestamp: ts, deviceId: devA, isHealthy: true, statusCode: 200 });
      await t.ctx.db.insert(userActivities).values({ timestamp: ts, userId: "1", activityType: "click" });
      await t.ctx.db
        .insert(deviceStateHistory)
        .values({ timestamp: ts, deviceId: "dev-a", newState: "online", changedBy: "system" });
      await t.ctx.db.insert(jobOutcomes).values({ timestamp: ts, jobId: "job-1", status: "completed" });
      await t.ctx.db.insert(errorLogs).values({ timestamp: ts, category: "api", severity: "error", errorMessage: "x" });
    }
    const oldAudit = await t.ctx.db.insert(auditLogs).values({ createdAt: old, eventType: "old_event" }).returning();

    // device_metrics and api_request_logs rows are deleted only once the rollups have seen them:
    // the March 1 samples (rolled up above) go, the February rows just inserted wait.
    const first = await applyRetention(t.ctx, { retentionDays: 3, batchSize: 2 });
    expect(first.device_metrics).toBe(10);
    expect(first.api_request_logs).toBe(7);
    expect(first.health_checks).toBe(3);
    expect(first.user_activities).toBe(3);
    expect(first.device_state_history).toBe(3);
    expect(first.job_outcomes).toBe(3);
    expect(first.error_logs).toBeGreaterThanOrEqual(3);
    const oldMetricsLeft = await t.ctx.db.$count(
      deviceMetrics,
      sql`${deviceMetrics.timestamp} = '2026-02-01'::timestamp`,
    );
    expect(oldMetricsLeft).toBe(3);

    await refreshRollups(t.ctx);
    const second = await applyRetention(t.ctx, { retentionDays: 3, batchSize: 2 });
    expect(second.device_metrics).toBe(3);
    expect(second.api_request_logs).toBe(3);
    expect(second.health_checks).toBe(0);

    expect(await t.ctx.db.$count(deviceMetrics, sql`${deviceMetrics.timestamp} = '2026-03-04'::timestamp`)).toBe(1);
    expect(await t.ctx.db.$count(healthChecks)).toBe(1);
    expect(await t.ctx.db.$count(userActivities)).toBe(1);
    expect(await t.ctx.db.$count(auditLogs, eq(auditLogs.id, oldAudit[0]!.id))).toBe(1); // audit log is kept
    // The rollups outlive the raw rows.
    expect((await rollup("hour", "dev-a"))?.samples).toBe(6);
    const audits = await t.ctx.db.select().from(auditLogs).where(eq(auditLogs.eventType, "retention_applied"));
    expect(audits.length).toBe(2);
    expect(audits[1]?.eventMetadata).toMatchObject({ retention_days: 3, deleted: { device_metrics: 3 } });
  });

  it("the maintenance task refreshes rollups and applies retention with the app's clock", async () => {
    const { AnalyticsMaintenanceTask } = await import("../../tasks/analytics-maintenance.ts");
    now = new Date("2026-03-10T12:00:00Z");
    await t.ctx.db
      .insert(deviceMetrics)
      .values({ deviceId: "dev-b", timestamp: at("2026-03-10T11:30:00Z"), cpuPercent: 33 });
    const task = new AnalyticsMaintenanceTask();
    await task.maintain(t.ctx, 3);
    expect((await rollup("hour", "dev-b", "2026-03-10T11:00:00.000Z"))?.samples).toBe(1);
    expect(await t.ctx.db.$count(deviceMetrics, sql`${deviceMetrics.timestamp} = '2026-03-04'::timestamp`)).toBe(0);
  });
});
