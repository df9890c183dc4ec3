import { auditLogs, deviceMetrics, devices, healthChecks, sites } from "@homepot/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectRequiresRole, loginAs, type TestApp } from "../../testing.ts";
import { makeDevice, makeSite } from "../devices/device-factories.ts";

let t: TestApp;
let operator: Record<string, string>;
let admin: Record<string, string>;
let viewer: Record<string, string>;
beforeAll(async () => {
  t = await createTestApp();
  operator = (await loginAs(t, "operator")).headers;
  admin = (await loginAs(t, "admin")).headers;
  viewer = (await loginAs(t, "viewer")).headers;
});
afterAll(async () => t.close());

const req = (method: "GET" | "POST" | "DELETE", url: string, headers: Record<string, string>, payload?: object) =>
  t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
const health = (d: { device: { deviceId: string }; headers: Record<string, string> }) =>
  req("POST", `/api/v1/devices/${d.device.deviceId}/health`, d.headers, { status: "healthy" });
const lifecycleOf = async (id: string) =>
  (await t.ctx.db.select().from(devices).where(eq(devices.deviceId, id)))[0]?.lifecycleState;

describe("archive, restore, resume all", () => {
  it("archive suspends the site's devices and keeps the data; restore keeps them suspended until resumed", async () => {
    const site = await makeSite(t);
    const a = await makeDevice(t, { siteId: site.siteId });
    const b = await makeDevice(t, { siteId: site.siteId });
    expect((await health(a)).statusCode).toBe(201);

    const archived = await req("DELETE", `/api/v1/sites/${site.siteId}?reason=closed`, operator);
    expect(archived.statusCode).toBe(200);
    expect(archived.json().message).toMatch(/archived .*2 device\(s\) suspended/);
    expect(await lifecycleOf(a.device.deviceId)).toBe("suspended");
    expect((await health(a)).statusCode).toBe(403);
    const [row] = await t.ctx.db.select().from(sites).where(eq(sites.siteId, site.siteId));
    expect(row).toMatchObject({ lifecycleState: "archived", isActive: false });
    expect(await t.ctx.db.select().from(healthChecks).where(eq(healthChecks.deviceId, a.device.id))).toHaveLength(1);

    const active = await req("GET", "/api/v1/sites?limit=1000", viewer);
    expect(active.json().sites.map((s: { site_id: string }) => s.site_id)).not.toContain(site.siteId);
    const tab = await req("GET", "/api/v1/sites?lifecycle_state=archived&limit=1000", viewer);
    expect(tab.json().sites).toContainEqual(
      expect.objectContaining({ site_id: site.siteId, lifecycle_state: "archived" }),
    );
    const one = await req("POST", `/api/v1/devices/${b.device.deviceId}/resume`, operator, {});
    expect(one.statusCode).toBe(409);
    expect(one.json().detail).toMatch(/archived/);
    expect((await req("DELETE", `/api/v1/sites/${site.siteId}`, operator)).json().message).toMatch(/already archived/);

    expect((await req("POST", `/api/v1/sites/${site.siteId}/restore`, operator)).statusCode).toBe(200);
    expect(await lifecycleOf(a.device.deviceId)).toBe("suspended");
    const single = await req("POST", `/api/v1/devices/${b.device.deviceId}/resume`, operator, {});
    expect(single.json().lifecycle_state).toBe("active");
    const all = await req("POST", `/api/v1/sites/${site.siteId}/devices/resume`, admin, { reason: "reopened" });
    expect(all.statusCode).toBe(200);
    expect(all.json().resumed).toEqual([a.device.deviceId]);
    expect((await health(a)).statusCode).toBe(201);

    const audit = await t.ctx.db.select().from(auditLogs).where(eq(auditLogs.siteId, row!.id));
    expect(audit.map((e) => e.eventType)).toEqual(expect.arrayContaining(["site_archived", "site_restored"]));
  });

  it("stats count the site's devices on the server and apply the site status rule", async () => {
    const site = await makeSite(t);
    const a = await makeDevice(t, { siteId: site.siteId });
    const b = await makeDevice(t, { siteId: site.siteId, isSimulated: true });
    await makeDevice(t, { siteId: site.siteId });
    await health(a);
    const stats = async () => (await req("GET", `/api/v1/sites/${site.siteId}/stats`, viewer)).json();
    expect(await stats()).toMatchObject({
      site_id: site.siteId,
      total_devices: 3,
      breakdown: { pre_provisioned: 3, self_enrolled: 0, other: 0 },
      status: "online",
      lifecycle_counts: { active: 3 },
      connectivity_counts: { online: 1, offline: 0, unknown: 2 },
      health_counts: { healthy: 1, unknown: 2 },
      source_counts: { real: 2, simulated: 1 },
    });
    const sick = { status: "error", error: "disk", metrics: { cpu_usage_percent: 50 } };
    expect((await req("POST", `/api/v1/devices/${b.device.deviceId}/health`, b.headers, sick)).statusCode).toBe(201);
    // Provenance: a simulated device's rows say so.
    const [m] = await t.ctx.db.select().from(deviceMetrics).where(eq(deviceMetrics.deviceId, b.device.deviceId));
    expect(m?.provenance).toBe("simulated");
    await req("POST", `/api/v1/devices/${a.device.deviceId}/suspend`, operator, {});
    expect(await stats()).toMatchObject({
      status: "warning",
      lifecycle_counts: { active: 2, suspended: 1 },
      connectivity_counts: { online: 1, unknown: 1 },
      health_counts: { error: 1 },
    });
    expect((await req("GET", "/api/v1/sites/nope-1/stats", viewer)).statusCode).toBe(404);
    await expectRequiresRole(t, { method: "GET", url: `/api/v1/sites/${site.siteId}/stats` }, "viewer");
    await expectRequiresRole(t, { method: "POST", url: `/api/v1/sites/${site.siteId}/restore` }, "operator");
    await expectRequiresRole(
      t,
      { method: "POST", url: `/api/v1/sites/${site.siteId}/devices/resume`, payload: {} },
      "operator",
    );
  });
});

