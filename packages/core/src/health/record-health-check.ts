import type { HealthReportInput } from "@homepot/contracts/telemetry";
import { devices } from "@homepot/db";
import { eq } from "drizzle-orm";
import type { Context } from "../context.ts";
import { lockDevice } from "../devices/device.repository.ts";
import { setDeviceStatus } from "../devices/set-device-status.ts";
import { NotFoundError } from "../errors.ts";
import { ErrorCodes, logError } from "../errors-log/log-error.ts";
import { redactSecretString, redactSecrets } from "../redact.ts";
import {
  emitMetricSignals,
  insertMetricRows,
  type MetricFigure,
  type MetricRow,
  metricRow,
} from "../telemetry/metrics.repository.ts";
import { insertHealthChecks } from "./health-check.repository.ts";
import { reportedVersions } from "./reported-versions.ts";

export const HEALTHY = new Set(["healthy", "ok", "online", "up", "pass", "passing", "green"]);
const WARNING = new Set(["warning", "warn", "degraded", "yellow"]);

/** The device's health after a report: a warning is its own state, not an error. */
export function healthStateOf(status: string, isHealthy: boolean, word: string) {
  if (status === "maintenance") return "maintenance" as const;
  if (isHealthy) return "healthy" as const;
  return WARNING.has(word) ? ("warning" as const) : ("error" as const);
}

export interface HealthCheckOutcome {
  id: number;
  deviceId: string;
  isHealthy: boolean;
  statusCode: number;
  responseTimeMs: number | null;
  previousStatus: string;
  deviceStatus: string;
  statusChanged: boolean;
  timestamp: Date;
}

const num = (...values: unknown[]): number | null => {
  for (const v of values) if (typeof v === "number" && Number.isFinite(v)) return v;
  return null;
};
const int = (...values: unknown[]): number | null => {
  const v = num(...values);
  return v === null ? null : Math.round(v);
};

const KNOWN_METRICS = new Set([
  "cpu_usage_percent",
  "cpu_percent",
  "memory_usage_percent",
  "memory_percent",
  "disk_usage_percent",
  "disk_percent",
  "network_latency_ms",
  "transactions_today",
  "transaction_count",
  "transaction_volume",
  "error_rate",
  "active_connections",
  "queue_depth",
]);

/** The figures a health report carries, keyed like the device_metrics columns (the original's mapping, seed "database metrics validation" §2). */
export function metricsFromHealth(report: HealthReportInput): Record<MetricFigure, number | null> & {
  extra_metrics: Record<string, unknown> | null;
} {
  const m = report.metrics ?? {};
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m)) if (!KNOWN_METRICS.has(k) && v !== undefined && v !== null) extra[k] = v;
  if (report.services) extra.services = report.services;
  if (report.device_info) extra.device_info = report.device_info;
  return {
    cpu_percent: num(m.cpu_usage_percent, m.cpu_percent),
    memory_percent: num(m.memory_usage_percent, m.memory_percent),
    disk_percent: num(m.disk_usage_percent, m.disk_percent),
    network_latency_ms: num(m.network_latency_ms),
    transaction_count: int(m.transactions_today, m.transaction_count),
    transaction_volume: num(m.transaction_volume),
    error_rate: num(m.error_rate),
    active_connections: int(m.active_connections),
    queue_depth: int(m.queue_depth),
    extra_metrics: Object.keys(extra).length ? extra : null,
  };
}

/** The device_metrics row of a health report, or none when it carries no figures, services or device info. */
export function healthMetricRow(deviceId: string, at: Date, report: HealthReportInput): MetricRow | undefined {
  if (!report.metrics && !report.services && !report.device_info) return undefined;
  const m = metricsFromHealth(report);
  return metricRow(deviceId, at, m, m.extra_metrics);
}

export interface RecordHealthOptions {
  /**
   * False when the report's figures reach device_metrics another way (the in-process simulator sends them
   * through ingestMetrics, as an agent does), so they are not stored twice. Default true.
   */
  storeMetrics?: boolean;
}

/**
 * Records one health report of a device in a single transaction: the health_checks row, the
 * device_metrics extracted from it, the device's status and last_seen, and a device_state_history row
 * only when the status actually changes. A device in maintenance keeps that status. HTTP-free: the
 * simulator calls it directly.
 */
export async function recordHealthCheck(
  ctx: Context,
  deviceId: string,
  report: HealthReportInput,
  options: RecordHealthOptions = {},
): Promise<HealthCheckOutcome> {
  const now = ctx.clock.now();
  const statusWord = report.status.trim().toLowerCase();
  const isHealthy = HEALTHY.has(statusWord) && (report.status_code ?? 200) < 400;
  const statusCode = report.status_code ?? (isHealthy ? 200 : 500);
  const responseTimeMs = report.response_time_ms == null ? null : Math.round(report.response_time_ms);
  const metrics = metricsFromHealth(report);
  // A key or token pasted into an error text must not be stored (health_checks, state history, error_logs).
  const error = report.error == null ? null : redactSecretString(report.error);

  const outcome = await ctx.db.transaction(async (tx) => {
    const device = await lockDevice(tx, deviceId);
    if (!device?.isActive) throw new NotFoundError(`device ${deviceId} not found`);
    const [checkId] = await insertHealthChecks(tx, [
      {
        device_id: device.id,
        is_healthy: isHealthy,
        response_time_ms: responseTimeMs,
        status_code: statusCode,
        endpoint: (report.endpoint ?? "/health").slice(0, 200),
        response_data: redactSecrets(report),
        error_message: error,
        timestamp: now,
      },
    ]);
    if (checkId === undefined) throw new Error("health check insert returned nothing");
    const metricsRow = options.storeMetrics === false ? undefined : healthMetricRow(device.deviceId, now, report);
    if (metricsRow) {
      await insertMetricRows(tx, [metricsRow]);
      emitMetricSignals(ctx, [metricsRow]);
    }
    const versions = reportedVersions(report, device);
    if (Object.keys(versions).length) await tx.update(devices).set(versions).where(eq(devices.id, device.id));

    const next = device.status === "maintenance" ? "maintenance" : isHealthy ? "online" : "error";
    const reason = isHealthy
      ? "Health check: healthy"
      : `Health check: ${error?.trim() || `status ${report.status} (${statusCode})`}`;
    const changed = await setDeviceStatus(ctx, tx, device, {
      status: next,
      health: healthStateOf(next, isHealthy, statusWord),
      reason,
      changedBy: "system",
      lastSeen: now,
      extraData: {
        health_check_id: checkId,
        status: report.status,
        status_code: statusCode,
        response_time_ms: responseTimeMs,
        cpu_percent: metrics.cpu_percent,
        memory_percent: metrics.memory_percent,
        disk_percent: metrics.disk_percent,
        error,
      },
    });
    return {
      id: checkId,
      deviceId: device.deviceId,
      isHealthy,
      statusCode,
      responseTimeMs,
      previousStatus: device.status,
      deviceStatus: next,
      statusChanged: changed,
      timestamp: now,
    } satisfies HealthCheckOutcome;
  });

  if (outcome.statusChanged && outcome.deviceStatus === "error") {
    await logError(ctx, {
      category: "device",
      severity: "warning",
      errorCode: ErrorCodes.deviceUnhealthy,
      message: `Device ${deviceId} reported unhealthy: ${error ?? report.status}`,
      deviceId,
      context: { status_code: statusCode, services: report.services ?? null, health_check_id: outcome.id },
    });
  }
  return outcome;
}
