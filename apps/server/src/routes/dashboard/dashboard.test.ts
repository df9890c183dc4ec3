import { deviceMetrics, devices, enrolmentIntents, errorLogs, healthChecks } from "@homepot/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectRequiresRole, loginAs, type TestApp } from "../../testing.ts";
import { makeDevice, makeSite } from "../devices/device-factories.ts";

// A fixed "now" in the middle of an hour, so every row below falls in a known bucket.
const NOW = new Date("2026-03-10T12:30:00.000Z");
const at = (hoursAgo: number, minute = 10) => new Date(Date.UTC(2026, 2, 10, 12 - hoursAgo, minute));

let t: TestApp;
let viewer: Record<string, string>;
beforeAll(async () => {
  t = await createTestApp({ clock: { now: () => NOW } });
  viewer = (await loginAs(t, "viewer")).headers;
});
afterAll(async () => t.close());

const summary = (query = "") => t.app.inject({ url: `/api/v1/dashboard/summary${query}`, headers: viewer });

describe("GET /dashboard/summary", () => {
  it("needs a signed-in user; a viewer may read it", async () => {
    await expectRequiresRole(t, { method: "GET", url: "/api/v1/dashboard/summary" }, "viewer");
    for (const role of ["viewer", "operator", "admin"] as const) {
      const { headers } = await loginAs(t, role);
      expect((await t.app.inject({ url: "/api/v1/dashboard/summary", headers })).statusCode).toBe(200);
    }
  });

  it("counts the fleet on the server and fills every bucket of the window", async () => {
    const site = await makeSite(t, { name: "Summary Store" });
    const a = await makeDevice(t, { siteId: site.siteId });
    const b = await makeDevice(t, { siteId: site.siteId });
    await makeDevice(t, { siteId: site.siteId }); // never reports: connectivity and health unknown
    // Suspended: counted in lifecycle only, not as online.
    const parked = await makeDevice(t, { siteId: site.siteId });
    await t.ctx.db
      .update(devices)
      .set({ status: "online", lastSeen: at(0, 29), lifecycleState: "suspended" })
      .where(eq(devices.id, parked.device.id));
    await t.ctx.db
      .update(devices)
      .set({ status: "online", lastSeen: at(0, 29) })
      .where(eq(devices.id, a.device.id));
    await t.ctx.db
      .update(devices)
      .set({ status: "error", healthState: "error", lastSeen: at(3) })
      .where(eq(devices.id, b.device.id));

    await t.ctx.db.insert(healthChecks).values([
      { deviceId: a.device.id, isHealthy: true, statusCode: 200, timestamp: at(2) },
      { deviceId: b.device.id, isHealthy: false, statusCode: 500, timestamp: at(2, 20) },
      { deviceId: a.device.id, isHealthy: true, statusCode: 200, timestamp: at(0) },
    ]);
    // A running total (100 → 130 → 160): 60 transactions, not 390.
    await t.ctx.db.insert(deviceMetrics).values([
      { deviceId: a.device.deviceId, transactionCount: 100, timestamp: at(2, 5) },
      { deviceId: a.device.deviceId, transactionCount: 130, timestamp: at(2, 35) },
      { deviceId: a.device.deviceId, transactionCount: 160, timestamp: at(0, 5) },
    ]);
    await t.ctx.db.insert(errorLogs).values([
      { category: "device", severity: "error", errorMessage: "boom", timestamp: at(2) },
      { category: "device", severity: "critical", errorMessage: "boom", timestamp: at(2) },
      { category: "api", severity: "warning", errorMessage: "not counted", timestamp: at(2) },
      { category: "api", severity: "error", errorMessage: "too old", timestamp: at(30) },
    ]);

    const res = await summary("?hours=6");
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      success: true,
      total_devices: 4,
      status_counts: { online: 1, error: 1, offline: 1, maintenance: 0 },
      connectivity_counts: { online: 1, offline: 1, unknown: 1 },
      lifecycle_counts: { pending: 0, active: 3, suspended: 1, unpaired: 0 },
      health_counts: { healthy: 1, warning: 0, error: 1, maintenance: 0, critical: 1, unknown: 1 },
      source_counts: { real: 4, simulated: 0 },
      last_heartbeat_at: at(0, 29).toISOString(),
      pending_enrolment_intents: 0,
      window: { bucket: "hour", end: NOW.toISOString() },
    });
    expect(body.sites).toContainEqual(
      expect.objectContaining({
        site_id: site.siteId,
        name: "Summary Store",
        devices: 4,
        online: 1,
        error: 1,
        offline: 1,
        status: "warning",
      }),
    );
    // 6 hours back from 12:30 starts in the 06:00 bucket: 06…12 are seven buckets, all present.
    expect(body.series.map((p: { timestamp: string }) => p.timestamp.slice(11, 16))).toEqual([
      "06:00",
      "07:00",
      "08:00",
      "09:00",
      "10:00",
      "11:00",
      "12:00",
    ]);
    const ten = body.series.find((p: { timestamp: string }) => p.timestamp.startsWith("2026-03-10T10:00"));
    expect(ten).toEqual({
      timestamp: "2026-03-10T10:00:00.000Z",
      devices_reporting: 2,
      devices_unhealthy: 1,
      errors: 2,
      transactions: 30,
    });
    const noon = body.series.at(-1);
    expect(noon).toMatchObject({ devices_reporting: 1, devices_unhealthy: 0, errors: 0, transactions: 30 });
    expect(body.series[0]).toMatchObject({ devices_reporting: 0, errors: 0, transactions: 0 });
  });

  it("counts what the device lists it links to show: one definition of health and lifecycle", async () => {
    const site = await makeSite(t, { name: "Linked Store" });
    const set = async (id: number, values: Partial<typeof devices.$inferInsert>) =>
      t.ctx.db.update(devices).set(values).where(eq(devices.id, id));
    const reported = await makeDevice(t, { siteId: site.siteId });
    await set(reported.device.id, { status: "online", healthState: "healthy", lastSeen: at(0, 29) });
    const warning = await makeDevice(t, { siteId: site.siteId });
    await set(warning.device.id, { status: "online", healthState: "warning", lastSeen: at(1) });
    await makeDevice(t, { siteId: site.siteId }); // never reported: "healthy" in its row, unknown to the fleet
    const parked = await makeDevice(t, { siteId: site.siteId }); // healthy but suspended: not in service
    await set(parked.device.id, { healthState: "healthy", lastSeen: at(0, 20), lifecycleState: "suspended" });
    // A site archived with its devices: they are suspended, and still in the device list.
    const closed = await makeSite(t, { name: "Closed Store" });
    const left = await makeDevice(t, { siteId: closed.siteId });
    await set(left.device.id, { healthState: "healthy", lastSeen: at(2) });
    const { headers: operator } = await loginAs(t, "operator");
    const archived = await t.app.inject({ method: "DELETE", url: `/api/v1/sites/${closed.siteId}`, headers: operator });
    expect(archived.statusCode, archived.body).toBe(200);

    const body = (await summary()).json();
    const listed = async (query: string) => {
      const res = await t.app.inject({ url: `/api/v1/devices?limit=1000&${query}`, headers: viewer });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().total as number;
    };
    expect(body.total_devices).toBe(await listed(""));
    for (const state of ["healthy", "warning", "error", "maintenance", "unknown"])
      expect([state, body.health_counts[state]]).toEqual([state, await listed(`health_state=${state}`)]);
    for (const state of ["pending", "active", "suspended", "unpaired"])
      expect([state, body.lifecycle_counts[state]]).toEqual([state, await listed(`lifecycle_state=${state}`)]);
    // The filtered lists are the devices counted: the never-reported and suspended devices are not "healthy".
    const healthy = await t.app.inject({ url: "/api/v1/devices?health_state=healthy&limit=1000", headers: viewer });
    const ids = healthy.json().devices.map((d: { device_id: string }) => d.device_id);
    expect(ids).toContain(reported.device.deviceId);
    expect(ids).not.toContain(parked.device.deviceId);
    expect(ids).not.toContain(left.device.deviceId);
    expect(await listed(`health_state=unknown&site_id=${site.siteId}`)).toBe(1);
    // The site's own stats count the same way.
    const stats = await t.app.inject({ url: `/api/v1/sites/${site.siteId}/stats`, headers: viewer });
    expect(stats.json()).toMatchObject({ health_counts: { healthy: 1, warning: 1, unknown: 1 } });
  });

  it("counts the enrolment intents still open: pending or approved, not expired", async () => {
    const site = await makeSite(t, { name: "Intent Store" });
    const { headers: operator } = await loginAs(t, "operator");
    let n = 0;
    const create = async () => {
      const res = await t.app.inject({
        method: "POST",
        url: `/api/v1/sites/${site.siteId}/enrolment-intents`,
        headers: operator,
        payload: { device_name: `Till ${++n}`, expires_in_hours: 24 },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().intent_id as string;
    };
    const before = (await summary()).json().pending_enrolment_intents;
    await create();
    const revoked = await create();
    const put = await t.app.inject({
      method: "PUT",
      url: `/api/v1/sites/${site.siteId}/enrolment-intents/${revoked}`,
      headers: operator,
      payload: { status: "revoked", reason: "not needed" },
    });
    expect(put.statusCode, put.body).toBe(200);
    await t.ctx.db.insert(enrolmentIntents).values({
      intentId: "00000000-0000-4000-8000-000000000001",
      siteId: site.siteId,
      claimTokenHash: "0".repeat(64),
      claimTokenPrefix: "hpc_expired",
      expiresAt: at(1),
    });
    expect((await summary()).json().pending_enrolment_intents).toBe(before + 1);
  });

  it("gives the counts alone with series=false (the Overview's figures; its charts ask for the series)", async () => {
    const full = (await summary("?hours=6")).json();
    const counts = await summary("?hours=6&series=false");
    expect(counts.statusCode).toBe(200);
    const body = counts.json();
    expect(body.series).toEqual([]);
    expect({ ...body, series: full.series }).toEqual(full);
    const bad = await summary("?series=maybe");
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain("series");
  });

  it("lists the sites with the most devices in error or offline first with sites_limit, and counts them all", async () => {
    const calm = await makeSite(t, { name: "Calm Store" });
    await makeDevice(t, { siteId: calm.siteId });
    const troubled = await makeSite(t, { name: "Troubled Store" });
    for (const status of ["error", "offline", "online"]) {
      const d = await makeDevice(t, { siteId: troubled.siteId });
      await t.ctx.db
        .update(devices)
        .set({ status, lastSeen: at(0) })
        .where(eq(devices.id, d.device.id));
    }
    const all = (await summary("?series=false")).json();
    const top = await summary("?series=false&sites_limit=1");
    expect(top.statusCode).toBe(200);
    const body = top.json();
    expect(body.sites_total).toBe(all.sites.length);
    expect(all.sites_total).toBe(all.sites.length);
    const worst = Math.max(...all.sites.map((x: { error: number; offline: number }) => x.error + x.offline));
    expect(body.sites).toHaveLength(1);
    expect(body.sites[0].error + body.sites[0].offline).toBe(worst);
    expect(worst).toBeGreaterThanOrEqual(2);
    expect({ ...body, sites: all.sites }).toEqual(all);
    expect((await summary("?sites_limit=-1")).body).toContain("sites_limit");
  });

  it("uses daily buckets beyond a week and refuses a bad window naming the field", async () => {
    const month = await summary("?hours=720");
    expect(month.json().window.bucket).toBe("day");
    expect(month.json().series.length).toBeGreaterThanOrEqual(30);
    const bad = await summary("?hours=0");
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain("hours");
  });
});
