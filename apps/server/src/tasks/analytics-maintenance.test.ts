import { deviceMetrics } from "@homepot/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../testing.ts";
import { AnalyticsMaintenanceTask } from "./analytics-maintenance.ts";

const now = new Date("2026-03-10T12:00:00Z");
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock: { now: () => now } });
});
afterAll(async () => {
  await t.close();
});

/** What the planner believes device_metrics holds (-1: never analysed). */
async function plannerRows(): Promise<number> {
  const result = await t.ctx.db.execute(sql`select reltuples from pg_class where relname = 'device_metrics'`);
  return Number((result as unknown as { rows: { reltuples: number }[] }).rows[0]?.reltuples);
}

describe("planner statistics", () => {
  it("are fresh after migrations and refreshed by the maintenance task (PGlite has no autovacuum)", async () => {
    expect(await plannerRows()).toBe(0);
    await t.ctx.db.execute(sql`
      insert into ${deviceMetrics} (device_id, timestamp, cpu_percent)
      select 'stats-' || (i % 5), ${now.toISOString()}::timestamp - i * interval '30 seconds', 20
      from generate_series(1, 500) i`);
    expect(await plannerRows()).toBe(0);
    await new AnalyticsMaintenanceTask().maintain(t.ctx, 30);
    expect(await plannerRows()).toBe(500);
  });
});
