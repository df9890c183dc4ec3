import { SIMULATION_FINISHED_TAG } from "@homepot/contracts/devices";
import {
  alerts,
  configurationHistory,
  type Db,
  deviceMetricRollups,
  deviceMetrics,
  deviceStateHistory,
  devices,
  errorLogs,
  healthChecks,
  jobOutcomes,
  jobs,
  siteOperatingSchedules,
  sites,
} from "@homepot/db";
import { and, arrayContains, asc, eq, gte, ilike, inArray, isNull, lt, lte, not, or, type SQL, sql } from "drizzle-orm";
import { readWatermark } from "../analytics/refresh-rollups.ts";
import type { ScheduleDay } from "../schedules/opening-hours.ts";
import { localParts } from "../schedules/opening-hours.ts";

/** Typed queries of the insights domain; every function takes a database or an open transaction. */

export interface DeviceRef {
  id: number;
  deviceId: string;
  siteId: string;
  status: string;
  lastSeen: Date | null;
  createdAt: Date;
}

export interface SiteRef {
  id: number;
  siteId: string;
  name: string;
  timezone: string;
}

const deviceColumns = {
  id: devices.id,
  deviceId: devices.deviceId,
  siteId: devices.siteId,
  status: devices.status,
  lastSeen: devices.lastSeen,
  createdAt: devices.createdAt,
};

export async function findDevice(db: Db, deviceId: string): Promise<DeviceRef | undefined> {
  const [row] = await db
    .select(deviceColumns)
    .from(devices)
    .where(and(eq(devices.deviceId, deviceId), eq(devices.isActive, true)))
    .limit(1);
  return row;
}

/**
 * The devices insights assess: active ones, except simulated devices whose run has ended (parked by
 * `homepot simulate`: silent because the simulation stopped, not because they failed).
 */
export async function listActiveDevices(
  db: Db,
  siteId?: string,
  changedSince?: Date,
  /** Only the devices the caller may see (tenants/authorize's inScope on devices.device_id). */
  visible?: SQL,
): Promise<DeviceRef[]> {
  const parked = and(eq(devices.isSimulated, true), arrayContains(devices.tags, [SIMULATION_FINISHED_TAG]));
  return db
    .select(deviceColumns)
    .from(devices)
    .where(
      and(
        eq(devices.isActive, true),
        // Suspended and unpaired devices (and those of archived sites, which archiving suspends) are out of service.
        eq(devices.lifecycleState, "active"),
        siteId ? eq(devices.siteId, siteId) : undefined,
        // New data since then: a report or telemetry moves last_seen, a status or lifecycle change updated_at.
        changedSince ? or(gte(devices.lastSeen, changedSince), gte(devices.updatedAt, changedSince)) : undefined,
        not(parked as SQL),
        visible,
      ),
    )
    .orderBy(asc(devices.deviceId));
}

export async function findSite(db: Db, siteId: string): Promise<SiteRef | undefined> {
  const [row] = await db
    .select({ id: sites.id, siteId: sites.siteId, name: sites.name, timezone: sites.timezone })
    .from(sites)
    .where(eq(sites.siteId, siteId))
    .limit(1);
  return row;
}

export async function listSites(db: Db, visible?: SQL): Promise<SiteRef[]> {
  return db
    .select({ id: sites.id, siteId: sites.siteId, name: sites.name, timezone: sites.timezone })
    .from(sites)
    .where(and(eq(sites.isActive, true), visible));
}

function toHhmm(t: string | null): string | null {
  return t ? t.slice(0, 5) : null;
}

export async function loadSchedule(db: Db, siteId: string): Promise<ScheduleDay[]> {
  const rows = await db
    .select()
    .from(siteOperatingSchedules)
    .where(eq(siteOperatingSchedules.siteId, siteId))
    .orderBy(asc(siteOperatingSchedules.dayOfWeek));
  return rows.map((r) => ({
    dayOfWeek: r.dayOfWeek,
    openTime: toHhmm(r.openTime),
    closeTime: toHhmm(r.closeTime),
    isClosed: r.isClosed,
    isMaintenanceWindow: r.isMaintenanceWindow,
    expectedTransactionVolume: r.expectedTransactionVolume,
    peakHoursStart: toHhmm(r.peakHoursStart),
    peakHoursEnd: toHhmm(r.peakHoursEnd),
  }));
}

