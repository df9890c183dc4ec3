import { SIMULATION_FINISHED_TAG } from "@homepot/contracts/devices";
import { auditLogs, devices } from "@homepot/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectRequiresRole, loginAs, type TestApp } from "../../testing.ts";
import { expectServerReleaseKey } from "../releases/release-testing.ts";
import { makeDevice, makeSite } from "./device-factories.ts";

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

const healthy = {
  status: "healthy",
  response_time_ms: 42,
  metrics: { cpu_usage_percent: 20, memory_usage_percent: 30 },
};

describe("device registration", () => {
  it("answers 201 with api_key at the top level once, never again, and stores only its hash", async () => {
    const site = await makeSite(t);
    const res = await t.app.inject({
      method: "POST",
      url: `/api/v1/devices/sites/${site.siteId}/devices`,
      headers: operator,
      payload: {
        device_id: "pos-terminal-reg-1",
        name: "Till 1",
        device_type: "pos_terminal",
        ip_address: "10.0.0.5",
        config: { currency: "EUR" },
      },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      success: true,
      device_id: "pos-terminal-reg-1",
      site_id: site.siteId,
      status: "offline",
      ip_address: "10.0.0.5",
      segment: "pos-terminals",
    });
    expect(body.api_key).toMatch(/^hpk_[0-9A-Za-z]{49}$/);
    expect(body.api_key.startsWith(body.api_key_prefix)).toBe(true);
    await expectServerReleaseKey(t, body.release_key);

    const [row] = await t.ctx.db.select().from(devices).where(eq(devices.deviceId, "pos-terminal-reg-1"));
    expect(row?.apiKeyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(body.api_key);

    for (const url of [
      "/api/v1/devices",
      "/api/v1/devices/pos-terminal-reg-1",
      "/api/v1/devices/device",
      "/api/v1/devices/device/pos-terminal-reg-1",
      `/api/v1/sites/${site.siteId}/devices`,
    ]) {
      const got = await t.app.inject({ method: "GET", url, headers: viewer });
      expect(got.statusCode, url).toBe(200);
      expect(got.body, url).not.toContain(body.api_key);
      expect(got.body, url).not.toContain(row?.apiKeyHash);
      expect(got.json().api_key, url).toBeUndefined();
    }

    const [audit] = await t.ctx.db
      .select()
      .from(auditLogs)
      .where(eq(auditLogs.deviceId, row?.id ?? -1));
    expect(audit).toMatchObject({ eventType: "device_registered" });
    expect(JSON.stringify(audit)).not.toContain(body.api_key);

    const health = await t.app.inject({
      method: "POST",
      url: "/api/v1/devices/pos-terminal-reg-1/health",
      headers: { "x-device-id": "pos-terminal-reg-1", "x-api-key": body.api_key },
      payload: healthy,
    });
    expect(health.statusCode).toBe(201);
  });

  it("puts a device in the segment of its type unless one is given", async () => {
    const site = await makeSite(t);
    const register = async (device_id: string, device_type: string, segment?: string) =>
      (
        await t.app.inject({
          method: "POST",
          url: `/api/v1/devices/sites/${site.siteId}/devices`,
          headers: operator,
          payload: { device_id, name: device_id, device_type, ...(segment ? { segment } : {}) },
        })
      ).json().segment;
    expect(await register("kiosk-seg-1", "kiosk")).toBe("kiosks");
    expect(await register("sensor-seg-1", "iot_sensor")).toBe("iot-sensors");
    expect(await register("server-seg-1", "server", "back-office")).toBe("back-office");
  });

  it("409 when the device id exists, 404 for an unknown site", async () => {
    const { device, siteId } = await makeDevice(t);
    const dup = await t.app.inject({
      method: "POST",
      url: `/api/v1/devices/sites/${siteId}/devices`,
      headers: operator,
      payload: { device_id: device.deviceId, name: "x", device_type: "pos_terminal" },
    });
    expect(dup.statusCode).toBe(409);
    const nosite = await t.app.inject({
      method: "POST",
      url: "/api/v1/devices/sites/no-such-site/devices",
      headers: operator,
      payload: { device_id: "pos-x-1", name: "x", device_type: "pos_terminal" },
    });
    expect(nosite.statusCode).toBe(404);
  });

  it.each([
    [{ device_id: "has space", name: "x", device_type: "pos_terminal" }, "device_id"],
    [{ device_id: "d-1", name: " ", device_type: "pos_terminal" }, "name"],
    [{ device_id: "d-1", name: "x" }, "device_type"],
    [{ device_id: "d-1", name: "x", device_type: "pos_terminal", ip_address: "999.1.1.1" }, "ip_address"],
    [{ device_id: "d-1", name: "x", device_type: "pos_terminal", config: "not-an-object" }, "config"],
    [{ device_id: "d-1", name: "x", device_type: "pos_terminal", is_simulated: "yes" }, "is_simulated"],
  ])("422 naming the field for %j", async (payload, field) => {
    const site = await makeSite(t);
    const res = await t.app.inject({
      method: "POST",
      url: `/api/v1/devices/sites/${site.siteId}/devices`,
      headers: operator,
      payload,
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0].field).toBe(field);
  });

  it("generates the id when it is omitted and keeps names unique per site, ignoring case (issue 14 §3)", async () => {
    const site = await makeSite(t);
    const register = (payload: Record<string, unknown>, siteId = site.siteId) =>
      t.app.inject({ method: "POST", url: `/api/v1/devices/sites/${siteId}/devices`, headers: operator, payload });
    const first = await register({ name: "Till 7", device_type: "pos_terminal" });
    expect(first.statusCode).toBe(201);
    expect(first.json().device_id).toMatch(/^pos-terminal-[0-9a-f]{8}$/);
    const unnamed = await register({ device_type: "kiosk" });
    expect(unnamed.json().name).toBe(unnamed.json().device_id);
    const clash = await register({ name: "TILL 7", device_type: "pos_terminal" });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().detail).toMatch(/^name /);
    const elsewhere = await register({ name: "till 7", device_type: "pos_terminal" }, (await makeSite(t)).siteId);
    expect(elsewhere.statusCode).toBe(201);
    const rename = await t.app.inject({
      method: "PUT",
      url: `/api/v1/devices/${unnamed.json().device_id}`,
      headers: operator,
      payload: { name: "till 7" },
    });
    expect(rename.statusCode).toBe(409);
  });
});

