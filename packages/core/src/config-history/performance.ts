import { type Db, deviceMetrics, devices, healthChecks } from "@homepot/db";
import { and, desc, eq, gte, lte } from "drizzle-orm";

/** What a device looked like at one health check: stored as performance_before / performance_after. */
export interface PerformanceSnapshot {
  health_check_id: number;
  checked_at: string;
  status: string;
  is_healthy: boolean;
  response_time_ms: number | null;
  /** Percent of failed transactions/requests (0–100), from the report or the nearest metrics sample. */
  error_rate: number | null;
  cpu_percent: number | null;
  memory_percent: number | null;
  /** The config version the device reported running. */
  config_version: string | null;
}

export interface PerformanceThresholds {
  /** Degraded when response time grows by more than this share (0.5 = +50 %)… */
  responseTimeIncrease: number;
  /** …and by at least this many milliseconds. */
  responseTimeMinDeltaMs: number;
  /** Degraded when the error rate at least doubles and grows by at least this many points. */
  errorRateMinDelta: number;
}

export const defaultThresholds: PerformanceThresholds = {
  responseTimeIncrease: 0.5,
  responseTimeMinDeltaMs: 100,
  errorRateMinDelta: 1,
};

type Which = { at: "before"; time: Date } | { at: "after"; time: Date };

/**
 * The device's health check just before `time` (at: before) or the first one at/after `time`
 * (at: after), with the error rate from the report or the device_metrics sample nearest it.
 */
export async function capturePerformance(db: Db, deviceKey: string, which: Which): Promise<PerformanceSnapshot | null> {
  const [device] = await db.select({ id: devices.id }).from(devices).where(eq(devices.deviceId, deviceKey)).limit(1);
  if (!device) return null;
  const [hc] =
    which.at === "before"
      ? await db
          .select()
          .from(healthChecks)
          .where(and(eq(healthChecks.deviceId, device.id), lte(healthChecks.timestamp, which.time)))
          .orderBy(desc(healthChecks.timestamp), desc(healthChecks.id))
          .limit(1)
      : await db
          .select()
          .from(healthChecks)
          .where(and(eq(healthChecks.deviceId, device.id), gte(healthChecks.timestamp, which.time)))
          .orderBy(healthChecks.timestamp, healthChecks.id)
          .limit(1);
  if (!hc) return null;
  const data = (hc.responseData && typeof hc.responseData === "object" ? hc.responseData : {}) as Record<
    string,
    unknown
  >;
  const metrics = (data.metrics && typeof data.metrics === "object" ? data.metrics : {}) as Record<string, unknown>;
  let errorRate = num(metrics.error_rate);
  let cpu = num(metrics.cpu_percent) ?? num(metrics.cpu_usage_percent);
  let memory = num(metrics.memory_percent) ?? num(metrics.memory_usage_percent);
  if (errorRate === null || cpu === null) {
    const [m] = await db
      .select()
      .from(deviceMetrics)
      .where(
        and(
          eq(deviceMetrics.deviceId, deviceKey),
          lte(deviceMetrics.timestamp, new Date(hc.timestamp.getTime() + 1000)),
        ),
      )
      .orderBy(desc(deviceMetrics.timestamp))
      .limit(1);
    if (m && hc.timestamp.getTime() - m.timestamp.getTime() < 15 * 60_000) {
      errorRate ??= m.errorRate;
      cpu ??= m.cpuPercent;
      memory ??= m.memoryPercent;
    }
  }
  return {
    health_check_id: hc.id,
    checked_at: hc.timestamp.toISOString(),
    status: typeof data.status === "string" ? data.status : hc.isHealthy ? "healthy" : "unhealthy",
    is_healthy: hc.isHealthy,
    response_time_ms: hc.responseTimeMs,
    error_rate: errorRate,
    cpu_percent: cpu,
    memory_percent: memory,
    config_version: typeof data.config_version === "string" ? data.config_version : null,
  };
}

function num(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

export interface Comparison {
  degraded: boolean;
  reasons: string[];
}

/** Compares health, response time and error rate after a change with before it. */
export function comparePerformance(
  before: PerformanceSnapshot | null,
  after: PerformanceSnapshot,
  t: PerformanceThresholds = defaultThresholds,
): Comparison {
  const reasons: string[] = [];
  if (!after.is_healthy && (before === null || before.is_healthy)) {
    reasons.push(`health went from ${before?.status ?? "unknown"} to ${after.status}`);
  }
  if (before && before.response_time_ms !== null && after.response_time_ms !== null) {
    const delta = after.response_time_ms - before.response_time_ms;
    if (
      delta >= t.responseTimeMinDeltaMs &&
      after.response_time_ms > before.response_time_ms * (1 + t.responseTimeIncrease)
    ) {
      reasons.push(`response time rose from ${before.response_time_ms} ms to ${after.response_time_ms} ms`);
    }
  }
  if (before && before.error_rate !== null && after.error_rate !== null) {
    const delta = after.error_rate - before.error_rate;
    if (delta >= t.errorRateMinDelta && after.error_rate >= before.error_rate * 2) {
      reasons.push(`error rate rose from ${before.error_rate} to ${after.error_rate}`);
    }
  }
  return { degraded: reasons.length > 0, reasons };
}