/** One device's transaction_count over one hour: how many samples, their sum, lowest and highest. */
export interface DeviceHour {
  deviceId: string;
  hour: number;
  n: number;
  sum: number;
  min: number;
  max: number;
}

/**
 * The transaction counts of a site's devices per device and hour over [from, to]. Hours the rollups
 * already hold whole (`device_metric_rollups`, kept up to date every minute) are read from there, a few
 * thousand rows for a month; only the hours since the last refresh, or all of them when the rollups have
 * never run, are aggregated from the raw rows. Both are plain index scans: no join, no sort of the month,
 * no plan that re-reads the set per row, even without statistics (PGlite before its first ANALYZE).
 */
export async function loadDeviceHours(db: Db, siteId: string, from: Date, to: Date): Promise<DeviceHour[]> {
  const ids = (await db.select({ id: devices.deviceId }).from(devices).where(eq(devices.siteId, siteId))).map(
    (d) => d.id,
  );
  if (ids.length === 0) return [];
  const rawFrom = await rawHoursFrom(db, ids, from, to);
  const rolled =
    rawFrom > from
      ? await db
          .select({
            deviceId: deviceMetricRollups.deviceId,
            hour: deviceMetricRollups.bucketStart,
            tx: sql<{
              avg: number | null;
              min: number | null;
              max: number | null;
              n: number;
            } | null>`${deviceMetricRollups.stats}->'transaction_count'`,
          })
          .from(deviceMetricRollups)
          .where(
            and(
              hourlyRollupsOf(ids),
              gte(deviceMetricRollups.bucketStart, new Date(Math.floor(from.getTime() / HOUR) * HOUR)),
              lt(deviceMetricRollups.bucketStart, rawFrom),
            ),
          )
      : [];
  const raw = await db
    .select({
      deviceId: deviceMetrics.deviceId,
      hour: sql<string>`to_char(date_trunc('hour', ${deviceMetrics.timestamp}), 'YYYY-MM-DD"T"HH24:00:00"Z"')`,
      n: sql<number>`count(*)::int`,
      sum: sql<number>`sum(${deviceMetrics.transactionCount})::float8`,
      min: sql<number>`min(${deviceMetrics.transactionCount})`,
      max: sql<number>`max(${deviceMetrics.transactionCount})`,
    })
    .from(deviceMetrics)
    .where(
      and(
        inArray(deviceMetrics.deviceId, ids),
        gte(deviceMetrics.timestamp, rawFrom > from ? rawFrom : from),
        lte(deviceMetrics.timestamp, to),
        sql`${deviceMetrics.transactionCount} is not null`,
      ),
    )
    .groupBy(sql`1`, sql`2`);
  const out: DeviceHour[] = [];
  for (const r of rolled) {
    const tx = r.tx;
    if (!r.deviceId || !tx?.n || tx.avg === null || tx.min === null || tx.max === null) continue;
    const n = Number(tx.n);
    out.push({ deviceId: r.deviceId, hour: r.hour.getTime(), n, sum: Number(tx.avg) * n, min: tx.min, max: tx.max });
  }
  for (const r of raw) {
    out.push({
      deviceId: r.deviceId,
      hour: Date.parse(r.hour),
      n: Number(r.n),
      sum: Number(r.sum),
      min: Number(r.min),
      max: Number(r.max),
    });
  }
  return out;
}

const HOUR = 3600_000;

/** The hourly per-device rollups of these devices. */
function hourlyRollupsOf(ids: readonly string[]): SQL | undefined {
  return and(
    eq(deviceMetricRollups.bucket, "hour"),
    eq(deviceMetricRollups.scope, "device"),
    inArray(deviceMetricRollups.deviceId, ids),
  );
}
const UNSEEN_LIMIT = 50_000;

async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/**
 * From which hour on the raw rows must be read: the latest hour the rollups hold for these devices (it is
 * still filling), or earlier when a row the rollups have not seen yet (id above their watermark, e.g. a
 * late sample) falls in an earlier hour. Without rollups, `from`.
 */
