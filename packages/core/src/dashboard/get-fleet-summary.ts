import { deviceCommands, devices, enrolmentIntents, sites } from "@homepot/db";
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
import { inScope } from "../tenants/authorize.ts";
import { ACTIVITY_BUCKET_MS, type ActivityBucket, activityBucketStart, readSiteActivity } from "./fleet-activity.ts";

export type SummaryBucket = ActivityBucket;

export interface FleetSummaryInput {
  /** How far back the series reach, ending now. */
  hours: number;
  /** Silence after which a device counts as disconnected (the server's HOMEPOT_OFFLINE_AFTER_S). */
  offlineAfterS: number;
  /** false: the counts alone, without the series (the Overview's figures, polled often; its charts ask for the series). */
  series?: boolean;
  /** At most this many sites, the most devices in error or offline first (the Overview's table); absent: all. */
  sitesLimit?: number | undefined;
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
  /** Active sites the caller may see, however many `sites` holds. */
  sitesTotal: number;
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

/** Start of the UTC bucket containing `t`. */
export const bucketStart = activityBucketStart;

/** Every bucket start from the one containing `from` up to the one containing `to`, so a chart spans its period. */
export function bucketStarts(from: Date, to: Date, bucket: SummaryBucket): Date[] {
  const out: Date[] = [];
  for (let t = bucketStart(from, bucket).getTime(); t <= to.getTime(); t += ACTIVITY_BUCKET_MS[bucket])
    out.push(new Date(t));
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

  // Everything counted is what the caller may see: their tenants' and sites' devices only.
  const [perSiteCounts, siteRows, commandRows, intentCount, series] = await Promise.all([
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
    input.series === false ? [] : fleetSeries(ctx, start, end, bucket),
  ]);

  const fleet = sumCounts(perSiteCounts.values());
  const siteList = siteRows.map((s) => {
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
  });
  if (input.sitesLimit !== undefined)
    siteList.sort((a, b) => b.error + b.offline - (a.error + a.offline) || a.siteId.localeCompare(b.siteId));

  return {
    totalDevices: fleet.total,
    counts: fleet,
    statusCounts: fleet.status,
    pendingCommands: commandRows.find((r) => r.status === "pending")?.n ?? 0,
    expiredCommands: commandRows.find((r) => r.status === "expired")?.n ?? 0,
    pendingEnrolmentIntents: intentCount,
    sitesTotal: siteList.length,
    sites: input.sitesLimit === undefined ? siteList : siteList.slice(0, input.sitesLimit),
    window: { start, end, bucket },
    series,
  };
}

/**
 * Per-bucket series of reporting devices, unhealthy devices, errors and transactions from `start` to `end` (every
 * bucket present, zero when nothing happened), summed over the sites the caller may see: kept buckets from the
 * fleet activity rollups, the bucket in progress counted live.
 */
async function fleetSeries(ctx: Context, start: Date, end: Date, bucket: SummaryBucket): Promise<FleetSeriesPoint[]> {
  const points = new Map<number, FleetSeriesPoint>();
  for (const b of bucketStarts(start, end, bucket))
    points.set(b.getTime(), { start: b, devicesReporting: 0, devicesUnhealthy: 0, errors: 0, transactions: 0 });
  const rows = await readSiteActivity(readDb(ctx), bucket, start, new Date(end.getTime() + 1), (site) =>
    inScope(ctx, { site }),
  );
  for (const r of rows) {
    const p = points.get(r.start.getTime());
    if (!p) continue;
    p.devicesReporting += r.devicesReporting;
    p.devicesUnhealthy += r.devicesUnhealthy;
    p.errors += r.errors;
    p.transactions += r.transactions;
  }
  for (const p of points.values()) p.transactions = Math.round(p.transactions);
  return [...points.values()];
}
