import { encodeCursor } from "@homepot/contracts/analytics";
import {
  apiRequestLogs,
  auditLogs,
  configurationHistory,
  deviceMetrics,
  deviceStateHistory,
  devices,
  errorLogs,
  healthChecks,
  jobOutcomes,
  jobs,
  siteOperatingSchedules,
  sites,
  userActivities,
} from "@homepot/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectRequiresRole, loginAs, type TestApp } from "../../testing.ts";

let t: TestApp;
let admin: Record<string, string>;
const T0 = Date.parse("2026-03-01T00:00:00Z");
const WINDOW = "start_date=2026-03-01T00:00:00Z&end_date=2026-03-02T00:00:00Z";
// Six rows per table: hours 0..4, the last two sharing hour 4 (ties are broken by id).
const at = (i: number) => new Date(T0 + Math.min(i, 4) * 3600_000 + (i === 3 ? 123 : 0));
const N = 6;
const idx = [...Array(N).keys()];
let devA = 0;
let devB = 0;
let siteB = 0;
let jobKey = 0;

interface Spec {
  url: string;
  key: string;
  /** Inserts the N rows, returns their ids in insert order. */
  seed(): Promise<number[]>;
  /** query string → which seeded rows (by index) match. */
  filters: [string, (i: number) => boolean][];
}

