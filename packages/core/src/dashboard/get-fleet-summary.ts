import {
  deviceCommands,
  deviceMetrics,
  devices,
  enrolmentIntents,
  errorLogs,
  healthChecks,
  rowsOf,
  sites,
} from "@homepot/db";
import { and, eq, gt, inArray, sql } from "drizzle-orm";
import { type Context, readDb } from "../context.ts";
import {
  countDevicesBySite,
  type DeviceCounts,
  emptyCounts,
  type SiteStatus,
  siteStatusOf,
  sumCounts,
} from "../lifecycle/count-devices.ts";
import { inScope, type RowScope } from "../tenants/authorize.ts";

export type SummaryBucket = "hour" | "day";

export interface FleetSummaryInput {
  /** How far back the series reach, ending now. */
  hours: number;
  /** Silence after which a device counts as disconnected (the server's HOMEPOT_OFFLINE_AFTER_S). */
  offlineAfterS: number;
}

export interface FleetSeriesPoint {
  start: Date;
  /** Distinct devices that sent a health report or metrics in the bucket. */
  devicesReporting: number;
  /** Of those, devices that reported unhealthy at least once in the bucket. */
  devicesUnhealthy: number;
  /** error_logs rows of severity error or critical. */
  errors: number;
  /** Transactions counted by devices (running totals turned into increments). */
  transactions: number;
}

export interface FleetSummary {
  totalDevices: number;
  /** Lifecycle over every device of active sites; connectivity, health and status over lifecycle-active ones. */
  counts: DeviceCounts;
  /** Lifecycle-active devices by status (the `status` field older clients read). */
  statusCounts: Record<string, number>;
  pendingCommands: number;
  expiredCommands: number;
  /** Enrolment intents a device may still claim or an operator still approve (pending or approved, not expired). */
  pendingEnrolmentIntents: number;
  sites: Array<{
    siteId: string;
    name: string;
    devices: number;
    online: number;
    error: number;
    offline: number;
    counts: DeviceCounts;
    status: SiteStatus;
  }>;
  window: { start: Date; end: Date; bucket: SummaryBucket };
  series: FleetSeriesPoint[];
}

const BUCKET_MS: Record<SummaryBucket, number> = { hour: 3_600_000, day: 86_400_000 };

function toDate(v: unknown): Date {
  if (v instanceof Date) return v;
  return new Date(`${String(v).replace(" ", "T")}Z`);
}

/** Start of the UTC bucket containing `t`. */
export function bucketStart(t: Date, bucket: SummaryBucket): Date {
  const ms = BUCKET_MS[bucket];
  return new Date(Math.floor(t.getTime() / ms) * ms);
}

/** Every bucket start from the one containing `from` up to the one containing `to`, so a chart spans its period. */
export function bucketStarts(from: Date, to: Date, bucket: SummaryBucket): Date[] {
  const out: Date[] = [];
  for (let t = bucketStart(from, bucket).getTime(); t <= to.getTime(); t += BUCKET_MS[bucket]) out.push(new Date(t));
  return out;
}

/**
 * The fleet at a glance, counted in the database: devices by status, connectivity and site, open commands, and
 * per-bucket series of reporting devices, errors and transactions over the last `hours` (every bucket present,
 * zero when nothing happened). The Overview shows it; the original HOMEPOT's `/dashboard/summary` fields are kept.
 */
