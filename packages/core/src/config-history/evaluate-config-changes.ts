import { configurationHistory, devices } from "@homepot/db";
import { and, eq, isNotNull, isNull, lte, sql } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import { hasHealthCheckCommandSince } from "../commands/command.repository.ts";
import { queueCommand } from "../commands/queue-command.ts";
import type { Context } from "../context.ts";
import { ErrorCodes, logError } from "../errors-log/log-error.ts";
import { findConfigChangeJob } from "./config-history.repository.ts";
import {
  capturePerformance,
  comparePerformance,
  defaultThresholds,
  type PerformanceSnapshot,
  type PerformanceThresholds,
} from "./performance.ts";

export interface EvaluateOptions {
  thresholds?: PerformanceThresholds;
  /** How long to wait for a fresh health report after the settling period before giving up. */
  healthWaitMs: number;
  /** How long a rollback command may wait for its device. */
  commandTtlMs: number;
  batch?: number;
}

export interface EvaluationResult {
  evaluated: number;
  rolledBack: number;
  requestedHealthChecks: number;
}

type Row = typeof configurationHistory.$inferSelect;

/**
 * Closes the loop on device config changes whose settling period is over: performance_after from the
 * first health check after it (asking the device for one with RUN_HEALTH_CHECK when none arrives),
 * was_successful from the comparison, and an automatic rollback to the old config when performance
 * degraded and the job asked for it. Rows are claimed with SKIP LOCKED, so instances share the work.
 */
export async function evaluateConfigChanges(ctx: Context, options: EvaluateOptions): Promise<EvaluationResult> {
  const now = ctx.clock.now();
  const result: EvaluationResult = { evaluated: 0, rolledBack: 0, requestedHealthChecks: 0 };
  await ctx.db.transaction(async (tx) => {
    const due = await tx
      .select()
      .from(configurationHistory)
      .where(
        and(
          eq(configurationHistory.entityType, "device"),
          isNotNull(configurationHistory.evaluateAfter),
          lte(configurationHistory.evaluateAfter, now),
        ),
      )
      .orderBy(configurationHistory.evaluateAfter)
      .limit(options.batch ?? 50)
      .for("update", { skipLocked: true });
    const txCtx = { ...ctx, db: tx };
    for (const row of due) {
      const outcome = await evaluateOne(txCtx, row, now, options);
      if (outcome === "waiting") continue;
      if (outcome === "requested") result.requestedHealthChecks += 1;
      else {
        result.evaluated += 1;
        if (outcome === "rolled_back") result.rolledBack += 1;
      }
    }
  });
  return result;
}

async function evaluateOne(
  ctx: Context,
  row: Row,
  now: Date,
  options: EvaluateOptions,
): Promise<"waiting" | "requested" | "evaluated" | "rolled_back"> {
  const evaluateAfter = row.evaluateAfter ?? now;
  const after = await capturePerformance(ctx.db, row.entityId, { at: "after", time: evaluateAfter });
  const before = (row.performanceBefore ?? null) as PerformanceSnapshot | null;

  if (!after) {
    const waited = now.getTime() - evaluateAfter.getTime();
    if (waited < options.healthWaitMs) {
      if (await hasHealthCheckCommandSince(ctx.db, row.entityId, evaluateAfter)) return "waiting";
      await queueCommand(ctx, {
        deviceId: row.entityId,
        commandType: "RUN_HEALTH_CHECK",
        payload: { reason: "config_evaluation", configuration_history_id: row.id },
        expiresAt: new Date(now.getTime() + options.healthWaitMs),
        jobId: row.jobId,
      });
      return "requested";
    }
    const reason = `no health report within ${Math.round(options.healthWaitMs / 1000)} s after the settling period`;
    return conclude(ctx, row, { no_health_report: true, waited_ms: waited }, false, [reason], options);
  }
  const comparison = comparePerformance(before, after, options.thresholds ?? defaultThresholds);
  return conclude(ctx, row, after, !comparison.degraded && after.is_healthy, comparison.reasons, options);
}

async function conclude(
  ctx: Context,
  row: Row,
  performanceAfter: unknown,
  wasSuccessful: boolean,
  reasons: string[],
  options: EvaluateOptions,
): Promise<"evaluated" | "rolled_back"> {
  const now = ctx.clock.now();
  const newValue = (row.newValue ?? {}) as Record<string, unknown>;
  const isRollback = typeof newValue.rollback_of === "number";
  let rollbackReason: string | null = null;
  if (!wasSuccessful && !isRollback && row.jobId && reasons.length > 0) {
    const job = await findConfigChangeJob(ctx.db, row.jobId);
    if (job?.rollbackOnDegradation) {
      rollbackReason = `Performance degraded after config ${String(newValue.config_version ?? "")}: ${reasons.join("; ")}`;
      const old = (row.oldValue ?? {}) as {
        config_version?: string | null;
        config_url?: string | null;
        config?: Record<string, unknown> | null;
      };
      // Rows of older releases kept the URL inside the config object.
      const oldUrl = old.config_url ?? (typeof old.config?.config_url === "string" ? old.config.config_url : null);
      // Back to exactly what ran before (a config replaces the previous one): its URL, or its inline
      // settings (an empty config when the device had none recorded).
      const source = oldUrl && !old.config ? { config_url: oldUrl } : { config: old.config ?? {} };
      await queueCommand(ctx, {
        deviceId: row.entityId,
        commandType: "UPDATE_CONFIG",
        payload: {
          config_version: old.config_version ?? null,
          ...source,
          rollback_of: row.id,
          reason: rollbackReason,
        },
        expiresAt: new Date(now.getTime() + options.commandTtlMs),
        jobId: row.jobId,
      });
    }
  }
  await ctx.db
    .update(configurationHistory)
    .set({
      performanceAfter,
      wasSuccessful,
      wasRolledBack: rollbackReason !== null,
      rollbackReason,
      evaluateAfter: null,
    })
    .where(eq(configurationHistory.id, row.id));
  if (rollbackReason) {
    const [device] = await ctx.db
      .select({ id: devices.id })
      .from(devices)
      .where(eq(devices.deviceId, row.entityId))
      .limit(1);
    await recordAudit(ctx, {
      eventType: "config_rollback",
      description: `Rolling back ${row.entityId} to config ${String(((row.oldValue ?? {}) as Record<string, unknown>).config_version ?? "(previous)")}`,
      deviceId: device?.id ?? null,
      oldValues: row.newValue,
      newValues: row.oldValue,
      metadata: { configuration_history_id: row.id, job_id: row.jobId, reasons },
    });
    await logError(ctx, {
      category: "device",
      severity: "warning",
      errorCode: ErrorCodes.configRollback,
      message: rollbackReason,
      deviceId: row.entityId,
      context: {
        configuration_history_id: row.id,
        job_id: row.jobId,
        performance_before: row.performanceBefore,
        performance_after: performanceAfter,
      },
    });
    ctx.signals?.emit({
      kind: "job",
      jobId: row.jobId ?? "",
      siteId: null,
      deviceId: row.entityId,
      jobType: "config_update",
      status: "rolled_back",
      at: now,
      message: rollbackReason,
    });
    return "rolled_back";
  }
  return "evaluated";
}

// Re-exported for callers that only need to know whether anything is waiting (tests, status pages).
export async function countPendingEvaluations(ctx: Context): Promise<number> {
  const [r] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(configurationHistory)
    .where(and(isNotNull(configurationHistory.evaluateAfter), isNull(configurationHistory.performanceAfter)));
  return r?.n ?? 0;
}
