import { anyOf, type Db } from "@homepot/db";
import { type SQL, sql } from "drizzle-orm";
import { queryRows, utcParam } from "../analytics/page.ts";
import type { CheckRow, ConfigRow, DeviceSeries, ErrorRow, MetricRow, StateRow } from "./models/series.ts";
import { emptySeries } from "./models/series.ts";

/** What loadDeviceSeries needs of a device (insights.repository's DeviceRef). */
export interface SeriesDeviceRef {
  id: number;
  deviceId: string;
  siteId: string;
  status: string;
  lastSeen: Date | null;
  createdAt: Date | null;
}

/** A `timestamp` column as whole milliseconds since the epoch (a float8, which both drivers hand over as a number). */
const epochMs = (column: string) => sql.raw(`floor(extract(epoch from ${column}) * 1000)::float8`);

type Keyed<T> = T & { device_id: string };

/**
 * The history of several devices over [from, to] in six queries (not six per device): metrics, health checks,
 * status changes (plus the last one before `from`), device config changes and errors.
 *
 * Written as plain SQL whose rows already have the formulas' shape: whole-fleet insights read a week of every device
 * in chunks, and mapping each cell through the ORM (a Date parsed per timestamp, a class check per cell) cost more
 * CPU than the formulas themselves. The device list travels as one array parameter.
 */
export async function loadDeviceSeries(
  db: Db,
  refs: readonly SeriesDeviceRef[],
  from: Date,
  to: Date,
  options: { metricsFrom?: Date } = {},
): Promise<Map<string, DeviceSeries>> {
  // Metrics are the bulk (a row every 30 s per device): callers that need less of them say so.
  const metricsFrom = options.metricsFrom && options.metricsFrom > from ? options.metricsFrom : from;
  const out = new Map<string, DeviceSeries>();
  if (refs.length === 0) return out;
  for (const r of refs) {
    const s = emptySeries(r.deviceId, r.siteId, from.getTime(), to.getTime(), r.status);
    s.lastSeen = r.lastSeen?.getTime() ?? null;
    s.createdAt = r.createdAt?.getTime() ?? null;
    out.set(r.deviceId, s);
  }
  const ids = anyOf(
    "text",
    refs.map((r) => r.deviceId),
  );
  const pks = anyOf(
    "int",
    refs.map((r) => r.id),
  );
  const between = (lo: Date) => sql`timestamp >= ${utcParam(lo)} and timestamp <= ${utcParam(to)}`;
  const at = epochMs("timestamp");
  const select = <T>(query: SQL) => queryRows<T>(db, query);

  const [metricRows, checkRows, stateRows, priorStates, configRows, errorRows] = await Promise.all([
    select<Keyed<MetricRow>>(sql`
      select ${at} as at, device_id, cpu_percent as cpu, memory_percent as memory, disk_percent as disk,
             network_latency_ms as latency, error_rate, transaction_count as transactions
      from device_metrics where device_id = ${ids} and ${between(metricsFrom)} order by timestamp`),
    select<CheckRow & { device: number }>(sql`
      select ${at} as at, device_id as device, is_healthy as healthy
      from health_checks where device_id = ${pks} and ${between(from)} order by timestamp`),
    select<Keyed<StateRow>>(sql`
      select ${at} as at, device_id, previous_state as "from", new_state as "to"
      from device_state_history where device_id = ${ids} and ${between(from)} order by timestamp, id`),
    // The state each device was in when the window opened.
    select<Keyed<StateRow>>(sql`
      select distinct on (device_id) ${at} as at, device_id, previous_state as "from", new_state as "to"
      from device_state_history where device_id = ${ids} and timestamp < ${utcParam(from)}
      order by device_id, timestamp desc, id desc`),
    select<Keyed<ConfigRow>>(sql`
      select ${at} as at, entity_id as device_id, parameter_name as parameter, was_successful as successful,
             was_rolled_back as "rolledBack", performance_before as before, performance_after as after
      from configuration_history where entity_type = 'device' and entity_id = ${ids} and ${between(from)}`),
    select<Keyed<ErrorRow>>(sql`
      select ${at} as at, device_id, category, severity, error_code as code
      from error_logs where device_id = ${ids} and ${between(from)}`),
  ]);

  const byPk = new Map(refs.map((r) => [r.id, r.deviceId]));
  for (const m of metricRows) out.get(m.device_id)?.metrics.push(m);
  for (const c of checkRows) {
    const id = byPk.get(c.device);
    if (id) out.get(id)?.checks.push(c);
  }
  for (const s of priorStates) out.get(s.device_id)?.states.push(s);
  for (const s of stateRows) out.get(s.device_id)?.states.push(s);
  for (const c of configRows) {
    c.before = asRecord(c.before);
    c.after = asRecord(c.after);
    out.get(c.device_id)?.configs.push(c);
  }
  for (const e of errorRows) out.get(e.device_id)?.errors.push(e);
  return out;
}

function asRecord(v: unknown): Record<string, unknown> | null {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** How many devices' history a whole-fleet insight loads at once. */
export const SERIES_CHUNK = 200;

/**
 * The devices of `refs` in chunks of SERIES_CHUNK with their history (`load`), the next chunk loading while the
 * caller scores this one, so the database's time and the formulas' overlap instead of adding up.
 */
export async function* seriesInChunks<R extends SeriesDeviceRef>(
  refs: readonly R[],
  load: (chunk: readonly R[]) => Promise<Map<string, DeviceSeries>>,
): AsyncGenerator<{ chunk: readonly R[]; series: Map<string, DeviceSeries> }> {
  const chunkAt = (i: number) => refs.slice(i, i + SERIES_CHUNK);
  let next = refs.length > 0 ? load(chunkAt(0)) : undefined;
  for (let i = 0; next; i += SERIES_CHUNK) {
    const series = await next;
    const chunk = chunkAt(i);
    // Started before this chunk is handed over; a failure surfaces when it is awaited (or the loop is left).
    next = i + SERIES_CHUNK < refs.length ? load(chunkAt(i + SERIES_CHUNK)) : undefined;
    next?.catch(() => {});
    yield { chunk, series };
  }
}
