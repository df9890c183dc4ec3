import { auditLogs, deviceCommands, devices } from "@homepot/db";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectRequiresRole, loginAs, type TestApp } from "../../testing.ts";
import { makeDevice, makeSite } from "./device-factories.ts";

let t: TestApp;
let operator: Record<string, string>;
let viewer: Record<string, string>;
beforeAll(async () => {
  t = await createTestApp();
  operator = (await loginAs(t, "operator")).headers;
  viewer = (await loginAs(t, "viewer")).headers;
});
afterAll(async () => t.close());

const bulk = (payload: object, headers = operator) =>
  t.app.inject({ method: "POST", url: "/api/v1/devices/bulk", headers, payload });

describe("device tags", () => {
  it("are set (normalised) by PUT, shown on the device, filtered with ?tag= and counted by /devices/tags", async () => {
    const a = await makeDevice(t);
    const b = await makeDevice(t, { siteId: a.siteId });
    const put = await t.app.inject({
      method: "PUT",
      url: `/api/v1/devices/${a.device.deviceId}`,
      headers: operator,
      payload: { tags: ["Floor-2", "pilot", "pilot "] },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json().data.tags).toEqual(["floor-2", "pilot"]);
    await t.app.inject({
      method: "PUT",
      url: `/api/v1/devices/${b.device.deviceId}`,
      headers: operator,
      payload: { tags: ["pilot"] },
    });

    const both = await t.app.inject({ url: `/api/v1/devices?site_id=${a.siteId}&tag=pilot`, headers: viewer });
    expect(
      both
        .json()
        .devices.map((d: { device_id: string }) => d.device_id)
        .sort(),
    ).toEqual([a.device.deviceId, b.device.deviceId].sort());
    const one = await t.app.inject({ url: `/api/v1/devices?site_id=${a.siteId}&tag=pilot,floor-2`, headers: viewer });
    expect(one.json()).toMatchObject({ count: 1, total: 1, devices: [{ device_id: a.device.deviceId }] });

    const tags = await t.app.inject({ url: "/api/v1/devices/tags", headers: viewer });
    expect(tags.statusCode).toBe(200);
    expect(tags.json().tags).toEqual(
      expect.arrayContaining([
        { tag: "pilot", device_count: 2 },
        { tag: "floor-2", device_count: 1 },
      ]),
    );
    // Segments are listed the same way (the alert rule editor's scope picker reads them).
    const segments = await t.app.inject({ url: "/api/v1/devices/segments", headers: viewer });
    expect(segments.statusCode).toBe(200);
    expect(segments.json().segments).toContainEqual({
      segment: "pos-terminals",
      device_count: expect.any(Number),
    });
    const { total } = (await t.app.inject({ url: "/api/v1/devices?segment=pos-terminals", headers: viewer })).json();
    expect(segments.json().segments.find((s: { segment: string }) => s.segment === "pos-terminals").device_count).toBe(
      total,
    );
  });

  it("refuses a malformed tag naming the field", async () => {
    const d = await makeDevice(t);
    const res = await t.app.inject({
      method: "PUT",
      url: `/api/v1/devices/${d.device.deviceId}`,
      headers: operator,
      payload: { tags: ["no spaces"] },
    });
    expect(res.statusCode).toBe(422);
    expect(JSON.stringify(res.json())).toContain("tags");
    const list = await t.app.inject({ url: "/api/v1/devices?tag=bad%20tag", headers: viewer });
    expect(list.statusCode).toBe(400);
  });

  it("target jobs: POST /jobs with tags resolves the tagged devices of the site", async () => {
    const site = await makeSite(t);
    const tagged = await makeDevice(t, { siteId: site.siteId, tags: ["canary"] });
    await makeDevice(t, { siteId: site.siteId });
    const elsewhere = await makeDevice(t, { tags: ["canary"] });
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/jobs",
      headers: operator,
      payload: { action: "Restart canaries", job_type: "restart", site_id: site.siteId, tags: ["canary"] },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().data.device_ids).toEqual([tagged.device.deviceId]);
    expect(res.json().data.device_ids).not.toContain(elsewhere.device.deviceId);

    const none = await t.app.inject({
      method: "POST",
      url: "/api/v1/jobs",
      headers: operator,
      payload: { action: "Restart", job_type: "restart", site_id: site.siteId, tags: ["nobody-has-this"] },
    });
    expect(none.statusCode).toBe(422);
    expect(none.json().detail).toContain("nobody-has-this");
  });
});

