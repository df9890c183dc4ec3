import { readActivityState, refreshFleetActivity } from "@homepot/core/dashboard/fleet-activity";
import { deviceMetrics, errorLogs, fleetActivityRollups, healthChecks, sites, tenants } from "@homepot/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, loginAs, type TestApp } from "../../testing.ts";
import { makeDevice, makeSite } from "../devices/device-factories.ts";

// The Overview's series from kept buckets (fleet_activity_rollups, written by the analytics maintenance task) must
// equal the series counted live from raw rows, follow late rows after the next run, and keep to the caller's sites.

let now = new Date("2026-03-10T12:30:00.000Z");
const at = (hoursAgo: number, minute = 10) => new Date(Date.UTC(2026, 2, 10, 12 - hoursAgo, minute));

let t: TestApp;
let viewer: Record<string, string>;
let a: Awaited<ReturnType<typeof makeDevice>>;
let b: Awaited<ReturnType<typeof makeDevice>>;
beforeAll(async () => {
  t = await createTestApp({ clock: { now: () => now } });
  viewer = (await loginAs(t, "viewer")).headers;
  const site = await makeSite(t, { name: "Activity Store" });
  a = await makeDevice(t, { siteId: site.siteId });
  b = await makeDevice(t, { siteId: site.siteId });
  await t.ctx.db.insert(healthChecks).values([
    { deviceId: a.device.id, isHealthy: true, statusCode: 200, timestamp: at(2) },
    { deviceId: b.device.id, isHealthy: false, statusCode: 500, timestamp: at(2, 20) },
    { deviceId: a.device.id, isHealthy: true, statusCode: 200, timestamp: at(0) },
    { deviceId: b.device.id, isHealthy: true, statusCode: 200, timestamp: at(26) },
  ]);
  // A running total (100 → 130 → 160), and a device that reports per-interval counts (7, 5).
  await t.ctx.db.insert(deviceMetrics).values([
    { deviceId: a.device.deviceId, transactionCount: 100, timestamp: at(2, 5) },
    { deviceId: a.device.deviceId, transactionCount: 130, timestamp: at(2, 35) },
    { deviceId: a.device.deviceId, transactionCount: 160, timestamp: at(0, 5) },
    { deviceId: b.device.deviceId, transactionCount: 7, timestamp: at(1, 5) },
    { deviceId: b.device.deviceId, transactionCount: 5, timestamp: at(1, 35) },
    { deviceId: "unregistered-till", cpuPercent: 20, timestamp: at(1, 40) },
  ]);
  await t.ctx.db.insert(errorLogs).values([
    { category: "device", severity: "error", errorMessage: "boom", timestamp: at(2), deviceId: a.device.deviceId },
    { category: "api", severity: "critical", errorMessage: "server", timestamp: at(1) },
    { category: "api", severity: "warning", errorMessage: "not counted", timestamp: at(1) },
  ]);
});
afterAll(async () => t.close());

