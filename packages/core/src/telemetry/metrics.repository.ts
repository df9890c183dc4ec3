import { METRIC_FIGURES, type MetricFigure } from "@homepot/contracts/telemetry";
import { type Db, deviceMetrics, deviceStateHistory, devices, executePrepared, recordsetInsert } from "@homepot/db";
import { sql } from "drizzle-orm";
import type { Context } from "../context.ts";

/** The figure columns of device_metrics: the contract's names (the sample, the row below and the table agree). */
export { METRIC_FIGURES, type MetricFigure };

/** One device_metrics row ready to insert; keys are the column names. */
export type MetricRow = {
  timestamp: Date;
  device_id: string;
  extra_metrics: Record<string, unknown> | null;
} & Record<MetricFigure, number | null>;

const COLUMNS = ["timestamp", "device_id", ...METRIC_FIGURES, "extra_metrics"] as const;
/** The json_to_recordset record type takes the table's own SQL types (a row key that is no column fails here). */
const metricRecords = recordsetInsert<MetricRow>(deviceMetrics, COLUMNS);

/** A row from figures keyed like the columns (a contract sample, a health report's mapping); absent = null. */
export function metricRow(
  deviceId: string,
  timestamp: Date,
  figures: Partial<Record<MetricFigure, number | null | undefined>>,
  extraMetrics: Record<string, unknown> | null | undefined,
): MetricRow {
  const row = { timestamp, device_id: deviceId, extra_metrics: extraMetrics ?? null } as MetricRow;
  for (const f of METRIC_FIGURES) row[f] = figures[f] ?? null;
  return row;
}

/**
 * The batch as ONE json parameter, expanded server-side by json_to_recordset: JSON.stringify is native
 * and fast, and the statement is the same whatever the batch size (no per-value parameters to build).
 * Dates serialise as ISO text with a Z, which a `timestamp` (UTC, no zone) column takes as is. Provenance comes
 * from the device row (a simulated device's samples are `simulated`), joined on its unique id; the collection
 * interval the device declared (`extra_metrics.collection_interval_seconds`, a whole number) gets its own column.
 */
const insertSql = (rows: readonly MetricRow[]) =>
  sql`insert into ${deviceMetrics} (${metricRecords.columnList}, provenance, collection_interval_s)
    select ${metricRecords.selectList}, case when d.is_simulated then 'simulated' else 'real' end,
      case when ci.v ~ '^[0-9]{1,5}$' then ci.v::int end
    from json_to_recordset(${metricRecords.param(rows)}) as t(${metricRecords.recordType})
    -- extra_metrics is json (text): each ->> parses it, so the interval is read once per row.
    cross join lateral (select t.extra_metrics->>'collection_interval_seconds' as v) ci
    left join ${devices} d on d.device_id = t.device_id`;

/** Inserts many rows in one statement (pass a transaction to make it part of a larger write). */
export async function insertMetricRows(db: Db, rows: readonly MetricRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.execute(insertSql(rows));
}

/** `timestamp` columns hold UTC without a zone: send ISO text without the Z, so no driver shifts it. */
const utcText = (d: Date) => d.toISOString().slice(0, -1);

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
  /** Why a device comes back online (state history): telemetry unless a heartbeat says so. */
  cause: { reason: string; source: string } = { reason: "Telemetry received", source: "metrics" },
): Promise<void> {
  if (rows.length === 0 && seen.size === 0) return;
  const devicesSeen = JSON.stringify([...seen.keys()].sort().map((id) => ({ id, at: utcText(seen.get(id) as Date) })));
  await executePrepared(
    db,
    "store_metrics",
    sql`
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
    select prev.seen, prev.device_id, 'offline', 'online', 'system', ${cause.reason}, json_build_object('source', ${cause.source}::text)
    from prev where prev.status = 'offline'`,
  );
}

/** Tells the alert evaluator about stored samples (after their commit). */
export function emitMetricSignals(ctx: Context, rows: readonly MetricRow[]): void {
  const sink = ctx.signals;
  if (!sink) return;
  for (const row of rows) sink.emit({ kind: "metrics", deviceId: row.device_id, at: row.timestamp, values: row });
}