export async function getFleetSummary(ctx: Context, input: FleetSummaryInput): Promise<FleetSummary> {
  const end = ctx.clock.now();
  const bucket: SummaryBucket = input.hours <= 168 ? "hour" : "day";
  const start = bucketStart(new Date(end.getTime() - input.hours * 3_600_000 + 1), bucket);
  const unit = sql.raw(`'${bucket}'`);
  const from = sql`${start.toISOString()}::timestamp`;
  const to = sql`${end.toISOString()}::timestamp`;

  // Everything counted is what the caller may see: their tenants' and sites' devices only.
  const seen = (scope: RowScope) => inScope(ctx, scope) ?? sql`true`;
  const [perSiteCounts, siteRows, commandRows, intentCount, reportRows, errorRows, txRows] = await Promise.all([
    countDevicesBySite(readDb(ctx), end, undefined, inScope(ctx, { site: devices.siteId })),
    readDb(ctx)
      .select({ siteId: sites.siteId, name: sites.name })
      .from(sites)
      .where(and(eq(sites.isActive, true), inScope(ctx, { site: sites.siteId })))
      .orderBy(sites.siteId),
    readDb(ctx)
      .select({ status: deviceCommands.status, n: sql<number>`count(*)::int` })
      .from(deviceCommands)
      .where(
        and(inArray(deviceCommands.status, ["pending", "expired"]), inScope(ctx, { device: deviceCommands.deviceId })),
      )
      .groupBy(deviceCommands.status),
    readDb(ctx).$count(
      enrolmentIntents,
      and(
        inArray(enrolmentIntents.status, ["pending", "approved"]),
        gt(enrolmentIntents.expiresAt, end),
        inScope(ctx, { site: enrolmentIntents.siteId }),
      ),
    ),
    readDb(ctx).execute(sql`
      with r as (
        select date_trunc(${unit}, h.timestamp) as b, d.device_id, h.is_healthy
        from ${healthChecks} h join ${devices} d on d.id = h.device_id
        where h.timestamp >= ${from} and h.timestamp <= ${to} and ${seen({ device: sql.raw("d.device_id") })}
        union all
        select date_trunc(${unit}, m.timestamp), m.device_id, null
        from ${deviceMetrics} m
        where m.timestamp >= ${from} and m.timestamp <= ${to} and ${seen({ device: sql.raw("m.device_id") })}
      )
      select b, count(distinct device_id)::int as reporting,
             (count(distinct device_id) filter (where is_healthy = false))::int as unhealthy
      from r group by b`),
    readDb(ctx)
      .select({ b: sql<unknown>`date_trunc(${unit}, ${errorLogs.timestamp})`, n: sql<number>`count(*)::int` })
      .from(errorLogs)
      .where(
        and(
          sql`${errorLogs.timestamp} >= ${from} and ${errorLogs.timestamp} <= ${to}`,
          inArray(errorLogs.severity, ["error", "critical"]),
          inScope(ctx, { device: errorLogs.deviceId }),
        ),
      )
      .groupBy(sql`1`),
    // A device whose transaction_count only grows reports a running total: count its increments, else the values.
    readDb(ctx).execute(sql`
      with s as (
        select m.device_id, m.timestamp as ts, m.transaction_count as tx,
               lag(m.transaction_count) over (partition by m.device_id order by m.timestamp) as prev
        from ${deviceMetrics} m
        where m.timestamp >= ${from} and m.timestamp <= ${to} and m.transaction_count is not null
          and ${seen({ device: sql.raw("m.device_id") })}
      ), kind as (
        select device_id, (count(*) filter (where tx < prev))::float8 / greatest(count(prev), 1) as drops,
               count(*) filter (where tx > prev) as rises
        from s group by device_id
      )
      select date_trunc(${unit}, s.ts) as b,
             sum(case when k.drops <= 0.05 and k.rises > 0
                      then (case when s.prev is null then 0 when s.tx >= s.prev then s.tx - s.prev else s.tx end)
                      else s.tx end)::float8 as total
      from s join kind k on k.device_id = s.device_id
      group by 1`),
  ]);

  const fleet = sumCounts(perSiteCounts.values());

  const points = new Map<number, FleetSeriesPoint>();
  for (const b of bucketStarts(start, end, bucket))
    points.set(b.getTime(), { start: b, devicesReporting: 0, devicesUnhealthy: 0, errors: 0, transactions: 0 });
  const at = (v: unknown) => points.get(toDate(v).getTime());
  for (const r of rowsOf<{ b: unknown; reporting: number; unhealthy: number }>(reportRows)) {
    const p = at(r.b);
    if (p) {
      p.devicesReporting = Number(r.reporting);
      p.devicesUnhealthy = Number(r.unhealthy);
    }
  }
  for (const r of errorRows) {
    const p = at(r.b);
    if (p) p.errors = Number(r.n);
  }
  for (const r of rowsOf<{ b: unknown; total: number | string }>(txRows)) {
    const p = at(r.b);
    if (p) p.transactions = Math.round(Number(r.total));
  }

  return {
    totalDevices: fleet.total,
    counts: fleet,
    statusCounts: fleet.status,
    pendingCommands: commandRows.find((r) => r.status === "pending")?.n ?? 0,
    expiredCommands: commandRows.find((r) => r.status === "expired")?.n ?? 0,
    pendingEnrolmentIntents: intentCount,
    sites: siteRows.map((s) => {
      const c = perSiteCounts.get(s.siteId) ?? emptyCounts();
      const st = (k: string) => c.status[k] ?? 0;
      return {
        siteId: s.siteId,
        name: s.name,
        devices: c.total,
        online: st("online"),
        error: st("error"),
        offline: st("offline"),
        counts: c,
        status: siteStatusOf(c),
      };
    }),
    window: { start, end, bucket },
    series: [...points.values()],
  };
}
