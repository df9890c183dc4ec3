import { auditLogs, sites } from "@homepot/db";
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

describe("sites: happy path", () => {
  it("lists each site with the count of its own active devices", async () => {
    const busy = await makeSite(t, { name: "Count Busy" });
    const empty = await makeSite(t, { name: "Count Empty" });
    await makeDevice(t, { siteId: busy.siteId });
    await makeDevice(t, { siteId: busy.siteId });
    const list = await t.app.inject({ method: "GET", url: "/api/v1/sites?search=count&limit=1000", headers: viewer });
    const counts = Object.fromEntries(
      list.json().sites.map((s: { site_id: string; device_count: number }) => [s.site_id, s.device_count]),
    );
    expect(counts).toEqual({ [busy.siteId]: 2, [empty.siteId]: 0 });
  });

  it("creates, reads, lists, updates and soft-deletes a site with audit rows", async () => {
    const created = await t.app.inject({
      method: "POST",
      url: "/api/v1/sites",
      headers: operator,
      payload: {
        site_id: "site-crud-1",
        name: "Main Store - Downtown",
        location: "Downtown",
        timezone: "Europe/Berlin",
      },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      success: true,
      data: { site_id: "site-crud-1", name: "Main Store - Downtown", timezone: "Europe/Berlin", is_active: true },
    });

    const got = await t.app.inject({ method: "GET", url: "/api/v1/sites/site-crud-1", headers: viewer });
    expect(got.statusCode).toBe(200);
    expect(got.json().data).toMatchObject({ site_id: "site-crud-1", device_count: 0 });

    const list = await t.app.inject({ method: "GET", url: "/api/v1/sites?search=downtown", headers: viewer });
    expect(list.json()).toMatchObject({ success: true, count: 1, total: 1 });
    expect(list.json().sites[0].site_id).toBe("site-crud-1");

    const updated = await t.app.inject({
      method: "PUT",
      url: "/api/v1/sites/site-crud-1/",
      headers: operator,
      payload: { name: "Downtown Flagship" },
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json().data.name).toBe("Downtown Flagship");

    const deleted = await t.app.inject({ method: "DELETE", url: "/api/v1/sites/site-crud-1", headers: admin });
    expect(deleted.statusCode).toBe(200);
    const [row] = await t.ctx.db.select().from(sites).where(eq(sites.siteId, "site-crud-1"));
    expect(row?.isActive).toBe(false);
    const afterList = await t.app.inject({ method: "GET", url: "/api/v1/sites?limit=1000", headers: viewer });
    expect(afterList.json().sites.map((s: { site_id: string }) => s.site_id)).not.toContain("site-crud-1");

    const events = await t.ctx.db
      .select()
      .from(auditLogs)
      .where(eq(auditLogs.siteId, row?.id ?? -1));
    expect(events.map((e) => e.eventType).sort()).toEqual(["site_archived", "site_created", "site_updated"]);
    const update = events.find((e) => e.eventType === "site_updated");
    expect(update?.oldValues).toEqual({ name: "Main Store - Downtown" });
    expect(update?.newValues).toEqual({ name: "Downtown Flagship" });
    expect(update?.userId).not.toBeNull();
  });

  it("lists a site's devices", async () => {
    const site = await makeSite(t);
    const a = await makeDevice(t, { siteId: site.siteId });
    await makeDevice(t, { siteId: site.siteId });
    await makeDevice(t);
    const res = await t.app.inject({ method: "GET", url: `/api/v1/sites/${site.siteId}/devices`, headers: viewer });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ success: true, count: 2, total: 2 });
    expect(res.json().devices.map((d: { device_id: string }) => d.device_id)).toContain(a.device.deviceId);
    expect(res.body).not.toContain(a.apiKey);
    expect(res.body).not.toMatch(/api_key_hash|[0-9a-f]{64}/);
  });
});

describe("sites: errors", () => {
  it("409 on a duplicate site id, 404 on an unknown one", async () => {
    const site = await makeSite(t);
    const dup = await t.app.inject({
      method: "POST",
      url: "/api/v1/sites",
      headers: operator,
      payload: { site_id: site.siteId, name: "x" },
    });
    expect(dup.statusCode).toBe(409);
    expect((await t.app.inject({ method: "GET", url: "/api/v1/sites/nope-404", headers: viewer })).statusCode).toBe(
      404,
    );
    expect(
      (await t.app.inject({ method: "PUT", url: "/api/v1/sites/nope-404", headers: operator, payload: { name: "x" } }))
        .statusCode,
    ).toBe(404);
    expect((await t.app.inject({ method: "DELETE", url: "/api/v1/sites/nope-404", headers: admin })).statusCode).toBe(
      404,
    );
    expect(
      (await t.app.inject({ method: "GET", url: "/api/v1/sites/nope-404/devices", headers: viewer })).statusCode,
    ).toBe(404);
  });

  it.each([
    [{ name: "x" }, "site_id"],
    [{ site_id: "bad id!", name: "x" }, "site_id"],
    [{ site_id: "a".repeat(21), name: "x" }, "site_id"],
    [{ site_id: "ok-1" }, "name"],
    [{ site_id: "ok-1", name: "" }, "name"],
    [{ site_id: "ok-1", name: "x", timezone: "Mars/Olympus" }, "timezone"],
    [{ site_id: "ok-1", name: "x", location: 5 }, "location"],
  ])("422 naming the field for %j", async (payload, field) => {
    const res = await t.app.inject({ method: "POST", url: "/api/v1/sites", headers: operator, payload });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0].field).toBe(field);
    expect(res.json().detail).toContain(field);
  });
});

describe("sites: security", () => {
  it("guards every route by role", async () => {
    await expectRequiresRole(t, { method: "GET", url: "/api/v1/sites" }, "viewer");
    await expectRequiresRole(t, { method: "GET", url: "/api/v1/sites/site-x" }, "viewer");
    await expectRequiresRole(t, { method: "GET", url: "/api/v1/sites/site-x/devices" }, "viewer");
    await expectRequiresRole(
      t,
      { method: "POST", url: "/api/v1/sites", payload: { site_id: "sec-1", name: "x" } },
      "operator",
    );
    await expectRequiresRole(t, { method: "PUT", url: "/api/v1/sites/site-x", payload: { name: "x" } }, "operator");
    await expectRequiresRole(t, { method: "DELETE", url: "/api/v1/sites/site-x" }, "operator");
  });
});