async function rawHoursFrom(db: Db, ids: readonly string[], from: Date, to: Date): Promise<Date> {
  const [latest] = await db
    .select({ at: sql<Date | null>`max(${deviceMetricRollups.bucketStart})`.mapWith(deviceMetricRollups.bucketStart) })
    .from(deviceMetricRollups)
    .where(hourlyRollupsOf(ids));
  if (!latest?.at) return from;
  // Rows above the watermark, in id order (the primary key's index, whatever the statistics say): a
  // minute's worth normally; when the rollups are far behind, every hour from `from` is read raw.
  const mark = (await readWatermark(db)).device_metrics;
  const [unseen] = await queryRows<{ at: string | null; n: number }>(
    db,
    sql`select to_char(min(ts), 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as at, count(*)::int as n
        from (select ${deviceMetrics.timestamp} as ts from ${deviceMetrics} where ${deviceMetrics.id} > ${mark}
              order by ${deviceMetrics.id} limit ${UNSEEN_LIMIT}) u`,
  );
  if (unseen && Number(unseen.n) >= UNSEEN_LIMIT) return from;
  let cut = latest.at.getTime();
  if (unseen?.at) cut = Math.min(cut, Math.floor(Date.parse(unseen.at) / HOUR) * HOUR);
  return new Date(Math.max(from.getTime(), Math.min(cut, to.getTime())));
}

/**
 * Transactions per hour at a site (summed over its devices), averaged per local hour of week. A device
 * whose transaction_count only grows (a day's running total, as health reports carry it) counts its
 * increments; one reporting counts per sample counts them as they are.
 */
export async function loadHourlyVolume(db: Db, siteId: string, from: Date, to: Date, timeZone: string) {
  const perHour = hourlyTotals(await loadDeviceHours(db, siteId, from, to));
  const acc = new Map<number, { sum: number; hours: number }>();
  for (const [at, total] of perHour) {
    const how = localParts(at, timeZone).hourOfWeek;
    const a = acc.get(how) ?? { sum: 0, hours: 0 };
    a.sum += total;
    a.hours += 1;
    acc.set(how, a);
  }
  return new Map([...acc].map(([k, v]) => [k, { mean: v.sum / v.hours, hours: v.hours }]));
}

/**
 * Transactions per hour summed over devices. A device is a running total when its hours do not overlap
 * (each hour's lowest value is at least the previous hour's highest) except about once a day (the daily
 * reset), and it does rise; its hour counts the rise over the previous hour's highest (after a reset, the
 * hour's highest; in its first hour, highest minus lowest). Any other device counts the sum of its samples.
 */
export function hourlyTotals(hours: readonly DeviceHour[]): Map<number, number> {
  const byDevice = new Map<string, DeviceHour[]>();
  for (const h of hours) {
    const list = byDevice.get(h.deviceId) ?? [];
    list.push(h);
    byDevice.set(h.deviceId, list);
  }
  const out = new Map<number, number>();
  for (const list of byDevice.values()) {
    list.sort((a, b) => a.hour - b.hour);
    let drops = 0;
    let rises = 0;
    for (let i = 1; i < list.length; i++) {
      const prev = list[i - 1] as DeviceHour;
      const cur = list[i] as DeviceHour;
      if (cur.min < prev.max) drops += 1;
      else if (cur.max > prev.max) rises += 1;
    }
    const runningTotal = rises > 0 && drops / Math.max(list.length - 1, 1) <= 0.1;
    for (let i = 0; i < list.length; i++) {
      const cur = list[i] as DeviceHour;
      const prev = list[i - 1];
      let total = cur.sum;
      if (runningTotal) total = !prev ? cur.max - cur.min : cur.max >= prev.max ? cur.max - prev.max : cur.max;
      out.set(cur.hour, (out.get(cur.hour) ?? 0) + total);
    }
  }
  return out;
}

export const FAILED_JOB_STATUSES = ["failed", "partial", "timeout", "error"];

export interface JobOutcomeFact {
  at: Date;
  jobType: string | null;
  status: string;
  deviceId: string | null;
  siteId: string | null;
}

