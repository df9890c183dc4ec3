import { type Db, deviceMetrics, devices, deviceStateHistory } from "@homepot/db";
import { sql } from "drizzle-orm";

/** One device_metrics row ready to insert. */
export interface MetricRow {
  timestamp: Date;
  deviceId: string;
  cpuPercent: number | null;
  memoryPercent: number | null;
  diskPercent: number | null;
  networkLatencyMs: number | null;
  transactionCount: number | null;
  transactionVolume: number | null;
  errorRate: number | null;
  activeConnections: number | null;
  queueDepth: number | null;
  extraMetrics: Record<string, unknown> | null;
}

/** `timestamp` columns hold UTC without a zone: send ISO text without the Z, so no driver shifts it. */
const utcText = (d: Date) => d.toISOString().slice(0, -1);

/**
 * Inserts many rows in one statement: twelve array parameters unnested server-side, so the statement
 * (and its plan) is the same whatever the batch size and there is no per-row parameter overhead.
 */
export async function insertMetricRows(db: Db, rows: readonly MetricRow[]): Promise<void> {
  if (rows.length === 0) return;
  const col = <T>(pick: (r: MetricRow) => T) => sql.param(rows.map(pick));
  await db.execute(sql`
    insert into ${deviceMetrics} (timestamp, device_id, cpu_percent, memory_percent, disk_percent, network_latency_ms,
      transaction_count, transaction_volume, error_rate, active_connections, queue_depth, extra_metrics)
    select t.ts, t.dev, t.cpu, t.mem, t.disk, t.lat, t.txc, t.txv, t.err, t.conn, t.q, t.extra::json
    from unnest(
      ${col((r) => utcText(r.timestamp))}::timestamp[], ${col((r) => r.deviceId)}::varchar[],
      ${col((r) => r.cpuPercent)}::float8[], ${col((r) => r.memoryPercent)}::float8[], ${col((r) => r.diskPercent)}::float8[],
      ${col((r) => r.networkLatencyMs)}::float8[], ${col((r) => r.transactionCount)}::int4[], ${col((r) => r.transactionVolume)}::float8[],
      ${col((r) => r.errorRate)}::float8[], ${col((r) => r.activeConnections)}::int4[], ${col((r) => r.queueDepth)}::int4[],
      ${col((r) => (r.extraMetrics ? JSON.stringify(r.extraMetrics) : null))}::text[]
    ) as t(ts, dev, cpu, mem, disk, lat, txc, txv, err, conn, q, extra)`);
}

/**
 * Marks devices as seen at the given times in one statement: last_seen moves forward (only when it
 * is at least `resolutionS` older, so chatty devices do not rewrite their row on every sample), and a
 * device the gap detector had marked offline comes back online with a state-history row.
 */
export async function touchDevices(db: Db, seen: ReadonlyMap<string, Date>, resolutionS = 0): Promise<void> {
  if (seen.size === 0) return;
  const ids = [...seen.keys()].sort();
  const times = ids.map((id) => utcText(seen.get(id) as Date));
  await db.execute(sql`
    with v(device_id, seen) as (select * from unnest(${sql.param(ids)}::varchar[], ${sql.param(times)}::timestamp[])),
    prev as (
      select d.id, d.device_id, d.status, v.seen from ${devices} d join v on v.device_id = d.device_id
      where d.is_active and (d.status = 'offline' or d.last_seen is null or d.last_seen < v.seen - make_interval(secs => ${resolutionS}))
      order by d.id
      for update of d
    ),
    upd as (
      update ${devices} d set
        last_seen = greatest(coalesce(d.last_seen, prev.seen), prev.seen),
        status = case when d.status = 'offline' then 'online' else d.status end,
        updated_at = case when d.status = 'offline' then prev.seen else d.updated_at end
      from prev where d.id = prev.id
      returning d.id
    )
    insert into ${deviceStateHistory} (timestamp, device_id, previous_state, new_state, changed_by, reason, extra_data)
    select prev.seen, prev.device_id, 'offline', 'online', 'system', 'Telemetry received', json_build_object('source', 'metrics')
    from prev where prev.status = 'offline'`);
}
