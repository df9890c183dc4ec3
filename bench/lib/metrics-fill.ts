import { ensureDayPartition, type PartitionedTable, startOfDay } from "@homepot/core/analytics/partitions.repository";
import type { Database } from "@homepot/db";

export interface MetricsFill {
  rows: number;
  devices: number;
  /** Time of every device's newest sample; sample k of a device is k × `spacingS` older. */
  newest: Date;
  spacingS: number;
  log(message: string): void;
}

export const benchDevice = (i: number, devices: number) => `bench-dev-${String(1 + (i % devices)).padStart(4, "0")}`;

/** Fills device_metrics with `rows` realistic samples spread evenly over `devices` (inserts of ~200 k rows each). */
export async function fillDeviceMetrics(database: Database, fill: MetricsFill): Promise<number> {
  const pool = database.pool;
  if (!pool) throw new Error("the bench needs PostgreSQL");
  const perDev = Math.floor(fill.rows / fill.devices);
  const chunk = Math.max(1, Math.floor(200_000 / fill.devices));
  for (let k = 0; k < perDev; k += chunk) {
    const end = Math.min(perDev, k + chunk);
    await pool.query(
      `insert into device_metrics (timestamp, device_id, cpu_percent, memory_percent, disk_percent, network_latency_ms,
         transaction_count, transaction_volume, error_rate, active_connections, queue_depth, extra_metrics)
       select $1::timestamp - make_interval(secs => k * $5::float8), 'bench-dev-' || lpad(d::text, 4, '0'),
         10 + (k * 7 + d) % 80, 30 + (k * 3 + d) % 50, 20 + d % 40, 5 + (k + d) % 40,
         (k + d) % 300, ((k + d) % 300) * 12.5, ((k * d) % 100) / 20.0, (k + d) % 16, (k * 13 + d) % 9, '{"uptime_seconds": 1000}'::json
       from generate_series($2::int, $3::int - 1) k, generate_series(1, $4::int) d`,
      [fill.newest.toISOString(), k, end, fill.devices, fill.spacingS],
    );
    fill.log(`device_metrics ${(end * fill.devices).toLocaleString("en")} rows`);
  }
  return perDev * fill.devices;
}

/**
 * Creates the day partitions of `table` from `from` to `to`, as the maintenance task of a server that ran through
 * that period would have, so bench data lands in day partitions rather than the default one.
 */
export async function createDayPartitions(database: Database, table: PartitionedTable, from: Date, to: Date) {
  for (let day = startOfDay(from); day <= to; day = new Date(day.getTime() + 86_400_000))
    await ensureDayPartition(database.db, table, day);
}
