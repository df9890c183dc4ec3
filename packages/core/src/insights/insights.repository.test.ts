import { deviceMetricRollups, deviceMetrics, devices, sites } from "@homepot/db";
import { createTestDatabase, type TestDatabase } from "@homepot/db/testing";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refreshRollups } from "../analytics/refresh-rollups.ts";
import { type Context, silentLogger, systemActor } from "../context.ts";
import { findOptimalWindows } from "./find-optimal-windows.ts";
import { hourlyTotals, loadDeviceHours } from "./insights.repository.ts";

// Monday 2026-01-05 12:00 UTC.
const NOW = new Date(Date.UTC(2026, 0, 5, 12));
const HOUR = 3600_000;
const DAYS = 2;
const DEVICES = 5;

let database: TestDatabase;
let ctx: Context;

beforeAll(async () => {
  database = await createTestDatabase();
  ctx = { db: database.db, actor: systemActor, clock: { now: () => NOW }, logger: silentLogger };
  await database.db.insert(sites).values({ siteId: "busy", name: "Busy", timezone: "UTC" });
  // Two days of a 5-device site, a sample every 30 s (28 800 rows): the size that froze PGlite for minutes
  // when the hourly volume joined the metrics to an aggregate of themselves (re-aggregated per row).
  for (let d = 0; d < DEVICES; d++) {
    const deviceId = `busy-${d}`;
    await database.db
      .insert(devices)
      .values({ deviceId, name: deviceId, deviceType: "pos_terminal", siteId: "busy", status: "online" });
    // Devices 0–2 report per sample (2, 3, 4, …); 3–4 a running total that restarts every day.
    const tx = d < 3 ? sql`2 + i % 3` : sql`1 + i % 2880`;
    await database.db.execute(sql`
      insert into ${deviceMetrics} (device_id, timestamp, transaction_count, cpu_percent)
      select ${deviceId}, ${NOW.toISOString()}::timestamp - (${DAYS * 2880} - i) * interval '30 seconds', ${tx}, 20
      from generate_series(0, ${DAYS * 2880 - 1}) i`);
  }
});

afterAll(async () => {
  await database.close();
});

describe("hourly volume at a busy site", () => {
  it("answers optimal windows over two days of a 5-device site", async () => {
    const r = await findOptimalWindows(ctx, "busy", { durationMinutes: 60 });
    expect(r.windows.length).toBeGreaterThan(0);
    expect(r.data.volume_hours).toBe(DAYS * 24);
  });

  it("counts the same from the rollups as from the raw rows, late rows included", async () => {
    const from = new Date(NOW.getTime() - DAYS * 24 * HOUR);
    const raw = hourlyTotals(await loadDeviceHours(database.db, "busy", from, NOW));
    expect(await database.db.$count(deviceMetricRollups)).toBe(0);
    await refreshRollups(ctx);
    expect(await database.db.$count(deviceMetricRollups)).toBeGreaterThan(0);
    const rolled = hourlyTotals(await loadDeviceHours(database.db, "busy", from, NOW));
    expect(rolled).toEqual(raw);
    // Per-sample devices: 120 samples of 2, 3, 4 per hour each; running totals: 120 per hour each.
    const full = rolled.get(NOW.getTime() - 5 * HOUR);
    expect(full).toBe(3 * 120 * 3 + 2 * 120);
    // A late sample (an hour the rollups already hold) is counted before the next refresh.
    await database.db
      .insert(deviceMetrics)
      .values({ deviceId: "busy-0", timestamp: new Date(NOW.getTime() - 5 * HOUR + 1000), transactionCount: 50 });
    const late = hourlyTotals(await loadDeviceHours(database.db, "busy", from, NOW));
    expect(late.get(NOW.getTime() - 5 * HOUR)).toBe((full ?? 0) + 50);
  });
});
