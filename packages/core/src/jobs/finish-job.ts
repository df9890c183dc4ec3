import { recordAudit } from "../audit/record-audit.ts";
import { ErrorCodes, logError } from "../errors-log/log-error.ts";
import { plural } from "../plural.ts";
import {
  closeJob,
  type JobDeviceRow,
  type JobRow,
  listJobDevices,
  siteKeysById,
  skipPendingJobDevices,
} from "./job.repository.ts";
import { JobAborted, type JobRun } from "./job-run.ts";

export interface JobFinish {
  status: "completed" | "partial" | "failed" | "cancelled";
  errorCode: string | null;
  errorMessage: string | null;
  /** Added to the summary outcome's extra_data. */
  extra?: Record<string, unknown>;
}

/**
 * Writes the final status, the summary outcome and one outcome per failed device, and audits
 * `job_finished`, in one transaction guarded by the claim (a lost claim aborts the run instead).
 */
export async function finishJob(run: JobRun, job: JobRow, rows: JobDeviceRow[], f: JobFinish): Promise<void> {
  const { ctx, instanceId } = run;
  const now = ctx.clock.now();
  const siteKey = job.siteId === null ? null : ((await siteKeysById(ctx.db, [job.siteId])).get(job.siteId) ?? null);
  const startedAt = job.startedAt ?? now;
  const successful = rows.filter((r) => r.status === "succeeded").length;
  const failedRows = rows.filter((r) => r.status === "failed");
  const skipped = rows.filter((r) => r.status === "skipped").length;
  const cancelled = rows.filter((r) => r.status === "cancelled").length;
  const retries = rows.reduce((n, r) => n + Math.max(0, r.attempts - 1), 0);
  const initiatedBy = job.createdBy === null ? "system" : String(job.createdBy);
  await ctx.db.transaction(async (tx) => {
    const closed = await closeJob(tx, job, instanceId, { status: f.status, errorMessage: f.errorMessage, now }, [
      {
        timestamp: now,
        jobId: job.jobId,
        jobType: job.jobType,
        deviceId: null,
        status: f.status,
        durationMs: Math.max(0, now.getTime() - startedAt.getTime()),
        errorCode: f.errorCode,
        errorMessage: f.errorMessage,
        retryCount: retries,
        initiatedBy,
        extraData: {
          total_devices: rows.length,
          successful,
          failed: failedRows.length,
          skipped,
          cancelled,
          site_id: siteKey,
          segment: job.segment,
          priority: job.priority,
          instance: instanceId,
          ...(f.extra ?? {}),
        },
      },
      ...failedRows.map((r) => ({
        timestamp: r.finishedAt ?? now,
        jobId: job.jobId,
        jobType: job.jobType,
        deviceId: r.deviceId,
        status: "failed",
        durationMs: r.startedAt ? Math.max(0, (r.finishedAt ?? now).getTime() - r.startedAt.getTime()) : null,
        errorCode: r.errorCode ?? ErrorCodes.commandFailed,
        errorMessage: r.errorMessage,
        retryCount: Math.max(0, r.attempts - 1),
        initiatedBy,
        extraData: { command_id: r.commandId, batch: r.batch, site_id: siteKey, segment: job.segment },
      })),
    ]);
    if (!closed) throw new JobAborted("claim lost before finishing");
    await recordAudit(
      { ...ctx, db: tx },
      {
        eventType: "job_finished",
        description: `Job ${job.jobId} ${f.status}${f.errorMessage ? `: ${f.errorMessage}` : ""}`,
        jobId: job.id,
        siteId: job.siteId,
        oldValues: { status: "sent" },
        newValues: { status: f.status, successful, failed: failedRows.length, skipped },
      },
      tx,
    );
  });
  if (f.status === "failed" && f.errorCode !== ErrorCodes.jobEmergencyStop) {
    await logError(ctx, {
      category: "job",
      severity: "warning",
      errorCode: f.errorCode ?? ErrorCodes.jobFailed,
      message: `Job ${job.jobId} failed: ${f.errorMessage ?? "unknown"}`,
      context: { job_id: job.jobId, site_id: siteKey, segment: job.segment },
    });
  }
  ctx.signals?.emit({
    kind: "job",
    jobId: job.jobId,
    siteId: siteKey,
    jobType: job.jobType,
    status: f.status,
    at: now,
    ...(f.errorMessage ? { message: f.errorMessage } : {}),
  });
  ctx.logger.info({ jobId: job.jobId, status: f.status, successful, failed: failedRows.length }, "job finished");
}

/**
 * The staged rollout's emergency stop: the share of failed devices after `batchNo` exceeded the
 * threshold, so every device not yet sent anything is skipped; audited, logged, and the job finishes
 * partial (or failed when nothing succeeded) with the reason.
 */
export async function emergencyStopJob(
  run: JobRun,
  job: JobRow,
  rows: JobDeviceRow[],
  stop: { batchNo: number; rate: number; threshold: number; siteKey: string | null },
): Promise<void> {
  const { ctx } = run;
  const { batchNo, rate, threshold } = stop;
  const untouched = rows.filter((r) => r.status === "pending");
  await skipPendingJobDevices(ctx.db, job.jobId, ctx.clock.now(), {
    code: ErrorCodes.jobEmergencyStop,
    message: "not attempted: emergency stop",
  });
  const done = rows.filter((r) => r.status === "succeeded" || r.status === "failed");
  const failed = done.filter((r) => r.status === "failed").length;
  const message =
    `Emergency stop after batch ${batchNo + 1}: error rate ${(rate * 100).toFixed(1)}% (${failed} of ${plural(done.length, "device")} failed) ` +
    `exceeded the threshold of ${(threshold * 100).toFixed(1)}%; ${plural(untouched.length, "device")} left untouched`;
  await recordAudit(ctx, {
    eventType: "job_emergency_stop",
    description: message,
    jobId: job.id,
    siteId: job.siteId,
    metadata: {
      job_id: job.jobId,
      batch: batchNo + 1,
      error_rate: rate,
      threshold,
      failed,
      processed: done.length,
      skipped: untouched.length,
    },
  });
  await logError(ctx, {
    category: "job",
    severity: "error",
    errorCode: ErrorCodes.jobEmergencyStop,
    message: `Job ${job.jobId}: ${message}`,
    context: {
      job_id: job.jobId,
      site_id: stop.siteKey,
      segment: job.segment,
      batch: batchNo + 1,
      error_rate: rate,
      threshold,
    },
  });
  const ok = done.length - failed;
  await finishJob(run, job, await listJobDevices(ctx.db, job.jobId), {
    status: ok > 0 ? "partial" : "failed",
    errorCode: ErrorCodes.jobEmergencyStop,
    errorMessage: message,
    extra: { emergency_stop: true, stopped_after_batch: batchNo + 1, error_rate: rate, error_threshold: threshold },
  });
}
