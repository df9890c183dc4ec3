import {
  alerts,
  configurationHistory,
  type Db,
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
import { and, asc, desc, eq, gte, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { ScheduleDay } from "./schedule.ts";
import { localParts } from "./schedule.ts";
import { type DeviceSeries, emptySeries } from "./series.ts";

/** Typed queries of the insights domain; every function takes a database or an open transaction. */

export interface DeviceRef {
  id: number;
  deviceId: string;
  siteId: string;
  status: string;
  lastSeen: Date | null;
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
};

export async function findDevice(db: Db, deviceId: string): Promise<DeviceRef | undefined> {
  const [row] = await db
    .select(deviceColumns)
    .from(devices)
    .where(and(eq(devices.deviceId, deviceId), eq(devices.isActive, true)))
    .limit(1);
  return row;
}

export async function listActiveDevices(db: Db, siteId?: string): Promise<DeviceRef[]> {
  return db
    .select(deviceColumns)
    .from(devices)
    .where(siteId ? and(eq(devices.isActive, true), eq(devices.siteId, siteId)) : eq(devices.isActive, true))
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

export async function listSites(db: Db): Promise<SiteRef[]> {
  return db
    .select({ id: sites.id, siteId: sites.siteId, name: sites.name, timezone: sites.timezone })
    .from(sites)
    .where(eq(sites.isActive, true));
}

/**
 * The history of several devices over [from, to] in five queries (not five per device): metrics,
 * health checks, status changes (plus the last one before `from`), device config changes and errors.
 */
export async function loadDeviceSeries(
  db: Db,
  refs: readonly DeviceRef[],
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
    out.set(r.deviceId, s);
  }
  const ids = refs.map((r) => r.deviceId);
  const byPk = new Map(refs.map((r) => [r.id, r.deviceId]));

  const [metricRows, checkRows, stateRows, priorStates, configRows, errorRows] = await Promise.all([
    db
      .select({
        at: deviceMetrics.timestamp,
        deviceId: deviceMetrics.deviceId,
        cpu: deviceMetrics.cpuPercent,
        memory: deviceMetrics.memoryPercent,
        disk: deviceMetrics.diskPercent,
        latency: deviceMetrics.networkLatencyMs,
        errorRate: deviceMetrics.errorRate,
        transactions: deviceMetrics.transactionCount,
      })
      .from(deviceMetrics)
      .where(
        and(
          inArray(deviceMetrics.deviceId, ids),
          gte(deviceMetrics.timestamp, metricsFrom),
          lte(deviceMetrics.timestamp, to),
        ),
      )
      .orderBy(asc(deviceMetrics.timestamp)),
    db
      .select({ at: healthChecks.timestamp, device: healthChecks.deviceId, healthy: healthChecks.isHealthy })
      .from(healthChecks)
      .where(
        and(
          inArray(
            healthChecks.deviceId,
            refs.map((r) => r.id),
          ),
          gte(healthChecks.timestamp, from),
          lte(healthChecks.timestamp, to),
        ),
      )
      .orderBy(asc(healthChecks.timestamp)),
    db
      .select({
        at: deviceStateHistory.timestamp,
        deviceId: deviceStateHistory.deviceId,
        from: deviceStateHistory.previousState,
        to: deviceStateHistory.newState,
      })
      .from(deviceStateHistory)
      .where(
        and(
          inArray(deviceStateHistory.deviceId, ids),
          gte(deviceStateHistory.timestamp, from),
          lte(deviceStateHistory.timestamp, to),
        ),
      )
      .orderBy(asc(deviceStateHistory.timestamp), asc(deviceStateHistory.id)),
    // The state each device was in when the window opened.
    db
      .selectDistinctOn([deviceStateHistory.deviceId], {
        at: deviceStateHistory.timestamp,
        deviceId: deviceStateHistory.deviceId,
        from: deviceStateHistory.previousState,
        to: deviceStateHistory.newState,
      })
      .from(deviceStateHistory)
      .where(and(inArray(deviceStateHistory.deviceId, ids), lt(deviceStateHistory.timestamp, from)))
      .orderBy(deviceStateHistory.deviceId, desc(deviceStateHistory.timestamp), desc(deviceStateHistory.id)),
    db
      .select({
        at: configurationHistory.timestamp,
        deviceId: configurationHistory.entityId,
        parameter: configurationHistory.parameterName,
        successful: configurationHistory.wasSuccessful,
        rolledBack: configurationHistory.wasRolledBack,
        before: configurationHistory.performanceBefore,
        after: configurationHistory.performanceAfter,
      })
      .from(configurationHistory)
      .where(
        and(
          eq(configurationHistory.entityType, "device"),
          inArray(configurationHistory.entityId, ids),
          gte(configurationHistory.timestamp, from),
          lte(configurationHistory.timestamp, to),
        ),
      ),
    db
      .select({
        at: errorLogs.timestamp,
        deviceId: errorLogs.deviceId,
        category: errorLogs.category,
        severity: errorLogs.severity,
        code: errorLogs.errorCode,
      })
      .from(errorLogs)
      .where(and(inArray(errorLogs.deviceId, ids), gte(errorLogs.timestamp, from), lte(errorLogs.timestamp, to))),
  ]);

  for (const m of metricRows) {
    out.get(m.deviceId)?.metrics.push({
      at: m.at.getTime(),
      cpu: m.cpu,
      memory: m.memory,
      disk: m.disk,
      latency: m.latency,
      error_rate: m.errorRate,
      transactions: m.transactions,
    });
  }
  for (const c of checkRows) {
    const id = byPk.get(c.device);
    if (id) out.get(id)?.checks.push({ at: c.at.getTime(), healthy: c.healthy });
  }
  for (const s of [...priorStates, ...stateRows])
    out.get(s.deviceId)?.states.push({ at: s.at.getTime(), from: s.from, to: s.to });
  for (const c of configRows) {
    out.get(c.deviceId)?.configs.push({
      at: c.at.getTime(),
      parameter: c.parameter,
      successful: c.successful,
      rolledBack: c.rolledBack,
      before: asRecord(c.before),
      after: asRecord(c.after),
    });
  }
  for (const e of errorRows) {
    if (e.deviceId)
      out
        .get(e.deviceId)
        ?.errors.push({ at: e.at.getTime(), category: e.category, severity: e.severity, code: e.code });
  }
  return out;
}

function asRecord(v: unknown): Record<string, unknown> | null {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
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

/**
 * Transactions per hour at a site (summed over its devices), averaged per local hour of week. A device
 * whose transaction_count only grows (a day's running total, as health reports carry it) counts its
 * increments; one reporting counts per sample counts them as they are.
 */
export async function loadHourlyVolume(db: Db, siteId: string, from: Date, to: Date, timeZone: string) {
  const result = await db.execute(sql`
    with s as (
      select m.device_id, m.timestamp as ts, m.transaction_count as tx,
             lag(m.transaction_count) over (partition by m.device_id order by m.timestamp) as prev
      from ${deviceMetrics} m join ${devices} d on d.device_id = m.device_id
      where d.site_id = ${siteId} and m.timestamp >= ${from.toISOString()}::timestamp and m.timestamp <= ${to.toISOString()}::timestamp
        and m.transaction_count is not null
    ), kind as (
      select device_id,
             (count(*) filter (where tx < prev))::float8 / greatest(count(prev), 1) as drops,
             count(*) filter (where tx > prev) as rises
      from s group by device_id
    )
    select date_trunc('hour', s.ts) as hour,
           sum(case when k.drops <= 0.05 and k.rises > 0
                    then (case when s.prev is null then 0 when s.tx >= s.prev then s.tx - s.prev else s.tx end)
                    else s.tx end)::float8 as total
    from s join kind k on k.device_id = s.device_id
    group by 1`);
  const rows = (result as unknown as { rows: { hour: Date | string; total: number | string }[] }).rows;
  const acc = new Map<number, { sum: number; hours: number }>();
  for (const r of rows) {
    const at = r.hour instanceof Date ? r.hour.getTime() : Date.parse(`${String(r.hour).replace(" ", "T")}Z`);
    const how = localParts(at, timeZone).hourOfWeek;
    const a = acc.get(how) ?? { sum: 0, hours: 0 };
    a.sum += Number(r.total);
    a.hours += 1;
    acc.set(how, a);
  }
  return new Map([...acc].map(([k, v]) => [k, { mean: v.sum / v.hours, hours: v.hours }]));
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
export async function loadJobOutcomes(db: Db, from: Date, to: Date, siteId?: string): Promise<JobOutcomeFact[]> {
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
  filter: { siteId?: string; deviceId?: string; category?: string },
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

export type AlertRow = typeof alerts.$inferSelect;

export async function findOpenAlertByFingerprint(db: Db, fingerprint: string): Promise<AlertRow | undefined> {
  const [row] = await db
    .select()
    .from(alerts)
    .where(and(eq(alerts.fingerprint, fingerprint), eq(alerts.resolved, false)))
    .orderBy(desc(alerts.createdAt))
    .limit(1);
  return row;
}

export async function insertAlert(db: Db, values: typeof alerts.$inferInsert): Promise<AlertRow> {
  const [row] = await db.insert(alerts).values(values).returning();
  return row as AlertRow;
}

export async function touchAlert(
  db: Db,
  id: number,
  at: Date,
  score: number | null,
  details: unknown,
  severity: string,
): Promise<AlertRow> {
  const [row] = await db
    .update(alerts)
    .set({ lastSeenAt: at, score, details, severity, occurrences: sql`${alerts.occurrences} + 1` })
    .where(eq(alerts.id, id))
    .returning();
  return row as AlertRow;
}

export async function findAlert(db: Db, id: number): Promise<AlertRow | undefined> {
  const [row] = await db.select().from(alerts).where(eq(alerts.id, id)).limit(1);
  return row;
}

export async function markAlertResolved(db: Db, id: number, at: Date, by: string): Promise<AlertRow> {
  const [row] = await db
    .update(alerts)
    .set({ resolved: true, resolvedAt: at, resolvedBy: by })
    .where(eq(alerts.id, id))
    .returning();
  return row as AlertRow;
}

export async function listOpenAlerts(
  db: Db,
  filter: { siteId?: string; deviceId?: string },
  limit: number,
): Promise<AlertRow[]> {
  return db
    .select()
    .from(alerts)
    .where(
      and(
        eq(alerts.resolved, false),
        filter.siteId ? eq(alerts.siteId, filter.siteId) : undefined,
        filter.deviceId ? eq(alerts.deviceId, filter.deviceId) : undefined,
      ),
    )
    .orderBy(desc(alerts.lastSeenAt))
    .limit(limit);
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
