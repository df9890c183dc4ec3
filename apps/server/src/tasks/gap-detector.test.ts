import { deviceStateHistory, devices, errorLogs } from "@homepot/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeDevice } from "../routes/devices/device-factories.ts";
import { createTestApp, loginAs, type TestApp } from "../testing.ts";
import { GapDetectorTask } from "./gap-detector.ts";

let now = new Date("2026-03-02T10:00:00Z").getTime();
const clock = { now: () => new Date(now) };
let t: TestApp;
const task = new GapDetectorTask();
beforeAll(async () => {
  t = await createTestApp({ clock, env: { HOMEPOT_OFFLINE_AFTER_S: "300" } });
  task.start(t.app);
});
afterAll(async () => {
  await task.stop();
  await t.close();
});

const statusOf = async (id: number) => (await t.ctx.db.select().from(devices).where(eq(devices.id, id)))[0]?.status;
const history = (deviceId: string) =>
  t.ctx.db.select().from(deviceStateHistory).where(eq(deviceStateHistory.deviceId, deviceId));

describe("collection-gap detector", () => {
  it("marks a silent device offline once, with history and an alert; its next report brings it back", async () => {
    const { device, headers } = await makeDevice(t);
    const health = await t.app.inject({
      method: "POST",
      url: `/api/v1/devices/${device.deviceId}/health`,
      headers,
      payload: { status: "healthy" },
    });
    expect(health.statusCode).toBe(201);
    expect(await statusOf(device.id)).toBe("online");

    now += 299_000;
    await task.runOnce();
    expect(await statusOf(device.id)).toBe("online");

    now += 2_000;
    await task.runOnce();
    await task.runOnce();
    expect(await statusOf(device.id)).toBe("offline");
    const offline = (await history(device.deviceId)).filter((h) => h.newState === "offline");
    expect(offline).toHaveLength(1);
    expect(offline[0]).toMatchObject({ previousState: "online", changedBy: "system", reason: "No data for 5 min" });
    expect(offline[0]?.extraData).toMatchObject({ silence_s: 301, threshold_s: 300 });
    const alerts = await t.ctx.db.select().from(errorLogs).where(eq(errorLogs.deviceId, device.deviceId));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      category: "external_service",
      severity: "warning",
      errorCode: "DEVICE_OFFLINE_001",
    });

    now += 60_000;
    const metrics = await t.app.inject({
      method: "POST",
      url: "/api/v1/analytics/device-metrics",
      headers,
      payload: { cpu_percent: 10 },
    });
    expect(metrics.statusCode).toBe(201);
    expect(await statusOf(device.id)).toBe("online");
    const [row] = await t.ctx.db.select().from(devices).where(eq(devices.id, device.id));
    expect(row?.lastSeen?.toISOString()).toBe(new Date(now).toISOString());
    expect((await history(device.deviceId)).map((h) => h.newState)).toEqual(["online", "offline", "online"]);
  });

  it("leaves devices in maintenance, never-seen offline devices and deleted devices alone", async () => {
    const operator = (await loginAs(t, "operator")).headers;
    const maint = await makeDevice(t);
    await t.app.inject({
      method: "POST",
      url: `/api/v1/devices/${maint.device.deviceId}/health`,
      headers: maint.headers,
      payload: { status: "healthy" },
    });
    await t.app.inject({
      method: "PUT",
      url: `/api/v1/devices/${maint.device.deviceId}`,
      headers: operator,
      payload: { status: "maintenance" },
    });
    const never = await makeDevice(t);
    now += 3600_000;
    await task.runOnce();
    expect(await statusOf(maint.device.id)).toBe("maintenance");
    expect(await statusOf(never.device.id)).toBe("offline");
    expect(await history(never.device.deviceId)).toHaveLength(0);
  });
});
