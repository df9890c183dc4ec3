import type { HealthReportInput } from "@homepot/contracts/telemetry";
import { devices } from "@homepot/db";
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Context } from "../context.ts";
import type { DeviceRow } from "../devices/device.repository.ts";
import { type StatusChange, setDeviceStatuses } from "../devices/set-device-status.ts";
import { ErrorCodes, logErrors } from "../errors-log/log-error.ts";
import { redactSecretString, redactSecrets } from "../redact.ts";
import { emitMetricSignals, insertMetricRows, type MetricRow } from "../telemetry/metrics.repository.ts";
import { insertHealthChecks } from "./health-check.repository.ts";
import { HEALTHY, healthMetricRow, healthStateOf, type RecordHealthOptions } from "./record-health-check.ts";
import { reportedVersions } from "./reported-versions.ts";

export interface HealthReportItem {
  deviceId: string;
  report: HealthReportInput;
}

export interface BatchHealthOutcome {
  recorded: number;
  /** Devices that do not exist or are inactive (their reports are not stored). */
  missing: string[];
  statusChanges: number;
}

/**
 * recordHealthCheck for many devices in one transaction (the simulator at scale): the same rows —
 * health_checks, device_metrics, status and last_seen, a state-history row only on a change, versions
 * — written as multi-row statements. Devices are locked in id order (no deadlock with single reports).
 * A device appearing twice keeps only its last report of the batch for status (all reports are stored).
 */
export async function recordHealthChecks(
  ctx: Context,
  items: readonly HealthReportItem[],
  options: RecordHealthOptions = {},
): Promise<BatchHealthOutcome> {
  if (items.length === 0) return { recorded: 0, missing: [], statusChanges: 0 };
  const now = ctx.clock.now();
  const ids = [...new Set(items.map((i) => i.deviceId))];
  const toError: { deviceId: string; report: HealthReportInput; statusCode: number; checkId: number }[] = [];

  const outcome = await ctx.db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(devices)
      .where(and(inArray(devices.deviceId, ids), eq(devices.isActive, true)))
      .orderBy(asc(devices.id))
      .for("update");
    const byId = new Map<string, DeviceRow>(rows.map((r) => [r.deviceId, r]));
    const present = items.filter((i) => byId.has(i.deviceId));
    const missing = ids.filter((id) => !byId.has(id));
    if (present.length === 0) return { recorded: 0, missing, statusChanges: 0 };

    const classified = present.map((original) => {
      // A key or token pasted into an error text must not be stored (health_checks, state history, error_logs).
      const error = original.report.error == null ? null : redactSecretString(original.report.error);
      const item = { ...original, report: { ...original.report, error } };
      const r = item.report;
      const isHealthy = HEALTHY.has(r.status.trim().toLowerCase()) && (r.status_code ?? 200) < 400;
      const statusCode = r.status_code ?? (isHealthy ? 200 : 500);
      return {
        item,
        device: byId.get(item.deviceId) as DeviceRow,
        isHealthy,
        statusCode,
        responseTimeMs: r.response_time_ms == null ? null : Math.round(r.response_time_ms),
      };
    });
    const checkIds = await insertHealthChecks(
      tx,
      classified.map((c) => ({
        device_id: c.device.id,
        is_healthy: c.isHealthy,
        response_time_ms: c.responseTimeMs,
        status_code: c.statusCode,
        endpoint: (c.item.report.endpoint ?? "/health").slice(0, 200),
        response_data: redactSecrets(c.item.report),
        error_message: c.item.report.error ?? null,
        timestamp: now,
      })),
    );
    if (options.storeMetrics !== false) {
      const metricRows = classified
        .map((c) => healthMetricRow(c.device.deviceId, now, c.item.report))
        .filter((r): r is MetricRow => r !== undefined);
      await insertMetricRows(tx, metricRows);
      emitMetricSignals(ctx, metricRows);
    }

    // The last report of each device decides its status; unchanged devices only get last_seen (one statement).
    const last = new Map<string, { c: (typeof classified)[number]; checkId: number }>();
    classified.forEach((c, i) => {
      last.set(c.item.deviceId, { c, checkId: checkIds[i] ?? 0 });
    });
    const seenOnly: number[] = [];
    const changes: { device: DeviceRow; change: StatusChange; c: (typeof classified)[number]; checkId: number }[] = [];
    for (const { c, checkId } of last.values()) {
      const { device, item } = c;
      const versions = reportedVersions(item.report, device);
      if (Object.keys(versions).length) await tx.update(devices).set(versions).where(eq(devices.id, device.id));
      const next = device.status === "maintenance" ? "maintenance" : c.isHealthy ? "online" : "error";
      const health = healthStateOf(next, c.isHealthy, item.report.status.trim().toLowerCase());
      if (next === device.status && health === device.healthState) {
        seenOnly.push(device.id);
        continue;
      }
      const reason = c.isHealthy
        ? "Health check: healthy"
        : `Health check: ${item.report.error?.trim() || `status ${item.report.status} (${c.statusCode})`}`;
      const change: StatusChange = {
        status: next,
        health,
        reason,
        changedBy: "system",
        lastSeen: now,
        extraData: {
          health_check_id: checkId,
          status: item.report.status,
          status_code: c.statusCode,
          response_time_ms: c.responseTimeMs,
          error: item.report.error ?? null,
        },
      };
      changes.push({ device, change, c, checkId });
    }
    const changed = await setDeviceStatuses(ctx, tx, changes);
    let statusChanges = 0;
    changes.forEach(({ device, change, c, checkId }, i) => {
      if (!changed[i]) return;
      statusChanges += 1;
      if (change.status === "error")
        toError.push({ deviceId: device.deviceId, report: c.item.report, statusCode: c.statusCode, checkId });
    });
    if (seenOnly.length > 0) await tx.update(devices).set({ lastSeen: now }).where(inArray(devices.id, seenOnly));
    return { recorded: present.length, missing, statusChanges };
  });

  await logErrors(
    ctx,
    toError.map((e) => ({
      category: "device",
      severity: "warning",
      errorCode: ErrorCodes.deviceUnhealthy,
      message: `Device ${e.deviceId} reported unhealthy: ${e.report.error ?? e.report.status}`,
      deviceId: e.deviceId,
      context: { status_code: e.statusCode, services: e.report.services ?? null, health_check_id: e.checkId },
    })),
  );
  return outcome;
}
