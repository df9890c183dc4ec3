import type { PageQuery } from "@homepot/contracts/analytics";
import { deviceMetrics } from "@homepot/db";
import { and } from "drizzle-orm";
import type { Context } from "../context.ts";
import { countWhere, cursorTime, equalities, finishPage, pageConditions, pageOrder, siteFilter } from "./page.ts";

export interface DeviceMetricFilters extends PageQuery {
  device_id?: string | undefined;
  site_id?: string | undefined;
}

const t = deviceMetrics;

export async function listDeviceMetrics(ctx: Context, q: DeviceMetricFilters) {
  const where = [
    ...equalities([[t.deviceId, q.device_id]]),
    ...siteFilter(t.deviceId, q.site_id),
    ...pageConditions(t.timestamp, t.id, q),
  ];
  const rows = await ctx.db
    .select({ row: t, cursorTs: cursorTime(t.timestamp) })
    .from(t)
    .where(and(...where))
    .orderBy(...pageOrder(t.timestamp, t.id))
    .limit(q.limit)
    .offset(q.offset);
  return finishPage(rows, q, presentDeviceMetric, () => countWhere(ctx.db, t, where));
}

export function presentDeviceMetric(r: typeof deviceMetrics.$inferSelect) {
  return {
    id: r.id,
    timestamp: r.timestamp.toISOString(),
    device_id: r.deviceId,
    cpu_percent: r.cpuPercent,
    memory_percent: r.memoryPercent,
    disk_percent: r.diskPercent,
    network_latency_ms: r.networkLatencyMs,
    transaction_count: r.transactionCount,
    transaction_volume: r.transactionVolume,
    error_rate: r.errorRate,
    active_connections: r.activeConnections,
    queue_depth: r.queueDepth,
    extra_metrics: r.extraMetrics,
  };
}
