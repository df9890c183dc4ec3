import { deviceMetrics, deviceStateHistory, devices, errorLogs, healthChecks } from "@homepot/db";
import { createTestDatabase, type TestDatabase } from "@homepot/db/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Context, silentLogger, systemActor, systemClock } from "../context.ts";
import { registerDevice } from "../devices/register-device.ts";
import { createSite } from "../sites/create-site.ts";
import { recordHealthChecks } from "./record-health-checks.ts";

let database: TestDatabase;
let ctx: Context;
beforeAll(async () => {
  database = await createTestDatabase();
  ctx = { db: database.db, actor: systemActor, clock: systemClock, logger: silentLogger };
  await createSite(ctx, { siteId: "site-b1", name: "Batch site" });
  for (const id of ["b-001", "b-002", "b-003"])
    await registerDevice(ctx, "site-b1", { deviceId: id, name: id, deviceType: "pos_terminal" });
});
afterAll(async () => database?.close());

const healthy = {
  status: "healthy",
  config_version: "1.2.0",
  response_time_ms: 120,
  device_info: { firmware: "2.5.0" },
  services: { pos_app: "running" },
  metrics: {
    cpu_percent: 20,
    memory_percent: 40,
    disk_percent: 50,
    network_latency_ms: 30,
    transaction_count: 4,
    transaction_volume: 99.5,
    error_rate: 0.5,
    active_connections: 3,
    queue_depth: 1,
  },
};
const unhealthy = { ...healthy, status: "unhealthy", error: "Payment gateway timeout" };

describe("recordHealthChecks (batch)", () => {
  it("stores every report, changes status only on a change, and skips unknown devices", async () => {
    const first = await recordHealthChecks(ctx, [
      { deviceId: "b-001", report: healthy },
      { deviceId: "b-002", report: unhealthy },
      { deviceId: "nope", report: healthy },
    ]);
    expect(first).toEqual({ recorded: 2, missing: ["nope"], statusChanges: 2 });
    const second = await recordHealthChecks(ctx, [
      { deviceId: "b-001", report: healthy },
      { deviceId: "b-002", report: unhealthy },
      { deviceId: "b-002", report: healthy },
    ]);
    expect(second).toEqual({ recorded: 3, missing: [], statusChanges: 1 });

    expect(await database.db.$count(healthChecks)).toBe(5);
    expect(await database.db.$count(deviceMetrics)).toBe(5);
    const rows = await database.db.select().from(devices);
    const byId = new Map(rows.map((r) => [r.deviceId, r]));
    expect(byId.get("b-001")).toMatchObject({ status: "online", configVersion: "1.2.0", firmwareVersion: "2.5.0" });
    expect(byId.get("b-001")?.lastSeen).not.toBeNull();
    expect(byId.get("b-002")?.status).toBe("online");
    expect(byId.get("b-003")).toMatchObject({ status: "offline", lastSeen: null });
    const history = await database.db.select().from(deviceStateHistory).where(eq(deviceStateHistory.deviceId, "b-002"));
    expect(history.map((h) => [h.previousState, h.newState])).toEqual([
      ["offline", "error"],
      ["error", "online"],
    ]);
    expect(history[0]?.reason).toBe("Health check: Payment gateway timeout");
    const errors = await database.db.select().from(errorLogs).where(eq(errorLogs.deviceId, "b-002"));
    expect(errors).toHaveLength(1);
    const checks = await database.db.select().from(healthChecks);
    expect(checks.filter((c) => !c.isHealthy).map((c) => [c.statusCode, c.errorMessage])).toEqual([
      [500, "Payment gateway timeout"],
      [500, "Payment gateway timeout"],
    ]);
  });
});
