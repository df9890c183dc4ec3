import { METRIC_FIGURES } from "@homepot/contracts/telemetry";
import { apiRequestLogs, appState, type Db, deviceMetricRollups, deviceMetrics } from "@homepot/db";
import { eq, type SQL, sql } from "drizzle-orm";
import type { Context } from "../context.ts";
import { queryRows, utcParam } from "./page.ts";

/** The numeric columns of device_metrics that are aggregated (avg/min/max/p95) into device_metric_rollups.stats. */
export const ROLLUP_METRICS = METRIC_FIGURES;
export type RollupMetric = (typeof ROLLUP_METRICS)[number];
export type Bucket = "hour" | "day";
export const BUCKETS: readonly Bucket[] = ["hour", "day"];

/** device_metric_rollups.scope: a row per device, per site, and one for the whole fleet. */
export type RollupScope = "device" | "site" | "fleet";
/** api_request_rollups.route/method of the all-endpoints row. */
export const ALL_ROUTES = "*";
/** Requests no route matched (404s, scans) are grouped under one name instead of one row per probed path. */
export const UNMATCHED_ROUTE = "(unmatched)";

const WATERMARK_KEY = "analytics.rollups.watermark";
const BUCKET_MS: Record<Bucket, number> = { hour: 3600_000, day: 86_400_000 };

interface Watermark {
  device_metrics: number;
  api_request_logs: number;
}

export function bucketStart(bucket: Bucket, at: Date): Date {
  const ms = BUCKET_MS[bucket];
  return new Date(Math.floor(at.getTime() / ms) * ms);
}

export interface RefreshResult {
  deviceMetricBuckets: number;
  apiRequestBuckets: number;
}

/**
 * Brings the hourly and daily rollups up to date incrementally: only the buckets that received rows since
 * the last run (tracked by an id watermark, so late samples are counted too) plus the current and previous
 * hour, whose rows may still be committing. Each bucket is recomputed whole from the raw rows and upserted,
 * so runs are idempotent and two servers running it at once agree.
 */
export async function refreshRollups(ctx: Context): Promise<RefreshResult> {
  const db = ctx.db;
  const mark = await readWatermark(db);
  const now = ctx.clock.now();
  const recent = [bucketStart("hour", now), bucketStart("hour", new Date(now.getTime() - BUCKET_MS.hour))];

  const dmMax = await maxId(db, sql`${deviceMetrics}`, sql`${deviceMetrics.id}`);
  const dmHours = await touchedHours(db, "device_metrics", mark.device_metrics, dmMax);
  const deviceBuckets = expand([...dmHours, ...recent]);
  for (const [bucket, start] of deviceBuckets) await rollupDeviceMetrics(db, bucket, start);

  const arMax = await maxId(db, sql`${apiRequestLogs}`, sql`${apiRequestLogs.id}`);
  const arHours = await touchedHours(db, "api_request_logs", mark.api_request_logs, arMax);
  const requestBuckets = expand([...arHours, ...recent]);
  for (const [bucket, start] of requestBuckets) await rollupApiRequests(db, bucket, start);

  await writeWatermark(db, { device_metrics: dmMax, api_request_logs: arMax }, now);
  return { deviceMetricBuckets: deviceBuckets.length, apiRequestBuckets: requestBuckets.length };
}

/** Which rows the rollups have already seen (retention never deletes rows beyond it). */
export async function readWatermark(db: Db): Promise<Watermark> {
  const [row] = await db.select().from(appState).where(eq(appState.key, WATERMARK_KEY));
  const v = (row?.value ?? {}) as Partial<Watermark>;
  return { device_metrics: Number(v.device_metrics ?? 0), api_request_logs: Number(v.api_request_logs ?? 0) };
}

async function writeWatermark(db: Db, value: Watermark, now: Date): Promise<void> {
  await db
    .insert(appState)
    .values({ key: WATERMARK_KEY, value, updatedAt: now })
    .onConflictDoUpdate({ target: appState.key, set: { value, updatedAt: now } });
}

/** The highest id of `table` (0 when empty). */
export async function maxId(db: Db, table: SQL, id: SQL): Promise<number> {
  const rows = await queryRows<{ m: string | number | null }>(db, sql`select max(${id}) as m from ${table}`);
  return Number(rows[0]?.m ?? 0);
}

/** Start of every hour that rows of `table` with ids in (from, to] fall in. */
export async function touchedHours(
  db: Db,
  table: "device_metrics" | "api_request_logs" | "health_checks" | "error_logs",
  from: number,
  to: number,
): Promise<Date[]> {
  if (to <= from) return [];
  const rows = await queryRows<{ h: string }>(
    db,
    sql`select distinct to_char(date_trunc('hour', "timestamp"), 'YYYY-MM-DD"T"HH24:00:00"Z"') as h from ${sql.identifier(table)} where id > ${from} and id <= ${to}`,
  );
  return rows.map((r) => new Date(r.h));
}

