import { systemContext } from "@homepot/core";
import { applyRetention } from "@homepot/core/analytics/apply-retention";
import { appState, type Database, openDatabase } from "@homepot/db";
import { createDayPartitions, fillDeviceMetrics } from "../lib/metrics-fill.ts";
import { freshDatabase } from "../lib/postgres.ts";
import type { BenchOptions } from "../lib/types.ts";

const DAY_MS = 86_400_000;

/**
 * Retention of 30 days out of 90 (HOMEPOT_RETENTION_DAYS 60 over 90 days of device_metrics, 10 M rows, --quick 1 M;
 * HOMEPOT_BENCH_RETENTION_ROWS overrides) through the product's applyRetention: once with the rows in day
 * partitions (what the maintenance task keeps: the 30 expired days are dropped whole) and once with the same rows
 * in the default partition (rows with no day partition: the batched DELETE, as retention worked before
 * partitioning). retention_drop_ratio = drop time ÷ batched delete time (goal ≤ 0.1).
 */
export async function run(options: BenchOptions): Promise<Record<string, number>> {
  const rows = Number(process.env.HOMEPOT_BENCH_RETENTION_ROWS ?? (options.quick ? 1_000_000 : 10_000_000));
  const devices = 200;
  const days = 90;
  const newest = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - 1000);
  const oldest = new Date(newest.getTime() - days * DAY_MS + 1000);
  const spacingS = (days * 86_400) / (rows / devices);

  async function timeRetention(database: Database, label: string, partitioned: boolean) {
    if (partitioned) await createDayPartitions(database, "device_metrics", oldest, newest);
    const filled = await fillDeviceMetrics(database, {
      rows,
      devices,
      newest,
      spacingS,
      log: (m) => options.log(`${label}: ${m}`),
    });
    await database.pool!.query("vacuum analyze device_metrics");
    // The rollups have seen every row (retention never removes raw rows they have not aggregated).
    const ctx = systemContext(database.db, "bench", { clock: { now: () => newest } });
    const [max] = (await database.pool!.query("select max(id) as m from device_metrics")).rows as { m: string }[];
    await database.db
      .insert(appState)
      .values({ key: "analytics.rollups.watermark", value: { device_metrics: Number(max?.m), api_request_logs: 0 } });
    const t0 = performance.now();
    const deleted = await applyRetention(ctx, { retentionDays: 60, maxBatchesPerTable: Number.MAX_SAFE_INTEGER });
    const ms = performance.now() - t0;
    const left = Number((await database.pool!.query("select count(*) as n from device_metrics")).rows[0].n);
    options.log(`${label}: ${deleted.device_metrics} of ${filled} rows removed in ${ms.toFixed(0)} ms, ${left} left`);
    return { ms, removed: deleted.device_metrics ?? 0, filled, left };
  }

  const plain = await freshDatabase(options.pgAdminUrl, "retention_default");
  const partitionedDb = await openDatabase({ databaseUrl: options.databaseUrl, poolSize: 1 });
  const defaultDb = await openDatabase({ databaseUrl: plain.url, poolSize: 1 });
  try {
    const drop = await timeRetention(partitionedDb, "partitioned", true);
    const batched = await timeRetention(defaultDb, "batched", false);
    // Dropping whole days keeps up to a day more than the cutoff: both must remove about a third of the rows.
    for (const r of [drop, batched])
      if (r.removed < r.filled * 0.3 || r.removed > r.filled * 0.35)
        throw new Error(`expected about 30 of 90 days removed, got ${r.removed} of ${r.filled}`);
    const r3 = (x: number) => Math.round(x * 1000) / 1000;
    return {
      retention_drop_ratio: r3(drop.ms / batched.ms),
      retention_rows: drop.filled,
      retention_drop_ms: Math.round(drop.ms),
      retention_batched_delete_ms: Math.round(batched.ms),
      retention_drop_removed_rows: drop.removed,
      retention_batched_removed_rows: batched.removed,
    };
  } finally {
    await partitionedDb.close();
    await defaultDb.close();
    await plain.drop();
  }
}