describe("purge", () => {
  it("needs an admin and confirm=true, deletes the site and its devices' rows, leaves an audit tombstone", async () => {
    const site = await makeSite(t);
    const keep = await makeDevice(t);
    const d = await makeDevice(t, { siteId: site.siteId });
    await health(d);
    await health(keep);
    await req("POST", `/api/v1/devices/${d.device.deviceId}/commands`, operator, { command_type: "reboot" });

    expect((await req("DELETE", `/api/v1/sites/${site.siteId}?mode=purge&confirm=true`, operator)).statusCode).toBe(
      403,
    );
    const unconfirmed = await req("DELETE", `/api/v1/sites/${site.siteId}?mode=purge`, admin);
    expect(unconfirmed.statusCode).toBe(422);
    expect(JSON.stringify(unconfirmed.json())).toContain("confirm");
    expect((await req("DELETE", `/api/v1/sites/${site.siteId}?mode=wipe`, admin)).statusCode).toBe(400);

    const purged = await req("DELETE", `/api/v1/sites/${site.siteId}?mode=purge&confirm=true`, admin);
    expect(purged.statusCode).toBe(200);
    expect(purged.json().message).toMatch(/purged \(1 device/);
    expect(await t.ctx.db.select().from(sites).where(eq(sites.siteId, site.siteId))).toHaveLength(0);
    expect(await t.ctx.db.select().from(devices).where(eq(devices.siteId, site.siteId))).toHaveLength(0);
    expect(
      await t.ctx.db.select().from(deviceMetrics).where(eq(deviceMetrics.deviceId, d.device.deviceId)),
    ).toHaveLength(0);
    expect(await t.ctx.db.select().from(healthChecks).where(eq(healthChecks.deviceId, keep.device.id))).toHaveLength(1);
    const [tombstone] = await t.ctx.db.select().from(auditLogs).where(eq(auditLogs.eventType, "site_purged"));
    expect(tombstone?.oldValues).toMatchObject({ site_id: site.siteId, device_ids: [d.device.deviceId] });
    expect((await req("GET", `/api/v1/sites/${site.siteId}`, viewer)).statusCode).toBe(404);
    expect((await health(d)).statusCode).toBe(401);
  });
});