const specs: Spec[] = [
  {
    url: "/requests",
    key: "requests",
    seed: async () =>
      (
        await t.ctx.db
          .insert(apiRequestLogs)
          .values(
            idx.map((i) => ({
              timestamp: at(i),
              endpoint: i % 2 ? "/api/v1/a" : "/api/v1/b",
              route: i % 2 ? "/api/v1/a" : "/api/v1/b",
              method: i < 3 ? "GET" : "POST",
              statusCode: i === 3 ? 500 : i === 5 ? 404 : 200,
              responseTimeMs: 10 + i,
              userId: i % 3 === 0 ? "7" : null,
              deviceId: i === 1 ? "dev-a" : null,
            })),
          )
          .returning()
      ).map((r) => r.id),
    filters: [
      ["endpoint=/api/v1/a", (i) => i % 2 === 1],
      ["method=post", (i) => i >= 3],
      ["status_code=500", (i) => i === 3],
      ["errors_only=true", (i) => i === 3 || i === 5],
      ["user_id=7", (i) => i % 3 === 0],
      ["device_id=dev-a", (i) => i === 1],
      ["route=/api/v1/b&method=GET", (i) => i % 2 === 0 && i < 3],
    ],
  },
  {
    url: "/device-states",
    key: "history",
    seed: async () =>
      (
        await t.ctx.db
          .insert(deviceStateHistory)
          .values(
            idx.map((i) => ({
              timestamp: at(i),
              deviceId: i % 2 ? "dev-a" : "dev-b",
              previousState: "online",
              newState: i < 2 ? "error" : "offline",
              changedBy: i === 0 ? "1" : "system",
              reason: "test",
            })),
          )
          .returning()
      ).map((r) => r.id),
    filters: [
      ["device_id=dev-a", (i) => i % 2 === 1],
      ["new_state=error", (i) => i < 2],
      ["changed_by=system&device_id=dev-b", (i) => i > 0 && i % 2 === 0],
      ["site_id=site-a", (i) => i % 2 === 1],
    ],
  },
  {
    url: "/jobs",
    key: "outcomes",
    seed: async () =>
      (
        await t.ctx.db
          .insert(jobOutcomes)
          .values(
            idx.map((i) => ({
              timestamp: at(i),
              jobId: i < 3 ? "job-00000001" : "job-00000002",
              jobType: "config_update",
              deviceId: i === 4 ? "dev-a" : null,
              status: i % 2 ? "failed" : "completed",
              durationMs: 100 * i,
              initiatedBy: "1",
            })),
          )
          .returning()
      ).map((r) => r.id),
    filters: [
      ["job_id=job-00000002", (i) => i >= 3],
      ["status=failed", (i) => i % 2 === 1],
      ["device_id=dev-a", (i) => i === 4],
      ["site_id=site-a", (i) => i === 4],
      ["job_type=config_update&initiated_by=1", () => true],
    ],
  },
  {
    url: "/errors",
    key: "errors",
    seed: async () =>
      (
        await t.ctx.db
          .insert(errorLogs)
          .values(
            idx.map((i) => ({
              timestamp: at(i),
              category: i % 2 ? "api" : "frontend",
              severity: i === 2 ? "critical" : "error",
              errorCode: `E_${i % 3}`,
              errorMessage: `e${i}`,
              resolved: i === 5,
              deviceId: i === 1 ? "dev-a" : null,
              userId: i === 0 ? "9" : null,
              endpoint: "/x",
            })),
          )
          .returning()
      ).map((r) => r.id),
    filters: [
      ["category=api", (i) => i % 2 === 1],
      ["severity=critical", (i) => i === 2],
      ["resolved=true", (i) => i === 5],
      ["resolved=false&category=frontend", (i) => i % 2 === 0],
      ["error_code=E_1", (i) => i % 3 === 1],
      ["device_id=dev-a", (i) => i === 1],
      ["user_id=9&endpoint=/x", (i) => i === 0],
      ["site_id=site-a", (i) => i === 1],
    ],
  },
  {
    url: "/user-activities",
    key: "activities",
    seed: async () =>
      (
        await t.ctx.db
          .insert(userActivities)
          .values(
            idx.map((i) => ({
              timestamp: at(i),
              userId: i < 4 ? "3" : "4",
              sessionId: `s${i % 2}`,
              activityType: i % 2 ? "click" : "page_view",
              pageUrl: i === 2 ? "/sites" : "/",
              durationMs: i,
            })),
          )
          .returning()
      ).map((r) => r.id),
    filters: [
      ["user_id=4", (i) => i >= 4],
      ["activity_type=click", (i) => i % 2 === 1],
      ["session_id=s0", (i) => i % 2 === 0],
      ["page_url=/sites", (i) => i === 2],
    ],
  },
  {
    url: "/device-metrics",
    key: "metrics",
    seed: async () =>
      (
        await t.ctx.db
          .insert(deviceMetrics)
          .values(
            idx.map((i) => ({
              timestamp: at(i),
              deviceId: i % 2 ? "dev-a" : "dev-b",
              cpuPercent: 10 * i,
              memoryPercent: 50,
              transactionCount: i,
            })),
          )
          .returning()
      ).map((r) => r.id),
    filters: [
      ["device_id=dev-a", (i) => i % 2 === 1],
      ["site_id=site-b", (i) => i % 2 === 0],
      ["site_id=site-none", () => false],
    ],
  },
  {
    url: "/config-history",
    key: "history",
    seed: async () =>
      (
        await t.ctx.db
          .insert(configurationHistory)
          .values(
            idx.map((i) => ({
              timestamp: at(i),
              entityType: i === 5 ? "site" : "device",
              entityId: i === 5 ? "site-a" : i % 2 ? "dev-a" : "dev-b",
              parameterName: "config_version",
              oldValue: { v: "1" },
              newValue: { v: "2" },
              changedBy: "1",
              changeType: i < 2 ? "manual" : "automated",
              wasSuccessful: i !== 3,
              jobId: i === 4 ? "job-00000009" : null,
            })),
          )
          .returning()
      ).map((r) => r.id),
    filters: [
      ["device_id=dev-a", (i) => i % 2 === 1 && i !== 5],
      ["entity_type=site", (i) => i === 5],
      ["change_type=manual", (i) => i < 2],
      ["was_successful=false", (i) => i === 3],
      ["job_id=job-00000009", (i) => i === 4],
      ["parameter_name=config_version&entity_id=dev-b", (i) => i % 2 === 0 && i !== 5],
    ],
  },
  {
    url: "/audit-logs",
    key: "audit_logs",
    seed: async () =>
      (
        await t.ctx.db
          .insert(auditLogs)
          .values(
            idx.map((i) => ({
              createdAt: at(i),
              eventType: i % 2 ? "device_updated" : "job_created",
              description: `a${i}`,
              userId: i === 0 ? 42 : null,
              deviceId: i === 1 ? devA : null,
              siteId: i === 2 ? siteB : null,
              jobId: i === 3 ? jobKey : null,
            })),
          )
          .returning()
      ).map((r) => r.id),
    filters: [
      ["event_type=device_updated", (i) => i % 2 === 1],
      ["user_id=42", (i) => i === 0],
      ["device_id=dev-a", (i) => i === 1],
      ["device_id=unknown-device", () => false],
      ["site_id=site-b", (i) => i === 2],
      ["job_id=job-audit", (i) => i === 3],
      ["job_id=unknown-job", () => false],
    ],
  },
  {
    url: "/health-checks",
    key: "health_checks",
    seed: async () =>
      (
        await t.ctx.db
          .insert(healthChecks)
          .values(
            idx.map((i) => ({
              timestamp: at(i),
              deviceId: i % 2 ? devA : devB,
              isHealthy: i !== 2,
              statusCode: i === 2 ? 500 : 200,
              responseTimeMs: 20,
            })),
          )
          .returning()
      ).map((r) => r.id),
    filters: [
      ["device_id=dev-a", (i) => i % 2 === 1],
      ["is_healthy=false", (i) => i === 2],
      ["status_code=200&device_id=dev-b", (i) => i % 2 === 0 && i !== 2],
      ["site_id=site-b", (i) => i % 2 === 0],
    ],
  },
];

