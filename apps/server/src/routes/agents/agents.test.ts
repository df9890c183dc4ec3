import { auditLogs } from "@homepot/db";
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

const dna = {
  mac_address: "00-11-22-AA-BB-CC",
  local_ip: "192.168.1.20",
  wan_ip: "203.0.113.10",
  os_details: "Ubuntu 22.04.3 LTS",
  os_version: "22.04",
  firmware_version: "2.4.1",
  agent_version: "0.3.0",
  hardware: { manufacturer: "Dell Inc.", model: "OptiPlex 3000", cpu: "Intel i5", memory_mb: 8192 },
  peripherals: { printers: [{ name: "EPSON TM-T20III", default: true }] },
};

describe("device DNA (POST /agent/device-dna)", () => {
  it("stores the facts as columns, derives the OS family, audits what changed and shows it on the device", async () => {
    const { device, headers } = await makeDevice(t);
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/agent/device-dna",
      headers,
      payload: { device_id: device.deviceId, ...dna, device_type: "pos_terminal", site_id: "ignored" },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      status: "success",
      data: { device_id: device.deviceId, os_family: "linux", mac_address: "00:11:22:aa:bb:cc", created: false },
    });
    const shown = await t.app.inject({ method: "GET", url: `/api/v1/devices/${device.deviceId}`, headers: viewer });
    expect(shown.json().data).toMatchObject({
      os_family: "linux",
      os_version: "22.04",
      local_ip: "192.168.1.20",
      ip_address: "192.168.1.20",
      wan_ip: "203.0.113.10",
      hardware_vendor: "Dell Inc.",
      hardware_model: "OptiPlex 3000",
      agent_version: "0.3.0",
      firmware_version: "2.4.1",
      peripherals: dna.peripherals,
    });
    const same = await t.app.inject({ method: "POST", url: "/api/v1/agent/device-dna", headers, payload: dna });
    expect(same.json().data.changed).toEqual([]);
    const moved = await t.app.inject({
      method: "POST",
      url: "/api/v1/agent/device-dna",
      headers,
      payload: { local_ip: "192.168.1.21" },
    });
    expect(moved.json().data.changed).toEqual(["local_ip", "ip_address"]);
    const audits = await t.database.db.select().from(auditLogs).where(eq(auditLogs.eventType, "device_dna_changed"));
    expect(audits).toHaveLength(2);
    expect(audits[1]?.newValues).toEqual({ local_ip: "192.168.1.21", ip_address: "192.168.1.21" });

    const sites = await t.app.inject({ method: "GET", url: `/api/v1/sites?search=${device.siteId}`, headers: viewer });
    expect(sites.json().sites[0].os_mix).toEqual({ linux: 1 });
  });

  it("refuses another device's id, bad values by field, and calls without the device key", async () => {
    const { headers } = await makeDevice(t);
    const other = await makeDevice(t);
    const spoof = await t.app.inject({
      method: "POST",
      url: "/api/v1/agent/device-dna",
      headers,
      payload: { device_id: other.device.deviceId },
    });
    expect(spoof.statusCode).toBe(403);
    const bad = await t.app.inject({
      method: "POST",
      url: "/api/v1/agent/device-dna",
      headers,
      payload: { mac_address: "nope", local_ip: "999.1.1.1" },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain("mac_address");
    expect(bad.body).toContain("local_ip");
    const anonymous = await t.app.inject({ method: "POST", url: "/api/v1/agent/device-dna", payload: {} });
    expect(anonymous.statusCode).toBe(401);
    const asUser = await t.app.inject({ method: "POST", url: "/api/v1/agent/device-dna", headers: admin, payload: {} });
    expect(asUser.statusCode).toBe(401);
  });
});