describe("POST /devices/bulk", () => {
  it("needs an operator (viewer 403, no token 401)", async () => {
    await expectRequiresRole(
      t,
      {
        method: "POST",
        url: "/api/v1/devices/bulk",
        payload: { action: "status", status: "maintenance", device_ids: ["x"] },
      },
      "operator",
    );
  });

  it("sets the status of each device, answers per device, and reports unknown ids without failing the rest", async () => {
    const a = await makeDevice(t);
    const b = await makeDevice(t, { siteId: a.siteId });
    const res = await bulk({
      action: "status",
      status: "maintenance",
      device_ids: [a.device.deviceId, "no-such-device", b.device.deviceId],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({
      action: "status",
      requested: 3,
      succeeded: 2,
      failed: 1,
      results: [
        { device_id: a.device.deviceId, success: true, status_code: 200 },
        { device_id: "no-such-device", success: false, status_code: 404 },
        { device_id: b.device.deviceId, success: true, status_code: 200 },
      ],
    });
    const rows = await t.ctx.db
      .select()
      .from(devices)
      .where(inArray(devices.deviceId, [a.device.deviceId, b.device.deviceId]));
    expect(rows.map((r) => r.status)).toEqual(["maintenance", "maintenance"]);

    const audit = await t.ctx.db.select().from(auditLogs).where(eq(auditLogs.eventType, "devices_bulk_action"));
    expect(audit.some((r) => (r.newValues as { status?: string }).status === "maintenance")).toBe(true);
    const perDevice = await t.ctx.db.select().from(auditLogs).where(eq(auditLogs.deviceId, a.device.id));
    expect(perDevice.map((r) => r.eventType)).toContain("device_updated");
  });

  it("queues a command on each device", async () => {
    const a = await makeDevice(t);
    const b = await makeDevice(t, { siteId: a.siteId });
    const res = await bulk({
      action: "command",
      command_type: "run_health_check",
      device_ids: [a.device.deviceId, b.device.deviceId],
    });
    expect(res.statusCode).toBe(200);
    const results = res.json().data.results as Array<{ command_id: string; status_code: number }>;
    expect(results.map((r) => r.status_code)).toEqual([201, 201]);
    const queued = await t.ctx.db
      .select()
      .from(deviceCommands)
      .where(
        inArray(
          deviceCommands.commandId,
          results.map((r) => r.command_id),
        ),
      );
    expect(queued.map((c) => c.commandType)).toEqual(["RUN_HEALTH_CHECK", "RUN_HEALTH_CHECK"]);

    const bad = await bulk({ action: "command", command_type: "format_disk", device_ids: [a.device.deviceId] });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().detail).toMatch(/command_type|format_disk/i);
  });

  it("moves devices to another site; an unknown target site fails the whole request with 404", async () => {
    const a = await makeDevice(t);
    const target = await makeSite(t);
    const res = await bulk({ action: "move", site_id: target.siteId, device_ids: [a.device.deviceId] });
    expect(res.json().data.succeeded).toBe(1);
    const [row] = await t.ctx.db.select().from(devices).where(eq(devices.deviceId, a.device.deviceId));
    expect(row?.siteId).toBe(target.siteId);

    const missing = await bulk({ action: "move", site_id: "site-nowhere", device_ids: [a.device.deviceId] });
    expect(missing.statusCode).toBe(404);
  });

  it("adds and removes tags relative to each device's own", async () => {
    const a = await makeDevice(t, { tags: ["old", "keep"] });
    const b = await makeDevice(t, { siteId: a.siteId });
    const res = await bulk({
      action: "tag",
      add: ["New"],
      remove: ["old"],
      device_ids: [a.device.deviceId, b.device.deviceId],
    });
    expect(res.json().data.succeeded).toBe(2);
    const rows = await t.ctx.db
      .select()
      .from(devices)
      .where(inArray(devices.deviceId, [a.device.deviceId, b.device.deviceId]))
      .orderBy(devices.id);
    expect(rows.map((r) => r.tags)).toEqual([["keep", "new"], ["new"]]);
  });

  it("refuses bad bodies naming the field", async () => {
    const empty = await bulk({ action: "status", status: "maintenance", device_ids: [] });
    expect(empty.statusCode).toBe(422);
    expect(JSON.stringify(empty.json())).toContain("device_ids");
    const noTags = await bulk({ action: "tag", device_ids: ["a"] });
    expect(noTags.statusCode).toBe(422);
    const badStatus = await bulk({ action: "status", status: "exploded", device_ids: ["a"] });
    expect(badStatus.statusCode).toBe(422);
    expect(JSON.stringify(badStatus.json())).toContain("status");
    const badAction = await bulk({ action: "delete", device_ids: ["a"] });
    expect(badAction.statusCode).toBe(422);
  });
});
