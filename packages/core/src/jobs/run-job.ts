import { recordAudit } from "../audit/record-audit.ts";
import {
  cancelPendingCommandsOfJob,
  expireWaitingCommands,
  readCommandStates,
} from "../commands/command.repository.ts";
import { queueCommand } from "../commands/queue-command.ts";
import { AppError } from "../errors.ts";
import { ErrorCodes } from "../errors-log/log-error.ts";
import { plural } from "../plural.ts";
import { splitReleaseTargets } from "../releases/split-release-targets.ts";
import { emergencyStopJob, finishJob } from "./finish-job.ts";
import {
  cancelOpenJobDevices,
  findJobStatus,
  insertJobDevices,
  insertSkippedJobDevices,
  type JobDeviceRow,
  type JobRow,
  listJobDevices,
  listJobTargets,
  resetUntakenJobDevices,
  rolloutOf,
  siteKeysById,
  takeJobDevice,
  updateJobDeviceRow,
} from "./job.repository.ts";
import type { JobRun } from "./job-run.ts";
import { commandTypeFor, planBatches } from "./plan-batches.ts";

/**
 * Runs one claimed job to its end: resolves and batches the targets (first run only), sends each
 * batch's commands, waits for results with retries, applies the staged-rollout emergency stop, and
 * finishes the job. Every step reads and writes job_devices, so a resumed run continues where the
 * last one stopped.
 */
export async function runJob(run: JobRun, job: JobRow): Promise<void> {
  const { ctx } = run;
  let rows = await listJobDevices(ctx.db, job.jobId);
  const siteKey = job.siteId === null ? null : ((await siteKeysById(ctx.db, [job.siteId])).get(job.siteId) ?? null);
  if (rows.length === 0) {
    const targets = await listJobTargets(ctx.db, {
      deviceIds: Array.isArray(job.deviceIds) ? (job.deviceIds as string[]) : null,
      siteKey,
      segment: job.segment,
    });
    if (targets.length === 0) {
      const where = [siteKey ? `site ${siteKey}` : null, job.segment ? `segment ${job.segment}` : null]
        .filter(Boolean)
        .join(", ");
      await finishJob(run, job, [], {
        status: "failed",
        errorCode: ErrorCodes.jobFailed,
        errorMessage: `No devices found${where ? ` for ${where}` : ""}`,
      });
      return;
    }
    // A release job skips devices that must not or need not get it (they count neither as sent nor as failed).
    const { send, skipped } = job.releaseId
      ? await splitReleaseTargets(ctx, job.releaseId, targets)
      : { send: targets, skipped: [] };
    const batches = planBatches(send, rolloutOf(job).batches);
    await insertJobDevices(ctx.db, job.jobId, batches);
    await insertSkippedJobDevices(ctx.db, job.jobId, skipped, ctx.clock.now());
    await recordAudit(ctx, {
      eventType: "job_started",
      description: `Job ${job.jobId} started on ${plural(send.length, "device")} in ${plural(batches.length, "batch", "batches")}${skipped.length ? `, ${skipped.length} skipped` : ""}`,
      jobId: job.id,
      siteId: job.siteId,
      metadata: {
        instance: run.instanceId,
        devices: send.length,
        batches: batches.map((b) => b.length),
        skipped: skipped.length,
      },
    });
  }

  await resetUntakenJobDevices(ctx.db, job.jobId);
  rows = await listJobDevices(ctx.db, job.jobId);
  const policy = rolloutOf(job);
  const batchNumbers = [...new Set(rows.map((r) => r.batch))].sort((a, b) => a - b);
  for (let bi = 0; bi < batchNumbers.length; bi += 1) {
    const batchNo = batchNumbers[bi] as number;
    const outcome = await runBatch(run, job, batchNo);
    if (outcome === "cancelled") {
      // A command queued while the cancel ran is withdrawn too; nothing of this job is still awaited.
      const now = ctx.clock.now();
      await cancelPendingCommandsOfJob(ctx.db, job.jobId, now);
      await cancelOpenJobDevices(ctx.db, job.jobId, now);
      await finishJob(run, job, await listJobDevices(ctx.db, job.jobId), {
        status: "cancelled",
        errorCode: null,
        errorMessage: (await findJobStatus(ctx.db, job.id)).errorMessage ?? "Cancelled",
      });
      return;
    }
    rows = await listJobDevices(ctx.db, job.jobId);
    const last = bi === batchNumbers.length - 1;
    if (!last && policy.batches) {
      const done = rows.filter((r) => r.status === "succeeded" || r.status === "failed");
      const failed = done.filter((r) => r.status === "failed").length;
      const rate = done.length ? failed / done.length : 0;
      const threshold = policy.error_threshold ?? 1;
      if (rate > threshold) {
        await emergencyStopJob(run, job, rows, { batchNo, rate, threshold, siteKey });
        return;
      }
      if (policy.pause_s) await pause(run, job, policy.pause_s * 1000);
    }
  }
  rows = await listJobDevices(ctx.db, job.jobId);
  const ok = rows.filter((r) => r.status === "succeeded").length;
  const failed = rows.filter((r) => r.status === "failed").length;
  await finishJob(run, job, rows, {
    status: failed === 0 ? "completed" : ok === 0 ? "failed" : "partial",
    errorCode: failed ? ErrorCodes.jobFailed : null,
    errorMessage: failed
      ? ok === 0
        ? `${failed === 1 ? "The device" : `All ${failed} devices`} failed`
        : `${failed} of ${plural(rows.length, "device")} failed`
      : null,
  });
}

async function isCancelled(run: JobRun, job: JobRow): Promise<boolean> {
  return (await findJobStatus(run.ctx.db, job.id)).status === "cancelled";
}