describe("the original's agent and device routes (issue 14 §10)", () => {
  it("GET /agents and /agents/{id} show lifecycle, connectivity and health to viewers", async () => {
    const { device, headers } = await makeDevice(t);
    await t.app.inject({
      method: "POST",
      url: `/api/v1/devices/${device.deviceId}/health`,
      headers,
      payload: { status: "healthy", response_time_ms: 40, metrics: { cpu_usage_percent: 12 } },
    });
    const one = await t.app.inject({ method: "GET", url: `/api/v1/agents/${device.deviceId}`, headers: viewer });
    expect(one.statusCode, one.body).toBe(200);
    expect(one.json()).toMatchObject({
      device_id: device.deviceId,
      lifecycle_state: "active",
      connectivity_state: "online",
      health_state: "healthy",
      uptime: "running",
      last_health_check: { status: "healthy", timestamp: expect.any(String) },
    });
    const all = await t.app.inject({ method: "GET", url: "/api/v1/agents", headers: viewer });
    expect(all.json().agents.map((a: { device_id: string }) => a.device_id)).toContain(device.deviceId);
    expect((await t.app.inject({ method: "GET", url: "/api/v1/agents/nope", headers: viewer })).statusCode).toBe(404);
    await expectRequiresRole(t, { method: "GET", url: "/api/v1/agents" }, "viewer");
    await expectRequiresRole(t, { method: "GET", url: `/api/v1/agents/${device.deviceId}` }, "viewer");
  });

  it("GET /agents filters as the device list does (site, lifecycle, connectivity, search) and gives the total", async () => {
    const site = await makeSite(t);
    const online = await makeDevice(t, { siteId: site.siteId, name: "Agent Till" });
    await t.app.inject({
      method: "POST",
      url: `/api/v1/devices/${online.device.deviceId}/health`,
      headers: online.headers,
      payload: { status: "healthy" },
    });
    const silent = await makeDevice(t, { siteId: site.siteId, name: "Agent Kiosk" });
    const list = async (query: string) => {
      const res = await t.app.inject({ url: `/api/v1/agents?site_id=${site.siteId}&${query}`, headers: viewer });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      return { total: body.total, ids: body.agents.map((a: { device_id: string }) => a.device_id) };
    };
    expect(await list("")).toEqual({ total: 2, ids: [online.device.deviceId, silent.device.deviceId].sort() });
    expect(await list("connectivity_state=online")).toEqual({ total: 1, ids: [online.device.deviceId] });
    expect(await list("connectivity_state=unknown")).toEqual({ total: 1, ids: [silent.device.deviceId] });
    expect((await list("connectivity_state=offline")).total).toBe(0);
    expect((await list("search=kiosk")).ids).toEqual([silent.device.deviceId]);
    expect(await list("limit=1")).toMatchObject({ total: 2 });
    expect((await list("lifecycle_state=suspended")).total).toBe(0);
    const bad = await t.app.inject({ url: "/api/v1/agents?connectivity_state=sideways", headers: viewer });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain("connectivity_state");
  });

  it("POST /devices/device creates (id generated when omitted), PUT/DELETE /devices/device/{id} update and delete", async () => {
    const site = await makeSite(t);
    const created = await t.app.inject({
      method: "POST",
      url: "/api/v1/devices/device",
      headers: operator,
      payload: { site_id: site.siteId, name: "Back office", device_type: "server", mac_address: "00:11:22:33:44:55" },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().device_id as string;
    expect(id).toMatch(/^server-[0-9a-f]{8}$/);
    expect(created.json()).toMatchObject({
      name: "Back office",
      api_key: expect.stringMatching(/^hpk_/),
      mac_address: "00:11:22:33:44:55",
    });
    const put = await t.app.inject({
      method: "PUT",
      url: `/api/v1/devices/device/${id}`,
      headers: operator,
      payload: { name: "Back office 2", mac_address: "00:11:22:33:44:66" },
    });
    expect(put.json()).toMatchObject({
      device_id: id,
      name: "Back office 2",
      data: { mac_address: "00:11:22:33:44:66" },
    });
    await expectRequiresRole(t, { method: "POST", url: "/api/v1/devices/device", payload: {} }, "operator");
    await expectRequiresRole(t, { method: "PUT", url: `/api/v1/devices/device/${id}`, payload: {} }, "operator");
    await expectRequiresRole(t, { method: "DELETE", url: `/api/v1/devices/device/${id}` }, "admin");
    const del = await t.app.inject({ method: "DELETE", url: `/api/v1/devices/device/${id}`, headers: admin });
    expect(del.statusCode).toBe(200);
    const gone = await t.app.inject({ method: "GET", url: `/api/v1/devices/device/${id}`, headers: viewer });
    expect(gone.statusCode).toBe(404);
  });

  it("POST /sites/{id}/jobs creates a site job like /jobs/sites/{id}/jobs", async () => {
    const { device, siteId } = await makeDevice(t);
    const res = await t.app.inject({
      method: "POST",
      url: `/api/v1/sites/${siteId}/jobs`,
      headers: operator,
      payload: { action: "Restart POS app", priority: "high", device_id: device.deviceId },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().data).toMatchObject({ site_id: siteId, priority: "high" });
    await expectRequiresRole(t, { method: "POST", url: `/api/v1/sites/${siteId}/jobs`, payload: {} }, "operator");
  });
});
