import { auditLogs, devices, siteOperatingSchedules, sites } from "@homepot/db";
import { createTestDatabase, type TestDatabase } from "@homepot/db/testing";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Context, silentLogger, systemActor, systemClock } from "../context.ts";
import { demoDeviceId, demoSiteOf, seedDemoData } from "./seed-demo-data.ts";

let database: TestDatabase;
let ctx: Context;
beforeAll(async () => {
  database = await createTestDatabase();
  ctx = { db: database.db, actor: systemActor, clock: systemClock, logger: silentLogger };
});
afterAll(async () => database.close());

describe("seedDemoData", () => {
  it("creates a larger simulated fleet spread over the three sites, audited, and is idempotent", async () => {
    const first = await seedDemoData(ctx, { devices: 1500 });
    expect(first).toMatchObject({ sitesCreated: 3, devicesCreated: 1500, schedulesCreated: 21 });
    expect(first.deviceIds[0]).toBe("pos-terminal-001");
    expect(first.deviceIds.at(-1)).toBe("pos-terminal-1500");

    const perSite = await database.db
      .select({ siteId: devices.siteId, n: count() })
      .from(devices)
      .groupBy(devices.siteId);
    const n = Object.fromEntries(perSite.map((r) => [r.siteId, r.n]));
    expect(n["site-001"]! + n["site-002"]! + n["site-003"]!).toBe(1500);
    expect(Math.max(...Object.values(n)) - Math.min(...Object.values(n))).toBeLessThan(5);
    const [simulated] = await database.db.select({ n: count() }).from(devices).where(eq(devices.isSimulated, true));
    expect(simulated?.n).toBe(1500);
    const [audited] = await database.db
      .select({ n: count() })
      .from(auditLogs)
      .where(eq(auditLogs.eventType, "device_created"));
    expect(audited?.n).toBe(1500);

    const again = await seedDemoData(ctx, { devices: 1500 });
    expect(again).toMatchObject({ sitesCreated: 0, devicesCreated: 0, schedulesCreated: 0 });
    expect(again.deviceIds).toHaveLength(1500);
    const [siteCount] = await database.db.select({ n: count() }).from(sites);
    const [scheduleCount] = await database.db.select({ n: count() }).from(siteOperatingSchedules);
    expect([siteCount?.n, scheduleCount?.n]).toEqual([3, 21]);
  });

  it("places the original twelve terminals as SPEC §7 and numbers them with three digits", () => {
    expect([1, 5, 6, 8, 9, 12].map(demoSiteOf)).toEqual([
      "site-001",
      "site-001",
      "site-002",
      "site-002",
      "site-003",
      "site-003",
    ]);
    expect(demoDeviceId(7)).toBe("pos-terminal-007");
  });

  it("rejects an impossible fleet size naming the field", async () => {
    await expect(seedDemoData(ctx, { devices: -1 })).rejects.toMatchObject({ field: "devices" });
  });
});
