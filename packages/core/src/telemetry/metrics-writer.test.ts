import { deviceMetrics } from "@homepot/db";
import { createTestDatabase, type TestDatabase } from "@homepot/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../context.ts";
import { type MetricRow, metricRow } from "./metrics.repository.ts";
import { MetricsWriter } from "./metrics-writer.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database.close());

const row = (deviceId: string, n: number): MetricRow =>
  metricRow(
    deviceId,
    new Date(Date.UTC(2026, 2, 2, 10, 0, n % 60)),
    { cpu_percent: n, transaction_count: n },
    {
      n,
      note: 'tab\there "quoted" \\ back',
    },
  );

describe("MetricsWriter (group commit)", () => {
  it("stores every row of concurrent writes, split into batches, and drains on close", async () => {
    const writer = new MetricsWriter(database.db, silentLogger, {
      maxBatchRows: 50,
      maxInFlight: database.driver === "pglite" ? 1 : 2,
    });
    const writes = Array.from({ length: 40 }, (_, i) =>
      writer.write([row("gc-a", i), row("gc-a", i + 100)], "gc-a", new Date()),
    );
    await Promise.all(writes);
    const late = writer.write([row("gc-a", 999)], "gc-a", new Date());
    await writer.close();
    await late;
    const rows = await database.db.select().from(deviceMetrics);
    const mine = rows.filter((r) => r.deviceId === "gc-a");
    expect(mine).toHaveLength(81);
    expect(mine.find((r) => r.transactionCount === 999)?.extraMetrics).toEqual({
      n: 999,
      note: 'tab\there "quoted" \\ back',
    });
    await expect(writer.write([row("gc-a", 1)], "gc-a", new Date())).rejects.toThrow(/closed/);
  });

  it("a failing request fails alone; the requests that shared its batch are stored", async () => {
    const writer = new MetricsWriter(database.db, silentLogger, { maxInFlight: 1 });
    const good = writer.write([row("gc-b", 1)], "gc-b", new Date());
    const bad = writer.write([row("x".repeat(300), 2)], "gc-b", new Date()); // longer than device_id allows
    const results = await Promise.allSettled([good, bad]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected"]);
    const rows = await database.db.select().from(deviceMetrics);
    expect(rows.filter((r) => r.deviceId === "gc-b")).toHaveLength(1);
    expect(rows.filter((r) => r.deviceId !== "gc-a" && r.deviceId !== "gc-b")).toHaveLength(0);
    await writer.close();
  });

  it("a request that breaks the statement in any way (a RangeError from a 10 000-level document) fails alone", async () => {
    const writer = new MetricsWriter(database.db, silentLogger, { maxInFlight: 1 });
    let deep: Record<string, unknown> = { bottom: true };
    for (let i = 0; i < 10_000; i++) deep = { a: deep };
    const good = [1, 2, 3].map((n) => writer.write([row("gc-c", n)], "gc-c", new Date()));
    const bad = writer.write([{ ...row("gc-c", 4), extra_metrics: deep }], "gc-c", new Date());
    const results = await Promise.allSettled([...good, bad]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "rejected"]);
    const rows = await database.db.select().from(deviceMetrics);
    expect(
      rows
        .filter((r) => r.deviceId === "gc-c")
        .map((r) => r.cpuPercent)
        .sort(),
    ).toEqual([1, 2, 3]);
    await writer.close();
  });
});