const seeded = new Map<string, number[]>();

beforeAll(async () => {
  t = await createTestApp();
  admin = (await loginAs(t, "admin")).headers;
  const siteRows = await t.ctx.db
    .insert(sites)
    .values([
      { siteId: "site-a", name: "A" },
      { siteId: "site-b", name: "B" },
    ])
    .returning();
  siteB = siteRows[1]!.id;
  jobKey = (await t.ctx.db.insert(jobs).values({ jobId: "job-audit", action: "restart" }).returning())[0]!.id;
  const devs = await t.ctx.db
    .insert(devices)
    .values([
      { deviceId: "dev-a", name: "A", deviceType: "pos_terminal", siteId: "site-a" },
      { deviceId: "dev-b", name: "B", deviceType: "pos_terminal", siteId: "site-b" },
    ])
    .returning();
  devA = devs[0]!.id;
  devB = devs[1]!.id;
  for (const spec of specs) seeded.set(spec.url, await spec.seed());
});
afterAll(async () => t.close());

const get = (url: string) => t.app.inject({ method: "GET", url: `/api/v1/analytics${url}`, headers: admin });
const ids = (body: Record<string, unknown>, key: string) => (body[key] as { id: number }[]).map((r) => r.id);

describe.each(specs)("GET /analytics$url", (spec) => {
  const expected = (pred: (i: number) => boolean) => {
    const all = seeded.get(spec.url)!;
    // newest first: by time desc, then id desc
    return idx
      .filter(pred)
      .sort((a, b) => at(b).getTime() - at(a).getTime() || all[b]! - all[a]!)
      .map((i) => all[i]!);
  };

  // Platform-wide tables are platform admins'; the rest are read by a tenant's admins and operators.
  const platformWide = ["/requests", "/user-activities", "/audit-logs"].includes(spec.url);
  it(`needs ${platformWide ? "a platform admin" : "an operator"} (401 without/with a bad token, 403 below)`, async () => {
    await expectRequiresRole(
      t,
      { method: "GET", url: `/api/v1/analytics${spec.url}` },
      platformWide ? "admin" : "operator",
    );
    const viewer = await loginAs(t, "viewer");
    const res = await t.app.inject({ method: "GET", url: `/api/v1/analytics${spec.url}`, headers: viewer.headers });
    expect(res.statusCode).toBe(403);
  });

  it("lists the window newest first, ties broken by id, with count and total", async () => {
    const res = await get(`${spec.url}?${WINDOW}&include_total=true`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.success).toBe(true);
    expect(ids(body, spec.key)).toEqual(expected(() => true));
    expect(body.count).toBe(N);
    expect(body.total).toBe(N);
    expect(body.next_cursor).toBeNull();
    const narrow = await get(`${spec.url}?start_date=2026-03-01T01:00:00Z&end_date=2026-03-01T03:00:00Z`);
    expect(ids(narrow.json(), spec.key)).toEqual(expected((i) => i >= 1 && i <= 2));
  });

  it("pages with the cursor through every row exactly once, and with offset", async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 10; guard++) {
      const res = await get(`${spec.url}?${WINDOW}&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      seen.push(...ids(body, spec.key));
      cursor = body.next_cursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(expected(() => true));
    const off = await get(`${spec.url}?${WINDOW}&limit=2&offset=2`);
    expect(ids(off.json(), spec.key)).toEqual(expected(() => true).slice(2, 4));
  });

  it("applies each filter", async () => {
    for (const [query, pred] of spec.filters) {
      const res = await get(`${spec.url}?${WINDOW}&${query}`);
      expect(res.statusCode, query).toBe(200);
      expect(ids(res.json(), spec.key), query).toEqual(expected(pred));
    }
  });

  it("answers 400 naming the bad parameter", async () => {
    const cases: [string, string][] = [
      ["limit=0", "limit"],
      ["limit=1001", "limit"],
      ["offset=-1", "offset"],
      ["start_date=yesterday", "start_date"],
      ["end_date=2026-13-45", "end_date"],
      ["start_date=2026-03-02&end_date=2026-03-01", "start_date"],
      ["cursor=not-a-cursor", "cursor"],
      [`cursor=${encodeCursor(["2026-03-01 00:00:00", "x"])}`, "cursor"],
      ["include_total=maybe", "include_total"],
    ];
    for (const [query, field] of cases) {
      const res = await get(`${spec.url}?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().detail, query).toMatch(new RegExp(`^querystring ${field}:`));
    }
  });
});