const series = async (hours: number, headers = viewer) => {
  const res = await t.app.inject({ url: `/api/v1/dashboard/summary?hours=${hours}`, headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().series as Array<Record<string, number | string>>;
};
const point = (s: Array<Record<string, number | string>>, iso: string) =>
  s.find((p) => String(p.timestamp).startsWith(iso));

describe("the Overview's series from kept buckets", () => {
  it("are the live series, kept for ended hours and days only", async () => {
    const live6 = await series(6);
    const live48 = await series(48);
    expect(point(live6, "2026-03-10T10:00")).toEqual({
      timestamp: "2026-03-10T10:00:00.000Z",
      devices_reporting: 2,
      devices_unhealthy: 1,
      errors: 1,
      transactions: 30,
    });
    // b's counts are per interval (12); the unregistered till reports, under no site; the server error counts.
    expect(point(live6, "2026-03-10T11:00")).toMatchObject({ devices_reporting: 2, errors: 1, transactions: 12 });
    expect(point(live6, "2026-03-10T12:00")).toMatchObject({ devices_reporting: 1, transactions: 30 });

    expect(await refreshFleetActivity(t.ctx)).toBeGreaterThan(0);
    expect((await readActivityState(t.ctx.db)).keptUntil).toBe(Date.parse("2026-03-10T12:00:00Z"));
    const kept = await t.ctx.db.select().from(fleetActivityRollups);
    const starts = new Set(kept.map((r) => `${r.bucket} ${r.bucketStart.toISOString().slice(0, 13)}`));
    expect(starts).toContain("hour 2026-03-10T10");
    expect(starts).toContain("day 2026-03-09T00");
    expect(starts).toContain("hour 2026-03-10T12"); // in progress: counted by this run, read while fresh
    expect(starts).not.toContain("day 2026-03-10T00");
    expect(await series(6)).toEqual(live6);
    expect(await series(48)).toEqual(live48);
    expect(await series(720)).toEqual(await series(720)); // daily buckets: kept days and the live one agree run to run
  });

  it("reads kept buckets, and counts rows that landed late after the next run", async () => {
    await t.ctx.db.insert(healthChecks).values({
      deviceId: a.device.id,
      isHealthy: false,
      statusCode: 500,
      timestamp: at(2, 50),
    });
    // Not yet recounted: the kept hour is what the chart shows (it does not re-read raw history).
    expect(point(await series(6), "2026-03-10T10:00")).toMatchObject({ devices_unhealthy: 1 });
    await refreshFleetActivity(t.ctx);
    expect(point(await series(6), "2026-03-10T10:00")).toMatchObject({ devices_unhealthy: 2 });
  });

  it("reads the hour in progress as last counted while the count is fresh, live once it is stale", async () => {
    await t.ctx.db.insert(deviceMetrics).values({ deviceId: b.device.deviceId, cpuPercent: 30, timestamp: at(0, 20) });
    expect(point(await series(6), "2026-03-10T12:00")).toMatchObject({ devices_reporting: 1 });
    now = new Date("2026-03-10T12:34:00.000Z"); // the last count is 4 minutes old
    expect(point(await series(6), "2026-03-10T12:00")).toMatchObject({ devices_reporting: 2 });
    now = new Date("2026-03-10T12:30:00.000Z");
    await refreshFleetActivity(t.ctx);
    expect(point(await series(6), "2026-03-10T12:00")).toMatchObject({ devices_reporting: 2 });
  });

  it("keeps the hour in progress once it has ended, with the same figures", async () => {
    const before = point(await series(6), "2026-03-10T12:00");
    now = new Date("2026-03-10T13:05:00.000Z");
    await refreshFleetActivity(t.ctx);
    const kept = await t.ctx.db.select().from(fleetActivityRollups);
    expect(kept.some((r) => r.bucket === "hour" && r.bucketStart.toISOString() === "2026-03-10T12:00:00.000Z")).toBe(
      true,
    );
    expect(point(await series(6), "2026-03-10T12:00")).toEqual(before);
  });

  it("keeps to the caller's sites: another tenant's activity is not in the kept series", async () => {
    const [other] = await t.ctx.db.insert(tenants).values({ name: "Other Retail", slug: "other-retail" }).returning();
    const site = await makeSite(t, { name: "Other Store" });
    await t.ctx.db
      .update(sites)
      .set({ tenantId: other?.id as number })
      .where(eq(sites.siteId, site.siteId));
    const c = await makeDevice(t, { siteId: site.siteId });
    await t.ctx.db
      .insert(healthChecks)
      .values({ deviceId: c.device.id, isHealthy: false, statusCode: 500, timestamp: at(1, 45) });
    await refreshFleetActivity(t.ctx);
    // The default tenant's viewer: b, the unregistered till; not the other tenant's device.
    expect(point(await series(6), "2026-03-10T11:00")).toMatchObject({ devices_reporting: 2, devices_unhealthy: 0 });
  });
});
