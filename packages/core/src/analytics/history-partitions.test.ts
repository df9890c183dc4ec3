import { auditLogs, deviceMetrics, errorLogs } from "@homepot/db";
import { createTestDatabase, type TestDatabase } from "@homepot/db/testing";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Context, silentLogger, systemActor } from "../context.ts";
import { applyRetention } from "./apply-retention.ts";
import { createHistoryPartitions } from "./create-history-partitions.ts";
import { queryRows } from "./page.ts";
import { ensureDayPartition, listDayPartitions, PARTITIONED_TABLES } from "./partitions.repository.ts";
import { refreshRollups } from "./refresh-rollups.ts";

let now = new Date("2026-03-10T12:00:00Z");
let database: TestDatabase;
let ctx: Context;
beforeAll(async () => {
  database = await createTestDatabase();
  ctx = { db: database.db, actor: systemActor, clock: { now: () => now }, logger: silentLogger };
});
afterAll(async () => database?.close());

const days = async (table: (typeof PARTITIONED_TABLES)[number]) =>
  (await listDayPartitions(ctx.db, table)).map((p) => p.day.toISOString().slice(0, 10));
/** Which partition holds each device_metrics row of `deviceId`, oldest first. */
const homes = async (deviceId: string) =>
  (
    await queryRows<{ part: string }>(
      ctx.db,
      sql`select tableoid::regclass::text as part from ${deviceMetrics} where device_id = ${deviceId} order by timestamp`,
    )
  ).map((r) => r.part);
const metric = (deviceId: string, iso: string) =>
  ctx.db.insert(deviceMetrics).values({ deviceId, timestamp: new Date(iso), cpuPercent: 1 });

describe("time-partitioned history", () => {
  it("inserts never fail: a day without a partition goes to the default partition", async () => {
    expect(await days("device_metrics")).toEqual([]);
    await metric("early", "2026-03-08T09:00:00Z");
    await metric("early", "2026-02-01T09:00:00Z");
    expect(await homes("early")).toEqual(["device_metrics_default", "device_metrics_default"]);
  });

  it("creates today's and the next days' partitions for every table, moving waiting rows out of the default", async () => {
    const created = await createHistoryPartitions(ctx, { retentionDays: 5, aheadDays: 2 });
    // Today and two ahead everywhere; device_metrics also gets March 8, whose row waited in the default partition.
    expect(created).toEqual({ ...Object.fromEntries(PARTITIONED_TABLES.map((t) => [t, 3])), device_metrics: 4 });
    for (const table of PARTITIONED_TABLES)
      expect(await days(table)).toEqual(
        table === "device_metrics"
          ? ["2026-03-08", "2026-03-10", "2026-03-11", "2026-03-12"]
          : ["2026-03-10", "2026-03-11", "2026-03-12"],
      );
    // February 1 is outside the retention period: no partition for it, retention deletes it from the default.
    expect(await homes("early")).toEqual(["device_metrics_default", "device_metrics_p20260308"]);
    await metric("early", "2026-03-11T23:59:59Z");
    expect((await homes("early"))[2]).toBe("device_metrics_p20260311");
    expect(await createHistoryPartitions(ctx, { retentionDays: 5, aheadDays: 2 })).toEqual(
      Object.fromEntries(PARTITIONED_TABLES.map((t) => [t, 0])),
    );
  });

  it("keeps ids unique and queries by id working across partitions", async () => {
    const rows = await ctx.db
      .insert(errorLogs)
      .values([
        { timestamp: new Date("2026-03-10T01:00:00Z"), category: "api", severity: "error", errorMessage: "a" },
        { timestamp: new Date("2026-03-11T01:00:00Z"), category: "api", severity: "error", errorMessage: "b" },
      ])
      .returning({ id: errorLogs.id });
    expect(new Set(rows.map((r) => r.id)).size).toBe(2);
    const [b] = await ctx.db.select().from(errorLogs).where(eq(errorLogs.id, rows[1]!.id));
    expect(b?.errorMessage).toBe("b");
  });

  it("retention drops whole day partitions once their day has ended before the cutoff, after the rollups saw them", async () => {
    now = new Date("2026-03-12T12:00:00Z");
    // Cutoff March 10 12:00: March 8 has ended before it; March 10 straddles it and stays whole.
    const first = await applyRetention(ctx, { retentionDays: 2 });
    // Not yet rolled up: the device_metrics partition waits; February's row in the default is not seen either.
    expect(first.device_metrics).toBe(0);
    expect(await days("device_metrics")).toContain("2026-03-08");
    await refreshRollups(ctx);
    const second = await applyRetention(ctx, { retentionDays: 2 });
    expect(second.device_metrics).toBe(2);
    expect(await days("device_metrics")).toEqual(["2026-03-10", "2026-03-11", "2026-03-12"]);
    expect(await homes("early")).toEqual(["device_metrics_p20260311"]);
    const audits = await ctx.db.select().from(auditLogs).where(eq(auditLogs.eventType, "retention_applied"));
    expect(audits.at(-1)?.eventMetadata).toMatchObject({ dropped_partitions: ["device_metrics_p20260308"] });
    // The error log of March 10 01:00 is older than the cutoff but its day's partition is kept whole.
    expect(await ctx.db.$count(errorLogs)).toBe(2);
  });

  it("creating a day's partition while that day's rows keep arriving fails no insert and leaves no row behind", async () => {
    // Rows of March 20 wait in the default partition, so moving them out takes a moment; three writers keep adding
    // rows of that day until the partition exists (on PostgreSQL they run beside it, on PGlite one after another).
    await ctx.db.execute(
      sql`insert into ${deviceMetrics} (device_id, "timestamp", cpu_percent)
          select 'busy', '2026-03-20T10:00:00Z'::timestamp + make_interval(secs => g / 1000.0), 1
          from generate_series(1, 20000) g`,
    );
    let creating = true;
    const writer = async () => {
      let n = 0;
      for (; creating; n++) await metric("busy", "2026-03-20T11:00:00Z");
      return n;
    };
    const writers = [writer(), writer(), writer()];
    const created = await ensureDayPartition(ctx.db, "device_metrics", new Date("2026-03-20T00:00:00Z")).finally(
      () => (creating = false),
    );
    const written = (await Promise.all(writers)).reduce((a, b) => a + b, 0);
    expect(created).toBe(true);
    const parts = await homes("busy");
    expect(parts).toHaveLength(20_000 + written);
    expect(new Set(parts)).toEqual(new Set(["device_metrics_p20260320"]));
  });
});