describe("device management", () => {
  it("lists the devices needing attention, and devices by id (the Overview's two lists)", async () => {
    const site = await makeSite(t, { name: "Attention Store" });
    const made: Record<string, string> = {};
    for (const [key, values] of Object.entries({
      broken: { status: "error" },
      gone: { status: "offline" },
      serviced: { status: "maintenance" },
      fine: { status: "online" },
      // A simulated device parked after its run: in maintenance on purpose.
      parked: { status: "maintenance", isSimulated: true, tags: [SIMULATION_FINISHED_TAG] },
    })) {
      const { device } = await makeDevice(t, { siteId: site.siteId });
      await t.ctx.db.update(devices).set(values).where(eq(devices.id, device.id));
      made[key] = device.deviceId;
    }
    const ids = async (query: string) => {
      const res = await t.app.inject({ url: `/api/v1/devices?site_id=${site.siteId}&${query}`, headers: viewer });
      expect(res.statusCode, res.body).toBe(200);
      return { total: res.json().total, ids: res.json().devices.map((d: { device_id: string }) => d.device_id) };
    };
    expect(await ids("attention=true")).toEqual({
      total: 3,
      ids: [made.broken, made.gone, made.serviced].sort(),
    });
    expect(await ids(`device_id=${made.fine},${made.parked},nope`)).toEqual({
      total: 2,
      ids: [made.fine, made.parked].sort(),
    });
    const bad = await t.app.inject({ url: "/api/v1/devices?device_id=a,,b", headers: viewer });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain("device_id");
  });

  it("lists with filters, reads with site_name, updates with a state-history row, soft-deletes", async () => {
    const site = await makeSite(t, { name: "West Branch" });
    const { device } = await makeDevice(t, {
      siteId: site.siteId,
      deviceType: "kiosk",
      isSimulated: true,
      segment: "kiosks",
    });
    const list = await t.app.inject({
      method: "GET",
      url: `/api/v1/devices?site_id=${site.siteId}&device_type=kiosk&is_simulated=true`,
      headers: viewer,
    });
    expect(list.json()).toMatchObject({
      success: true,
      count: 1,
      devices: [{ device_id: device.deviceId, site_name: "West Branch", segment: "kiosks", is_simulated: true }],
    });

    const compat = await t.app.inject({
      method: "GET",
      url: `/api/v1/devices/device/${device.deviceId}`,
      headers: viewer,
    });
    expect(compat.json()).toMatchObject({
      device_id: device.deviceId,
      site_id: site.siteId,
      site_name: "West Branch",
      device_type: "kiosk",
      status: "offline",
    });
    const compatList = await t.app.inject({ method: "GET", url: "/api/v1/devices/device?limit=1000", headers: viewer });
    expect(compatList.json().devices.some((d: { device_id: string }) => d.device_id === device.deviceId)).toBe(true);

    const put = await t.app.inject({
      method: "PUT",
      url: `/api/v1/devices/${device.deviceId}`,
      headers: operator,
      payload: { name: "Kiosk A", status: "maintenance" },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json().data).toMatchObject({ name: "Kiosk A", status: "maintenance" });
    const history = await t.app.inject({ method: "GET", url: `/api/v1/devices/${device.deviceId}`, headers: viewer });
    expect(history.json().data.status).toBe("maintenance");
    const { deviceStateHistory } = await import("@homepot/db");
    const rows = await t.ctx.db
      .select()
      .from(deviceStateHistory)
      .where(eq(deviceStateHistory.deviceId, device.deviceId));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ previousState: "offline", newState: "maintenance" });
    expect(rows[0]?.reason).toMatch(/^Set by operator_/);

    const del = await t.app.inject({ method: "DELETE", url: `/api/v1/devices/${device.deviceId}`, headers: admin });
    expect(del.statusCode).toBe(200);
    expect(
      (await t.app.inject({ method: "GET", url: `/api/v1/devices/${device.deviceId}`, headers: viewer })).statusCode,
    ).toBe(404);
    const [row] = await t.ctx.db.select().from(devices).where(eq(devices.deviceId, device.deviceId));
    expect(row?.isActive).toBe(false);
    const audits = await t.ctx.db
      .select()
      .from(auditLogs)
      .where(eq(auditLogs.deviceId, row?.id ?? -1));
    expect(audits.map((a) => a.eventType).sort()).toEqual(["device_deleted", "device_registered", "device_updated"]);
  });

  it("shows each device's installed software version and filters the list by it", async () => {
    const site = await makeSite(t);
    const versions = ["4.1.0", "4.2.0", null];
    for (const [i, version] of versions.entries()) {
      const { device } = await makeDevice(t, { siteId: site.siteId });
      await t.database.db.update(devices).set({ softwareVersion: version }).where(eq(devices.id, device.id));
      if (i === 1) {
        const one = await t.app.inject({ url: `/api/v1/devices/${device.deviceId}`, headers: viewer });
        expect(one.json().data.software_version).toBe("4.2.0");
      }
    }
    const list = async (q: string) =>
      (await t.app.inject({ url: `/api/v1/devices?site_id=${site.siteId}${q}`, headers: viewer })).json();
    expect((await list("")).devices.map((d: { software_version: string | null }) => d.software_version).sort()).toEqual(
      ["4.1.0", "4.2.0", null],
    );
    const filtered = await list("&software_version=4.2.0");
    expect(filtered).toMatchObject({ total: 1, devices: [{ software_version: "4.2.0" }] });
    expect((await list("&software_version=9.9.9")).total).toBe(0);
  });

  it("404 for unknown devices, 422 for a bad status", async () => {
    expect((await t.app.inject({ method: "GET", url: "/api/v1/devices/nope-1", headers: viewer })).statusCode).toBe(
      404,
    );
    expect(
      (await t.app.inject({ method: "GET", url: "/api/v1/devices/device/nope-1", headers: viewer })).statusCode,
    ).toBe(404);
    const { device } = await makeDevice(t);
    const bad = await t.app.inject({
      method: "PUT",
      url: `/api/v1/devices/${device.deviceId}`,
      headers: operator,
      payload: { status: "exploded" },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].field).toBe("status");
  });

  it("guards management routes by role", async () => {
    const { device, siteId } = await makeDevice(t);
    const id = device.deviceId;
    await expectRequiresRole(t, { method: "GET", url: "/api/v1/devices" }, "viewer");
    await expectRequiresRole(t, { method: "GET", url: "/api/v1/devices/device" }, "viewer");
    await expectRequiresRole(t, { method: "GET", url: `/api/v1/devices/device/${id}` }, "viewer");
    await expectRequiresRole(t, { method: "GET", url: `/api/v1/devices/${id}` }, "viewer");
    await expectRequiresRole(
      t,
      {
        method: "POST",
        url: `/api/v1/devices/sites/${siteId}/devices`,
        payload: { device_id: "sec-d", name: "x", device_type: "pos" },
      },
      "operator",
    );
    await expectRequiresRole(t, { method: "PUT", url: `/api/v1/devices/${id}`, payload: { name: "x" } }, "operator");
    await expectRequiresRole(t, { method: "DELETE", url: `/api/v1/devices/${id}` }, "admin");
    await expectRequiresRole(t, { method: "POST", url: `/api/v1/devices/${id}/api-key/rotate` }, "operator");
    await expectRequiresRole(t, { method: "DELETE", url: `/api/v1/devices/${id}/api-key` }, "operator");
  });
});