/** Sends one batch's commands and waits until each of its devices succeeded or finally failed. */
async function runBatch(run: JobRun, job: JobRow, batchNo: number): Promise<"done" | "cancelled"> {
  const { ctx, options } = run;
  const commandType = commandTypeFor(job.jobType);
  const retryAt = new Map<string, number>();
  for (;;) {
    run.checkAbort();
    if (await isCancelled(run, job)) return "cancelled";
    const rows = await listJobDevices(ctx.db, job.jobId, batchNo);
    const now = ctx.clock.now();

    // Send what is pending (first attempts and due retries), a few devices at a time.
    const sendable = rows.filter(
      (row) => row.status === "pending" && (retryAt.get(row.deviceId) ?? 0) <= now.getTime(),
    );
    for (let i = 0; i < sendable.length; i += options.sendConcurrency) {
      run.checkAbort();
      await Promise.all(
        sendable.slice(i, i + options.sendConcurrency).map((row) => sendToDevice(run, job, row, commandType, now)),
      );
    }

    // Read results of what was sent.
    const sent = (await listJobDevices(ctx.db, job.jobId, batchNo)).filter((r) => r.status === "sent" && r.commandId);
    const states = await readCommandStates(
      ctx.db,
      sent.map((r) => r.commandId as string),
    );
    const timedOut: string[] = [];
    for (const row of sent) {
      const state = states.get(row.commandId as string);
      const t = ctx.clock.now();
      if (state?.status === "succeeded") {
        await updateJobDeviceRow(ctx.db, row.id, { status: "succeeded", finishedAt: state.completedAt ?? t });
        continue;
      }
      let failure: { code: string; message: string } | undefined;
      if (!state) failure = { code: ErrorCodes.commandFailed, message: "command disappeared" };
      else if (state.status === "failed")
        failure = { code: ErrorCodes.commandFailed, message: state.errorMessage ?? "device reported failure" };
      else if (state.status === "expired" || state.status === "cancelled")
        failure = { code: "COMMAND_TIMEOUT_001", message: state.errorMessage ?? `command ${state.status}` };
      else if (t.getTime() - state.createdAt.getTime() > options.commandTimeoutMs) {
        timedOut.push(state.commandId);
        failure = {
          code: "COMMAND_TIMEOUT_001",
          message: `no result from the device within ${Math.round(options.commandTimeoutMs / 1000)} s`,
        };
      }
      if (!failure) continue;
      const retry = row.attempts <= options.maxRetries;
      if (retry) retryAt.set(row.deviceId, t.getTime() + options.retryDelayMs);
      await updateJobDeviceRow(
        ctx.db,
        row.id,
        retry
          ? { status: "pending", errorCode: failure.code, errorMessage: failure.message }
          : { status: "failed", errorCode: failure.code, errorMessage: failure.message.slice(0, 2000), finishedAt: t },
      );
    }
    await expireWaitingCommands(ctx.db, timedOut, ctx.clock.now());

    const after = await listJobDevices(ctx.db, job.jobId, batchNo);
    if (after.every((r) => r.status !== "pending" && r.status !== "sent")) return "done";
    const nextRetry = Math.min(...after.filter((r) => r.status === "pending").map((r) => retryAt.get(r.deviceId) ?? 0));
    const waitMs =
      Number.isFinite(nextRetry) && nextRetry > 0 && after.every((r) => r.status !== "sent")
        ? Math.max(1, Math.min(options.commandPollMs, nextRetry - ctx.clock.now().getTime()))
        : options.commandPollMs;
    await run.sleep(waitMs);
  }
}

/** Takes one pending device (guarded) and queues its command; a refused command fails the device. */
async function sendToDevice(run: JobRun, job: JobRow, row: JobDeviceRow, commandType: string, now: Date) {
  const { ctx, options } = run;
  if (!(await takeJobDevice(ctx.db, row, now))) return;
  let commandId: string;
  try {
    const command = await queueCommand(ctx, {
      deviceId: row.deviceId,
      commandType,
      payload: commandPayload(job),
      expiresAt: new Date(now.getTime() + options.commandTimeoutMs),
      jobId: job.jobId,
    });
    commandId = command.commandId;
  } catch (error) {
    // The device was deleted since, or the command was refused: this device fails, the job goes on.
    if (!(error instanceof AppError)) throw error;
    await updateJobDeviceRow(ctx.db, row.id, {
      status: "failed",
      attempts: row.attempts + 1,
      errorCode: error.code,
      errorMessage: error.message.slice(0, 2000),
      startedAt: row.startedAt ?? now,
      finishedAt: now,
    });
    return;
  }
  await updateJobDeviceRow(ctx.db, row.id, { commandId });
}

/** The device command's payload: the job's payload, its id, and the config or firmware it delivers. */
export function commandPayload(job: JobRow): Record<string, unknown> {
  const base =
    job.payload && typeof job.payload === "object" && !Array.isArray(job.payload)
      ? (job.payload as Record<string, unknown>)
      : {};
  const payload: Record<string, unknown> = { ...base, job_id: job.jobId };
  if (job.jobType === "config_update") {
    payload.config_url = job.configUrl;
    payload.config_version = job.configVersion;
  }
  if (job.jobType === "firmware_update") payload.firmware_version ??= job.configVersion;
  return payload;
}

/** The staged rollout's pause between batches; returns early when the job is cancelled. */
async function pause(run: JobRun, job: JobRow, ms: number): Promise<void> {
  const { ctx, options } = run;
  const until = ctx.clock.now().getTime() + ms;
  while (ctx.clock.now().getTime() < until) {
    run.checkAbort();
    if (await isCancelled(run, job)) return;
    await run.sleep(Math.min(options.commandPollMs, until - ctx.clock.now().getTime()));
  }
}