/** Hours and the days they fall in, without duplicates. */
function expand(hours: Date[]): [Bucket, Date][] {
  const seen = new Set<string>();
  const out: [Bucket, Date][] = [];
  for (const h of hours) {
    for (const bucket of BUCKETS) {
      const start = bucketStart(bucket, h);
      const key = `${bucket}/${start.getTime()}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push([bucket, start]);
    }
  }
  return out;
}

function metricStats(): SQL {
  const parts = ROLLUP_METRICS.map(
    (m) =>
      sql`${m}::text, json_build_object('avg', avg(m.${sql.identifier(m)}), 'min', min(m.${sql.identifier(m)}), 'max', max(m.${sql.identifier(m)}), 'p95', percentile_cont(0.95) within group (order by m.${sql.identifier(m)}), 'n', count(m.${sql.identifier(m)}))`,
  );
  return sql`json_build_object(${sql.join(parts, sql`, `)})`;
}

/**
 * One bucket of device_metrics → a row per device, per site and for the fleet, aggregated in one scan (grouping
 * sets) and upserted per scope, since each scope has its own unique key.
 */
export async function rollupDeviceMetrics(db: Db, bucket: Bucket, start: Date): Promise<void> {
  const end = new Date(start.getTime() + BUCKET_MS[bucket]);
  const upsert = (scope: RollupScope, key: SQL) => sql`
    insert into ${deviceMetricRollups} (bucket, bucket_start, scope, device_id, site_id, samples, stats, updated_at)
    select ${bucket}, ${utcParam(start)}, scope, device_id, site_id, samples, stats, now() at time zone 'utc'
    from agg where scope = ${scope}
    on conflict ${key} do update
      set site_id = excluded.site_id, samples = excluded.samples, stats = excluded.stats, updated_at = excluded.updated_at`;
  await db.execute(sql`
    with agg as (
      select case when grouping(m.device_id) = 0 then 'device' when grouping(d.site_id) = 0 then 'site' else 'fleet' end
               as scope,
        case when grouping(m.device_id) = 0 then m.device_id end as device_id,
        case when grouping(d.site_id) = 0 then d.site_id end as site_id,
        count(*)::int as samples,
        ${metricStats()} as stats
      from device_metrics m left join devices d on d.device_id = m.device_id
      where m."timestamp" >= ${utcParam(start)} and m."timestamp" < ${utcParam(end)}
      group by grouping sets ((m.device_id, d.site_id), (d.site_id), ())
      -- Samples of devices no longer registered count for their device and the fleet, not for a site.
      having not (grouping(m.device_id) = 1 and grouping(d.site_id) = 0 and d.site_id is null)
    ),
    devices_done as (${upsert("device", sql`(bucket, device_id, bucket_start) where scope = 'device'`)}),
    sites_done as (${upsert("site", sql`(bucket, site_id, bucket_start) where scope = 'site'`)})
    ${upsert("fleet", sql`(bucket, bucket_start) where scope = 'fleet'`)}`);
}

/** One bucket of api_request_logs → a row per (route, method) and one for all routes (`*`, `*`). */
export async function rollupApiRequests(db: Db, bucket: Bucket, start: Date): Promise<void> {
  const end = new Date(start.getTime() + BUCKET_MS[bucket]);
  await db.execute(sql`
    insert into api_request_rollups (bucket, bucket_start, route, method, requests, errors, p50_ms, p95_ms, avg_ms, max_ms, updated_at)
    select ${bucket}, ${utcParam(start)},
      case when grouping(r.route_key) = 0 then r.route_key else ${ALL_ROUTES} end,
      case when grouping(r.method) = 0 then r.method else ${ALL_ROUTES} end,
      count(*)::int,
      (count(*) filter (where r.status_code >= 400))::int,
      percentile_cont(0.5) within group (order by r.response_time_ms),
      percentile_cont(0.95) within group (order by r.response_time_ms),
      avg(r.response_time_ms),
      max(r.response_time_ms),
      now() at time zone 'utc'
    from (select coalesce(route, ${UNMATCHED_ROUTE}) as route_key, method, status_code, response_time_ms
          from api_request_logs where "timestamp" >= ${utcParam(start)} and "timestamp" < ${utcParam(end)}) r
    group by grouping sets ((r.route_key, r.method), ())
    having count(*) > 0
    on conflict (bucket, route, method, bucket_start) do update
      set requests = excluded.requests, errors = excluded.errors, p50_ms = excluded.p50_ms, p95_ms = excluded.p95_ms,
          avg_ms = excluded.avg_ms, max_ms = excluded.max_ms, updated_at = excluded.updated_at`);
}
