import type { Role } from "@homepot/core";
import { deleteDevice } from "@homepot/core/devices/delete-device";
import { configurationHistory, deviceMetrics, deviceStateHistory, healthChecks } from "@homepot/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectRequiresRole, loginAs, type TestApp } from "../../testing.ts";
import { makeDevice } from "./device-factories.ts";

let t: TestApp;
let mine: string;
let other: string;
const as: Partial<Record<Role, Record<string, string>>> = {};
const T0 = Date.parse("2026-03-01T10:00:00Z");
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

/** Three rows of each kind for `deviceId` (minutes 0, 1, 2). */
async function seed(deviceId: string, pk: number) {
  const minutes = [0, 1, 2];
  await t.ctx.db.insert(deviceMetrics).values(minutes.map((m) => ({ deviceId, timestamp: at(m), cpuPercent: 10 + m })));
  await t.ctx.db
    .insert(healthChecks)
    .values(minutes.map((m) => ({ deviceId: pk, timestamp: at(m), isHealthy: m !== 1, statusCode: 200 })));
  await t.ctx.db.insert(deviceStateHistory).values(
    minutes.map((m) => ({
      deviceId,
      timestamp: at(m),
      previousState: m % 2 ? "online" : "error",
      newState: m % 2 ? "error" : "online",
      changedBy: "health_check",
    })),
  );
  await t.ctx.db.insert(configurationHistory).values(
    minutes.map((m) => ({
      entityType: "device",
      entityId: deviceId,
      timestamp: at(m),
      parameterName: `p${m}`,
      newValue: m,
      changedBy: "test",
      changeType: m === 2 ? "automated" : "manual",
    })),
  );
}

beforeAll(async () => {
  t = await createTestApp();
  const a = await makeDevice(t);
  const b = await makeDevice(t);
  mine = a.device.deviceId;
  other = b.device.deviceId;
  await seed(mine, a.device.id);
  await seed(other, b.device.id);
  for (const role of ["admin", "operator", "viewer"] as const) as[role] = (await loginAs(t, role)).headers;
});
afterAll(async () => t.close());

const routes = [
  { path: "metrics", key: "metrics", filter: "", expected: 3 },
  { path: "health-checks", key: "health_checks", filter: "is_healthy=false", expected: 1 },
  { path: "state-history", key: "history", filter: "new_state=error", expected: 1 },
  { path: "config-history", key: "history", filter: "change_type=manual", expected: 2 },
] as const;

describe.each(routes)("GET /devices/{device_id}/$path", ({ path, key, filter, expected }) => {
  const url = (deviceId: string, query = "") => `/api/v1/devices/${deviceId}/${path}${query ? `?${query}` : ""}`;

  it.each(["admin", "operator", "viewer"] as const)(
    "answers a %s with this device's rows only, newest first",
    async (role) => {
      const res = await t.app.inject({ method: "GET", url: url(mine), headers: as[role] });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({ success: true, count: 3, next_cursor: null });
      const rows = body[key] as { timestamp: string; device_id?: string; entity_id?: string }[];
      expect(rows).toHaveLength(3);
      for (const row of rows) expect(row.device_id ?? row.entity_id).toBe(mine);
      expect(rows.map((r) => r.timestamp)).toEqual([at(2), at(1), at(0)].map((d) => d.toISOString()));
    },
  );

  it("takes the list's filters, time range and paging", async () => {
    if (filter) {
      const filtered = await t.app.inject({ method: "GET", url: url(mine, filter), headers: as.viewer });
      expect(filtered.json()[key]).toHaveLength(expected);
    }
    const range = `start_date=${at(1).toISOString()}&limit=1&include_total=true`;
    const page = await t.app.inject({ method: "GET", url: url(mine, range), headers: as.viewer });
    expect(page.json()).toMatchObject({ count: 1, total: 2, next_cursor: expect.any(String) });
    const next = await t.app.inject({
      method: "GET",
      url: url(mine, `cursor=${page.json().next_cursor}&limit=5`),
      headers: as.viewer,
    });
    expect(next.json()[key].map((r: { timestamp: string }) => r.timestamp)).toEqual(
      [at(1), at(0)].map((d) => d.toISOString()),
    );
  });

  it("names the bad field (400) and ignores a device_id in the query", async () => {
    const bad = await t.app.inject({ method: "GET", url: url(mine, "limit=0"), headers: as.viewer });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain("limit");
    const smuggled = await t.app.inject({ method: "GET", url: url(mine, `device_id=${other}`), headers: as.viewer });
    expect(smuggled.statusCode).toBe(200);
    const rows = smuggled.json()[key] as { device_id?: string; entity_id?: string }[];
    expect(rows.every((r) => (r.device_id ?? r.entity_id) === mine)).toBe(true);
  });

  it("is a 404 for an unknown device, and needs a signed-in user", async () => {
    const res = await t.app.inject({ method: "GET", url: url("pos-nobody-here"), headers: as.viewer });
    expect(res.statusCode).toBe(404);
    expect(res.json().detail).toContain("pos-nobody-here");
    await expectRequiresRole(t, { method: "GET", url: url(mine) }, "viewer");
  });
});

describe("a deleted device", () => {
  it("no longer shows its history", async () => {
    const gone = await makeDevice(t);
    await deleteDevice(t.ctx, gone.device.deviceId);
    const res = await t.app.inject({
      method: "GET",
      url: `/api/v1/devices/${gone.device.deviceId}/metrics`,
      headers: as.viewer,
    });
    expect(res.statusCode).toBe(404);
  });
});