/**
 * Job outcomes (job-level rows, those without a device) with the site of their job, since `from`;
 * optionally of one site.
 */
export async function loadJobOutcomes(
  db: Db,
  from: Date,
  to: Date,
  siteId?: string,
  visible?: SQL,
): Promise<JobOutcomeFact[]> {
  const rows = await db
    .select({
      at: jobOutcomes.timestamp,
      jobType: jobOutcomes.jobType,
      status: jobOutcomes.status,
      deviceId: jobOutcomes.deviceId,
      siteId: sites.siteId,
      deviceSite: devices.siteId,
    })
    .from(jobOutcomes)
    .leftJoin(jobs, eq(jobs.jobId, jobOutcomes.jobId))
    .leftJoin(sites, eq(sites.id, jobs.siteId))
    .leftJoin(devices, eq(devices.deviceId, jobOutcomes.deviceId))
    .where(
      and(
        gte(jobOutcomes.timestamp, from),
        lte(jobOutcomes.timestamp, to),
        isNull(jobOutcomes.deviceId),
        siteId ? or(eq(sites.siteId, siteId), eq(devices.siteId, siteId)) : undefined,
        visible,
      ),
    )
    .orderBy(asc(jobOutcomes.timestamp));
  return rows.map((r) => ({
    at: r.at,
    jobType: r.jobType,
    status: r.status,
    deviceId: r.deviceId,
    siteId: r.siteId ?? r.deviceSite,
  }));
}

export async function loadErrorEvents(
  db: Db,
  from: Date,
  to: Date,
  filter: {
    siteId?: string;
    deviceId?: string;
    category?: string;
    match?: readonly string[];
    visible?: SQL | undefined;
  },
) {
  const rows = await db
    .select({
      at: errorLogs.timestamp,
      category: errorLogs.category,
      severity: errorLogs.severity,
      code: errorLogs.errorCode,
      deviceId: errorLogs.deviceId,
      siteId: devices.siteId,
    })
    .from(errorLogs)
    .leftJoin(devices, eq(devices.deviceId, errorLogs.deviceId))
    .where(
      and(
        gte(errorLogs.timestamp, from),
        lte(errorLogs.timestamp, to),
        filter.siteId ? eq(devices.siteId, filter.siteId) : undefined,
        filter.deviceId ? eq(errorLogs.deviceId, filter.deviceId) : undefined,
        filter.category ? eq(errorLogs.category, filter.category) : undefined,
        filter.visible,
        // An error type ("payment errors"): any of its words in the category, code or message.
        filter.match?.length
          ? or(
              ...filter.match.flatMap((w) => [
                ilike(errorLogs.category, `%${w}%`),
                ilike(errorLogs.errorCode, `%${w}%`),
                ilike(errorLogs.errorMessage, `%${w}%`),
              ]),
            )
          : undefined,
      ),
    )
    .limit(100_000);
  return rows.map((r) => ({
    at: r.at.getTime(),
    category: r.category,
    severity: r.severity,
    code: r.code,
    deviceId: r.deviceId,
    siteId: r.siteId,
  }));
}

/** Row counts the status endpoint reports: how much each model has to work with. */
export async function countInsightData(db: Db, since: Date) {
  const [metrics, checks, states, outcomes, errors, configs, schedules, openAlerts] = await Promise.all([
    db.$count(deviceMetrics, gte(deviceMetrics.timestamp, since)),
    db.$count(healthChecks, gte(healthChecks.timestamp, since)),
    db.$count(deviceStateHistory, gte(deviceStateHistory.timestamp, since)),
    db.$count(jobOutcomes, gte(jobOutcomes.timestamp, since)),
    db.$count(errorLogs, gte(errorLogs.timestamp, since)),
    db.$count(configurationHistory, gte(configurationHistory.timestamp, since)),
    db.$count(siteOperatingSchedules),
    db.$count(alerts, eq(alerts.resolved, false)),
  ]);
  return { metrics, checks, states, outcomes, errors, configs, schedules, openAlerts };
}

/** Rows of these devices (or ids) with their time in [from, to]. */
