import { type Db, deviceMetrics, deviceStateHistory, devices } from "@homepot/db";
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
 * The batch as ONE json parameter, expanded server-side by json_to_recordset: JSON.stringify is native
 * and fast, and the statement is the same whatever the batch size (no per-value parameters to build).
 */
const insertSql = (rows: readonly MetricRow[]) => {
  const payload = JSON.stringify(
    rows.map((r) => ({
      ts: utcText(r.timestamp),
      dev: r.deviceId,
      cpu: r.cpuPercent,
      mem: r.memoryPercent,
      disk: r.diskPercent,
      lat: r.networkLatencyMs,
      txc: r.transactionCount,
      txv: r.transactionVolume,
      err: r.errorRate,
      conn: r.activeConnections,
      q: r.queueDepth,
      extra: r.extraMetrics,
    })),
  );
  return sql`insert into ${deviceMetrics} (timestamp, device_id, cpu_percent, memory_percent, disk_percent, network_latency_ms,
      transaction_count, transaction_volume, error_rate, active_connections, queue_depth, extra_metrics)
    select t.ts, t.dev, t.cpu, t.mem, t.disk, t.lat, t.txc, t.txv, t.err, t.conn, t.q, t.extra
    from json_to_recordset(${payload}::json) as t(ts timestamp, dev varchar, cpu float8, mem float8, disk float8, lat float8,
      txc int4, txv float8, err float8, conn int4, q int4, extra json)`;
};

/** Inserts many rows in one statement. */
export async function insertMetricRows(db: Db, rows: readonly MetricRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.execute(insertSql(rows));
}

/**
 * The telemetry write in ONE statement (one round trip, atomic on its own): the rows are inserted
 * (json_to_recordset), last_seen moves forward for the reporting devices (only when it is at least `resolutionS`
 * older, so chatty devices do not rewrite their row on every sample), and a device the gap detector
 * had marked offline comes back online with a state-history row. Device rows locked by a concurrent
 * write are skipped rather than waited for: that write is moving last_seen too, and waiting would
 * serialise concurrent batches.
 */
export async function storeMetrics(
  db: Db,
  rows: readonly MetricRow[],
  seen: ReadonlyMap<string, Date>,
  resolutionS = 0,
): Promise<void> {
  if (rows.length === 0 && seen.size === 0) return;
  const devicesSeen = JSON.stringify([...seen.keys()].sort().map((id) => ({ id, at: utcText(seen.get(id) as Date) })));
  await db.execute(sql`
    with ins as (${rows.length ? insertSql(rows) : sql`select 1`}),
    v(device_id, seen) as (select id, at from json_to_recordset(${devicesSeen}::json) as s(id varchar, at timestamp)),
    prev as (
      select d.id, d.device_id, d.status, v.seen from ${devices} d join v on v.device_id = d.device_id
      where d.is_active and (d.status = 'offline' or d.last_seen is null or d.last_seen < v.seen - make_interval(secs => ${resolutionS}))
      order by d.id
      for update of d skip locked
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