describe("filter validation", () => {
  it.each([
    ["/requests?status_code=99", "status_code"],
    ["/requests?method=FETCH", "method"],
    ["/errors?severity=bad", "severity"],
    ["/errors?resolved=perhaps", "resolved"],
    ["/audit-logs?user_id=abc", "user_id"],
    ["/health-checks?is_healthy=2", "is_healthy"],
    ["/site-schedules?day_of_week=7", "day_of_week"],
  ])("%s → 400 naming %s", async (url, field) => {
    const res = await get(url);
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toMatch(new RegExp(`^querystring ${field}:`));
  });
});

describe("compatibility shapes (SPEC §6)", () => {
  it("/api-requests answers {success, count, requests: [{id, timestamp, method, endpoint, status_code, response_time_ms, user_id}]}", async () => {
    const res = await get(`/api-requests?${WINDOW}&limit=1`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ success: true, count: 1 });
    expect(Object.keys(body.requests[0])).toEqual(
      expect.arrayContaining(["id", "timestamp", "method", "endpoint", "status_code", "response_time_ms", "user_id"]),
    );
    expect(body.requests[0].timestamp).toBe(at(5).toISOString());
  });

  it("/user-activities answers {success, count, activities: [{id, timestamp, user_id, activity_type, page_url, element_id, search_query, duration_ms}]}", async () => {
    const res = await get(`/user-activities?${WINDOW}`);
    const a = res.json().activities[0];
    expect(Object.keys(a)).toEqual(
      expect.arrayContaining([
        "id",
        "timestamp",
        "user_id",
        "activity_type",
        "page_url",
        "element_id",
        "search_query",
        "duration_ms",
      ]),
    );
    expect(a).toMatchObject({ user_id: "4", activity_type: "click", duration_ms: 5 });
  });

  it("health checks show the device's device_id string", async () => {
    const res = await get(`/health-checks?${WINDOW}&device_id=dev-a&limit=1`);
    expect(res.json().health_checks[0]).toMatchObject({ device_id: "dev-a", device_pk: devA });
  });
});

describe("GET /analytics/site-schedules", () => {
  beforeAll(async () => {
    await t.ctx.db.insert(siteOperatingSchedules).values([
      ...[0, 1, 2, 3, 4, 5, 6].map((d) => ({
        siteId: "site-a",
        dayOfWeek: d,
        openTime: "08:00:00",
        closeTime: "22:00:00",
        isMaintenanceWindow: d === 2 || d === 6,
        expectedTransactionVolume: 400 + d,
      })),
      { siteId: "site-b", dayOfWeek: 0, openTime: "09:00:00", closeTime: "17:00:00", isClosed: false },
    ]);
  });

  it("needs an operator", async () => {
    await expectRequiresRole(t, { method: "GET", url: "/api/v1/analytics/site-schedules" }, "operator");
  });

  it("orders by site and day, filters, and pages with a cursor", async () => {
    const all = (await get("/site-schedules?include_total=true")).json();
    expect(all.total).toBe(8);
    expect(all.schedules.map((s: { site_id: string; day_of_week: number }) => `${s.site_id}/${s.day_of_week}`)).toEqual(
      [...[0, 1, 2, 3, 4, 5, 6].map((d) => `site-a/${d}`), "site-b/0"],
    );
    expect(all.schedules[0]).toMatchObject({
      open_time: "08:00:00",
      close_time: "22:00:00",
      expected_transaction_volume: 400,
    });
    const maint = (await get("/site-schedules?is_maintenance_window=true")).json();
    expect(maint.schedules.map((s: { day_of_week: number }) => s.day_of_week)).toEqual([2, 6]);
    const siteB = (await get("/site-schedules?site_id=site-b")).json();
    expect(siteB.count).toBe(1);
    const friday = (await get("/site-schedules?day_of_week=4")).json();
    expect(friday.schedules[0]).toMatchObject({ site_id: "site-a", expected_transaction_volume: 404 });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const body: { schedules: { site_id: string; day_of_week: number }[]; next_cursor: string | null } = (
        await get(`/site-schedules?limit=3${cursor ? `&cursor=${cursor}` : ""}`)
      ).json();
      seen.push(
        ...body.schedules.map((s: { site_id: string; day_of_week: number }) => `${s.site_id}/${s.day_of_week}`),
      );
      cursor = body.next_cursor;
    } while (cursor);
    expect(seen).toHaveLength(8);
    expect(new Set(seen).size).toBe(8);
  });
});
