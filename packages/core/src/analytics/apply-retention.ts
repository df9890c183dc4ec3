import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { queryRows, utcParam } from "./page.ts";
import { DAY_MS, dropPartition, isPartitioned, listDayPartitions, partitionContents } from "./partitions.repository.ts";
import { readWatermark } from "./refresh-rollups.ts";

/**
 * The time-series tables retention trims, with their time column. audit_logs (the security record),
 * configuration_history (rare, and what AI learns config impact from), jobs and reference tables are kept.
 */
export const RETENTION_TABLES = [
  { table: "device_metrics", time: "timestamp", rollup: "device_metrics" },
  { table: "api_request_logs", time: "timestamp", rollup: "api_request_logs" },
  { table: "health_checks", time: "timestamp" },
  { table: "user_activities", time: "timestamp" },
  { table: "device_state_history", time: "timestamp" },
  { table: "job_outcomes", time: "timestamp" },
  { table: "error_logs", time: "timestamp" },
  { table: "device_logs", time: "timestamp" },
  { table: "live_anomalies", time: "at" },
] as const;

export interface RetentionOptions {
  retentionDays: number;
  /** Rows per DELETE: small, so each statement holds its row locks briefly and ingest never waits long. */
  batchSize?: number;
  /** Pause between batches, yielding the database to ingest. */
  pauseMs?: number;
  /** Stop after this many batches per table in one run (the next run continues). */
  maxBatchesPerTable?: number;
}

/**
 * Removes rows older than the retention period from the time-series tables. A partitioned table loses whole day
 * partitions once their day has ended before the cutoff (a row lives at most a day longer than the period), and
 * only its default partition is trimmed row by row; the other tables are trimmed in small batches.
 * Raw device metrics and request logs are only removed once the rollups have seen them, so the
 * hourly and daily aggregates outlive the raw rows.
 */
export async function applyRetention(ctx: Context, options: RetentionOptions): Promise<Record<string, number>> {
  const batchSize = options.batchSize ?? 2000;
  const maxBatches = options.maxBatchesPerTable ?? 500;
  const cutoff = new Date(ctx.clock.now().getTime() - options.retentionDays * DAY_MS);
  const mark = await readWatermark(ctx.db);
  const deleted: Record<string, number> = {};
  const droppedPartitions: string[] = [];
  for (const spec of RETENTION_TABLES) {
    const seen = "rollup" in spec ? mark[spec.rollup] : Number.POSITIVE_INFINITY;
    let total = 0;
    if (isPartitioned(spec.table)) {
      for (const part of await listDayPartitions(ctx.db, spec.table)) {
        if (part.day.getTime() + DAY_MS > cutoff.getTime()) break;
        const contents = await partitionContents(ctx.db, part.name);
        if (contents.maxId > seen) break;
        await dropPartition(ctx.db, part.name);
        droppedPartitions.push(part.name);
        total += contents.rows;
      }
    }
    // Rows of a partitioned table older than its oldest partition wait in the default partition.
    const table = sql.identifier(isPartitioned(spec.table) ? `${spec.table}_default` : spec.table);
    const time = sql.identifier(spec.time);
    const guard = "rollup" in spec ? sql` and id <= ${mark[spec.rollup]}` : sql``;
    for (let batch = 0; batch < maxBatches; batch++) {
      const rows = await queryRows<{ id: number }>(
        ctx.db,
        sql`delete from ${table} where id in (select id from ${table} where ${time} < ${utcParam(cutoff)}${guard} limit ${batchSize}) returning id`,
      );
      total += rows.length;
      if (rows.length < batchSize) break;
      if (options.pauseMs) await sleep(options.pauseMs);
    }
    deleted[spec.table] = total;
  }
  const sum = Object.values(deleted).reduce((a, b) => a + b, 0);
  if (sum > 0 || droppedPartitions.length > 0) {
    await recordAudit(ctx, {
      eventType: "retention_applied",
      description: `Deleted ${sum} rows older than ${options.retentionDays} days`,
      metadata: {
        cutoff: cutoff.toISOString(),
        retention_days: options.retentionDays,
        deleted,
        dropped_partitions: droppedPartitions,
      },
    });
  }
  return deleted;
}
