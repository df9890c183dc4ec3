import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { devices, jobDevices, jobOutcomes, jobs } from "@homepot/db";
import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import { evaluateConfigChanges } from "../config-history/evaluate-config-changes.ts";
import { defaultThresholds, type PerformanceThresholds } from "../config-history/performance.ts";
import { recordConfigApplied } from "../config-history/record-config-applied.ts";
import { recordMissedConfigChanges } from "../config-history/record-missed-config-changes.ts";
import type { Context } from "../context.ts";
import { AppError } from "../errors.ts";
import { ErrorCodes, logError } from "../errors-log/log-error.ts";
import { type JobDeviceRow, type JobRow, listJobDevices, rolloutOf, siteKeysById } from "./job.repository.ts";
import {
  type CommandState,
  cancelPendingJobCommands,
  expireJobCommands,
  onCommandFinished,
  queueJobCommand,
  readCommandStates,
} from "./job-commands.ts";
import { commandTypeFor, planBatches } from "./plan-batches.ts";

export interface OrchestratorOptions {
  /** Name of this instance in jobs.claimed_by (default host:pid:random). */
  instanceId?: string;
  /** How often to look for due jobs and config changes to evaluate. */
  pollIntervalMs: number;
  /** How often to re-read command results while waiting (a finished event wakes earlier). */
  commandPollMs: number;
  heartbeatMs: number;
  /** A running job whose heartbeat is older than this belongs to a dead instance and is resumed. */
  staleAfterMs: number;
  /** How long one device command may take before it counts as failed (timeout). */
  commandTimeoutMs: number;
  /** Commands queued in parallel while sending a batch. */
  sendConcurrency: number;
  /** Extra attempts per device after a failure or timeout. */
  maxRetries: number;
  retryDelayMs: number;
  /** Claims of one job (first run + resumes) after which it is marked failed instead of resumed. */
  maxClaims: number;
  /** Settling period before performance_after is measured after a config change. */
  configSettleMs: number;
  /** How long to wait for a fresh health report after the settling period. */
  healthWaitMs: number;
  thresholds: PerformanceThresholds;
  /** How often to look for applied configs no listener recorded, and how far back. */
  catchUpMs: number;
  catchUpLookbackMs: number;
}

export const defaultOrchestratorOptions: OrchestratorOptions = {
  pollIntervalMs: 2_000,
  commandPollMs: 1_000,
  heartbeatMs: 5_000,
  staleAfterMs: 30_000,
  commandTimeoutMs: 120_000,
  sendConcurrency: 8,
  maxRetries: 1,
  retryDelayMs: 5_000,
  maxClaims: 3,
  configSettleMs: 60_000,
  healthWaitMs: 120_000,
  thresholds: defaultThresholds,
  catchUpMs: 30_000,
  catchUpLookbackMs: 6 * 3600_000,
};

type Finish = {
  status: "completed" | "partial" | "failed" | "cancelled";
  errorCode: string | null;
  errorMessage: string | null;
  extra?: Record<string, unknown>;
};

class Aborted extends Error {}

/**
 * Runs jobs: claims a due job (FOR UPDATE SKIP LOCKED, so instances sharing PostgreSQL never run one
 * twice), sends each target device a command, waits for the results, retries, applies the staged-rollout
 * emergency stop, and writes the job's outcome. State lives in jobs/job_devices/device_commands, so a
 * job left by a dead instance (stale heartbeat) is resumed where it stopped.
 */
export class JobOrchestrator {
  readonly instanceId: string;
  private readonly opts: OrchestratorOptions;
  private readonly ctx: Context;
  private running = false;
  private loop: Promise<void> | undefined;
  private wakers = new Set<() => void>();
  private unsubscribe: (() => void) | undefined;
  private currentJob: string | undefined;
  private abort = false;
  private lastCatchUp = 0;

  constructor(ctx: Context, options: Partial<OrchestratorOptions> = {}) {
    this.opts = { ...defaultOrchestratorOptions, ...options };
    this.instanceId = this.opts.instanceId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
    this.ctx = { ...ctx, actor: { kind: "system", name: "orchestrator" } };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.abort = false;
    this.unsubscribe = onCommandFinished((event) => {
      if (event.jobId && event.jobId === this.currentJob) this.wake();
      if (event.commandType.toUpperCase() === "UPDATE_CONFIG" && event.status === "succeeded") {
        void this.recordApplied(event.commandId);
      }
    });
    this.loop = this.run();
  }

  /**
   * Stops the loop. A job in progress is left `sent` and released (claim cleared) so another instance
   * resumes it at once; `release: false` leaves the claim as a crash would (resumed once it is stale).
   */
  async stop(options: { release?: boolean } = {}): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.abort = true;
    this.unsubscribe?.();
    this.wake();
    await this.loop;
    if (options.release !== false) {
      await this.ctx.db
        .update(jobs)
        .set({ claimedBy: null, heartbeatAt: null })
        .where(and(eq(jobs.claimedBy, this.instanceId), eq(jobs.status, "sent")))
        .catch((error: unknown) => this.ctx.logger.warn({ err: error }, "could not release claimed jobs"));
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      let worked = false;
      try {
        worked = await this.tick();
      } catch (error) {
        this.ctx.logger.error({ err: error }, "orchestrator tick failed");
        await logError(this.ctx, {
          category: "job",
          severity: "error",
          errorCode: ErrorCodes.jobFailed,
          message: `Orchestrator tick failed: ${errMsg(error)}`,
          error,
        });
      }
      if (!worked && this.running) await this.sleep(this.opts.pollIntervalMs);
    }
  }

  /** One round: evaluate due config changes, then claim and run one due job. True when a job ran. */
  async tick(): Promise<boolean> {
    if (Date.now() - this.lastCatchUp >= this.opts.catchUpMs) {
      this.lastCatchUp = Date.now();
      await recordMissedConfigChanges(this.ctx, {
        settleMs: this.opts.configSettleMs,
        lookbackMs: this.opts.catchUpLookbackMs,
      });
    }
    await evaluateConfigChanges(this.ctx, {
      healthWaitMs: this.opts.healthWaitMs,
      commandTtlMs: this.opts.commandTimeoutMs,
      thresholds: this.opts.thresholds,
    });
    const job = await this.claim();
    if (!job) return false;
    await this.runJob(job);
    return true;
  }

  private async claim(): Promise<JobRow | undefined> {
    const now = this.ctx.clock.now();
    const staleBefore = new Date(now.getTime() - this.opts.staleAfterMs);
    const due = this.ctx.db
      .select({ id: jobs.id })
      .from(jobs)
      .where(
        or(
          and(eq(jobs.status, "pending"), or(isNull(jobs.scheduledAt), lte(jobs.scheduledAt, now))),
          and(eq(jobs.status, "sent"), or(isNull(jobs.heartbeatAt), lt(jobs.heartbeatAt, staleBefore))),
        ),
      )
      .orderBy(
        sql`case ${jobs.priority} when 'high' then 0 when 'normal' then 1 else 2 end`,
        sql`coalesce(${jobs.scheduledAt}, ${jobs.createdAt})`,
        asc(jobs.id),
      )
      .limit(1)
      .for("update", { skipLocked: true });
    const [job] = await this.ctx.db
      .update(jobs)
      .set({
        status: "sent",
        claimedBy: this.instanceId,
        heartbeatAt: now,
        startedAt: sql`coalesce(${jobs.startedAt}, ${now.toISOString()}::timestamp)`,
        attempts: sql`${jobs.attempts} + 1`,
        updatedAt: now,
      })
      .where(inArray(jobs.id, due))
      .returning();
    return job;
  }

  private async runJob(job: JobRow): Promise<void> {
    this.currentJob = job.jobId;
    let lost = false;
    const heartbeat = setInterval(() => {
      void this.ctx.db
        .update(jobs)
        .set({ heartbeatAt: this.ctx.clock.now() })
        .where(and(eq(jobs.id, job.id), eq(jobs.claimedBy, this.instanceId)))
        .returning({ id: jobs.id })
        .then((rows) => {
          if (rows.length === 0) lost = true;
        })
        .catch(() => {});
    }, this.opts.heartbeatMs);
    const checkAbort = () => {
      if (this.abort || lost) throw new Aborted(lost ? "claim lost" : "orchestrator stopping");
    };
    try {
      if (job.attempts > this.opts.maxClaims) {
        await this.finish(job, await listJobDevices(this.ctx.db, job.jobId), {
          status: "failed",
          errorCode: ErrorCodes.jobFailed,
          errorMessage: `Abandoned: the job was interrupted ${job.attempts - 1} times (instance stopped or died mid-job)`,
        });
        return;
      }
      await this.execute(job, checkAbort);
    } catch (error) {
      if (error instanceof Aborted) {
        this.ctx.logger.info({ jobId: job.jobId, reason: error.message }, "job paused; it will be resumed");
        return;
      }
      this.ctx.logger.error({ err: error, jobId: job.jobId }, "job run failed");
      await logError(this.ctx, {
        category: "job",
        severity: "error",
        errorCode: ErrorCodes.jobFailed,
        message: `Job ${job.jobId} run failed: ${errMsg(error)}`,
        error,
        context: { job_id: job.jobId, attempt: job.attempts },
      });
      // Release it so it is retried (up to maxClaims) rather than lost.
      await this.ctx.db
        .update(jobs)
        .set({
          claimedBy: null,
          heartbeatAt: null,
          errorMessage: `Run ${job.attempts} failed: ${errMsg(error)}`.slice(0, 2000),
        })
        .where(and(eq(jobs.id, job.id), eq(jobs.claimedBy, this.instanceId)))
        .catch(() => {});
    } finally {
      clearInterval(heartbeat);
      this.currentJob = undefined;
    }
  }

  private async execute(job: JobRow, checkAbort: () => void): Promise<void> {
    const ctx = this.ctx;
    let rows = await listJobDevices(ctx.db, job.jobId);
    const siteKey = job.siteId === null ? null : ((await siteKeysById(ctx.db, [job.siteId])).get(job.siteId) ?? null);
    if (rows.length === 0) {
      const targets = await this.resolveTargets(job, siteKey);
      if (targets.length === 0) {
        const where = [siteKey ? `site ${siteKey}` : null, job.segment ? `segment ${job.segment}` : null]
          .filter(Boolean)
          .join(", ");
        await this.finish(job, [], {
          status: "failed",
          errorCode: ErrorCodes.jobFailed,
          errorMessage: `No devices found${where ? ` for ${where}` : ""}`,
        });
        return;
      }
      const batches = planBatches(targets, rolloutOf(job).batches);
      const progressRows = batches.flatMap((b, i) =>
        b.map((deviceId) => ({ jobId: job.jobId, deviceId, batch: i, status: "pending" })),
      );
      // Chunked: a fleet-wide job must stay under PostgreSQL's bind-parameter limit.
      for (let i = 0; i < progressRows.length; i += 2000) {
        await ctx.db
          .insert(jobDevices)
          .values(progressRows.slice(i, i + 2000))
          .onConflictDoNothing();
      }
      await recordAudit(ctx, {
        eventType: "job_started",
        description: `Job ${job.jobId} started on ${targets.length} devices in ${batches.length} batch(es)`,
        jobId: job.id,
        siteId: job.siteId,
        metadata: { instance: this.instanceId, devices: targets.length, batches: batches.map((b) => b.length) },
      });
      rows = await listJobDevices(ctx.db, job.jobId);
    }

    // A device taken by a run that died before its command was queued goes back to pending.
    await ctx.db
      .update(jobDevices)
      .set({ status: "pending" })
      .where(and(eq(jobDevices.jobId, job.jobId), eq(jobDevices.status, "sent"), isNull(jobDevices.commandId)));
    rows = await listJobDevices(ctx.db, job.jobId);
    const policy = rolloutOf(job);
    const batchNumbers = [...new Set(rows.map((r) => r.batch))].sort((a, b) => a - b);
    for (let bi = 0; bi < batchNumbers.length; bi += 1) {
      const batchNo = batchNumbers[bi] as number;
      const outcome = await this.processBatch(job, batchNo, checkAbort);
      if (outcome === "cancelled") {
        // A command queued while the cancel ran is withdrawn too; nothing of this job is still awaited.
        await cancelPendingJobCommands(ctx, job.jobId);
        await ctx.db
          .update(jobDevices)
          .set({ status: "cancelled", finishedAt: ctx.clock.now() })
          .where(and(eq(jobDevices.jobId, job.jobId), inArray(jobDevices.status, ["pending", "sent"])));
        await this.finish(job, await listJobDevices(ctx.db, job.jobId), {
          status: "cancelled",
          errorCode: null,
          errorMessage: await this.cancelMessage(job),
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
          await this.emergencyStop(job, rows, batchNo, rate, threshold, siteKey);
          return;
        }
        if (policy.pause_s) await this.pause(job, policy.pause_s * 1000, checkAbort);
      }
    }
    rows = await listJobDevices(ctx.db, job.jobId);
    const ok = rows.filter((r) => r.status === "succeeded").length;
    const failed = rows.filter((r) => r.status === "failed").length;
    const status = failed === 0 ? "completed" : ok === 0 ? "failed" : "partial";
    await this.finish(job, rows, {
      status,
      errorCode: failed ? ErrorCodes.jobFailed : null,
      errorMessage: failed
        ? ok === 0
          ? `All ${failed} devices failed`
          : `${failed} of ${rows.length} devices failed`
        : null,
    });
  }

  private async resolveTargets(job: JobRow, siteKey: string | null): Promise<string[]> {
    const conds = [eq(devices.isActive, true)];
    const explicit = Array.isArray(job.deviceIds) ? (job.deviceIds as string[]) : null;
    if (explicit) conds.push(inArray(devices.deviceId, explicit.length ? explicit : [""]));
    if (siteKey) conds.push(eq(devices.siteId, siteKey));
    if (!explicit && job.segment) conds.push(eq(devices.segment, job.segment));
    if (!explicit && !siteKey) return [];
    const rows = await this.ctx.db
      .select({ deviceId: devices.deviceId })
      .from(devices)
      .where(and(...conds))
      .orderBy(asc(devices.deviceId));
    return rows.map((r) => r.deviceId);
  }

  /** Sends one batch's commands and waits until each of its devices succeeded or finally failed. */
  private async processBatch(job: JobRow, batchNo: number, checkAbort: () => void): Promise<"done" | "cancelled"> {
    const ctx = this.ctx;
    const commandType = commandTypeFor(job.jobType);
    const retryAt = new Map<string, number>();
    for (;;) {
      checkAbort();
      if (await this.isCancelled(job)) return "cancelled";
      const rows = await listJobDevices(ctx.db, job.jobId, batchNo);
      const now = ctx.clock.now();

      // Send what is pending (first attempts and due retries), a few devices at a time.
      const sendable = rows.filter(
        (row) => row.status === "pending" && (retryAt.get(row.deviceId) ?? 0) <= now.getTime(),
      );
      for (let i = 0; i < sendable.length; i += this.opts.sendConcurrency) {
        checkAbort();
        await Promise.all(
          sendable.slice(i, i + this.opts.sendConcurrency).map((row) => this.send(job, row, commandType, now)),
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
          await ctx.db
            .update(jobDevices)
            .set({ status: "succeeded", finishedAt: state.completedAt ?? t })
            .where(eq(jobDevices.id, row.id));
          if (state.commandType.toUpperCase() === "UPDATE_CONFIG") await this.recordAppliedState(state, job.jobId);
          continue;
        }
        let failure: { code: string; message: string } | undefined;
        if (!state) failure = { code: ErrorCodes.commandFailed, message: "command disappeared" };
        else if (state.status === "failed")
          failure = { code: ErrorCodes.commandFailed, message: state.errorMessage ?? "device reported failure" };
        else if (state.status === "expired" || state.status === "cancelled")
          failure = { code: "COMMAND_TIMEOUT_001", message: state.errorMessage ?? `command ${state.status}` };
        else if (t.getTime() - state.createdAt.getTime() > this.opts.commandTimeoutMs) {
          timedOut.push(state.commandId);
          failure = {
            code: "COMMAND_TIMEOUT_001",
            message: `no result from the device within ${Math.round(this.opts.commandTimeoutMs / 1000)} s`,
          };
        }
        if (!failure) continue;
        const retry = row.attempts <= this.opts.maxRetries;
        if (retry) retryAt.set(row.deviceId, t.getTime() + this.opts.retryDelayMs);
        await ctx.db
          .update(jobDevices)
          .set(
            retry
              ? { status: "pending", errorCode: failure.code, errorMessage: failure.message }
              : {
                  status: "failed",
                  errorCode: failure.code,
                  errorMessage: failure.message.slice(0, 2000),
                  finishedAt: t,
                },
          )
          .where(eq(jobDevices.id, row.id));
      }
      await expireJobCommands(ctx, timedOut);

      const after = await listJobDevices(ctx.db, job.jobId, batchNo);
      if (after.every((r) => r.status !== "pending" && r.status !== "sent")) return "done";
      const nextRetry = Math.min(
        ...after.filter((r) => r.status === "pending").map((r) => retryAt.get(r.deviceId) ?? 0),
      );
      const waitMs =
        Number.isFinite(nextRetry) && nextRetry > 0 && after.every((r) => r.status !== "sent")
          ? Math.max(1, Math.min(this.opts.commandPollMs, nextRetry - ctx.clock.now().getTime()))
          : this.opts.commandPollMs;
      await this.sleep(waitMs);
    }
  }

  /** Takes one pending device (guarded) and queues its command; a refused command fails the device. */
  private async send(job: JobRow, row: JobDeviceRow, commandType: string, now: Date): Promise<void> {
    const ctx = this.ctx;
    // Take the device first (guarded), so even a racing instance never sends it twice.
    const [taken] = await ctx.db
      .update(jobDevices)
      .set({
        status: "sent",
        commandId: null,
        attempts: row.attempts + 1,
        startedAt: row.startedAt ?? now,
        errorCode: null,
        errorMessage: null,
      })
      .where(and(eq(jobDevices.id, row.id), eq(jobDevices.status, "pending")))
      .returning({ id: jobDevices.id });
    if (!taken) return;
    let commandId: string;
    try {
      commandId = await queueJobCommand(ctx, {
        deviceId: row.deviceId,
        commandType,
        payload: this.commandPayload(job),
        expiresAt: new Date(now.getTime() + this.opts.commandTimeoutMs),
        jobId: job.jobId,
      });
    } catch (error) {
      // The device was deleted since, or the command was refused: this device fails, the job goes on.
      if (!(error instanceof AppError)) throw error;
      await ctx.db
        .update(jobDevices)
        .set({
          status: "failed",
          attempts: row.attempts + 1,
          errorCode: error.code,
          errorMessage: error.message.slice(0, 2000),
          startedAt: row.startedAt ?? now,
          finishedAt: now,
        })
        .where(eq(jobDevices.id, row.id));
      return;
    }
    await ctx.db.update(jobDevices).set({ commandId }).where(eq(jobDevices.id, row.id));
  }

  private commandPayload(job: JobRow): Record<string, unknown> {
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

  private async recordApplied(commandId: string): Promise<void> {
    try {
      const state = (await readCommandStates(this.ctx.db, [commandId])).get(commandId);
      if (!state) return;
      await recordConfigApplied(this.ctx, state, { settleMs: this.opts.configSettleMs });
    } catch (error) {
      await logError(this.ctx, {
        category: "device",
        severity: "error",
        errorCode: ErrorCodes.commandFailed,
        message: `Could not record applied config: ${errMsg(error)}`,
        error,
        context: { command_id: commandId },
      });
    }
  }

  private async recordAppliedState(state: CommandState, jobId: string): Promise<void> {
    try {
      await recordConfigApplied(this.ctx, state, { settleMs: this.opts.configSettleMs });
    } catch (error) {
      await logError(this.ctx, {
        category: "device",
        severity: "error",
        errorCode: ErrorCodes.commandFailed,
        message: `Could not record applied config: ${errMsg(error)}`,
        error,
        deviceId: state.deviceId,
        context: { command_id: state.commandId, job_id: jobId },
      });
    }
  }

  private async isCancelled(job: JobRow): Promise<boolean> {
    const [row] = await this.ctx.db.select({ status: jobs.status }).from(jobs).where(eq(jobs.id, job.id)).limit(1);
    return row?.status === "cancelled";
  }

  private async cancelMessage(job: JobRow): Promise<string | null> {
    const [row] = await this.ctx.db.select({ m: jobs.errorMessage }).from(jobs).where(eq(jobs.id, job.id)).limit(1);
    return row?.m ?? "Cancelled";
  }

  private async pause(job: JobRow, ms: number, checkAbort: () => void): Promise<void> {
    const until = this.ctx.clock.now().getTime() + ms;
    while (this.ctx.clock.now().getTime() < until) {
      checkAbort();
      if (await this.isCancelled(job)) return;
      await this.sleep(Math.min(this.opts.commandPollMs, until - this.ctx.clock.now().getTime()));
    }
  }

  private async emergencyStop(
    job: JobRow,
    rows: JobDeviceRow[],
    batchNo: number,
    rate: number,
    threshold: number,
    siteKey: string | null,
  ): Promise<void> {
    const now = this.ctx.clock.now();
    const untouched = rows.filter((r) => r.status === "pending");
    await this.ctx.db
      .update(jobDevices)
      .set({
        status: "skipped",
        errorCode: ErrorCodes.jobEmergencyStop,
        errorMessage: "not attempted: emergency stop",
        finishedAt: now,
      })
      .where(and(eq(jobDevices.jobId, job.jobId), eq(jobDevices.status, "pending")));
    const done = rows.filter((r) => r.status === "succeeded" || r.status === "failed");
    const failed = done.filter((r) => r.status === "failed").length;
    const message =
      `Emergency stop after batch ${batchNo + 1}: error rate ${(rate * 100).toFixed(1)}% (${failed} of ${done.length} devices failed) ` +
      `exceeded the threshold of ${(threshold * 100).toFixed(1)}%; ${untouched.length} devices left untouched`;
    await recordAudit(this.ctx, {
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
    await logError(this.ctx, {
      category: "job",
      severity: "error",
      errorCode: ErrorCodes.jobEmergencyStop,
      message: `Job ${job.jobId}: ${message}`,
      context: {
        job_id: job.jobId,
        site_id: siteKey,
        segment: job.segment,
        batch: batchNo + 1,
        error_rate: rate,
        threshold,
      },
    });
    const ok = done.length - failed;
    await this.finish(job, await listJobDevices(this.ctx.db, job.jobId), {
      status: ok > 0 ? "partial" : "failed",
      errorCode: ErrorCodes.jobEmergencyStop,
      errorMessage: message,
      extra: { emergency_stop: true, stopped_after_batch: batchNo + 1, error_rate: rate, error_threshold: threshold },
    });
  }

  /** Writes the final status, the summary outcome and one outcome per failed device, in one transaction. */
  private async finish(job: JobRow, rows: JobDeviceRow[], f: Finish): Promise<void> {
    const now = this.ctx.clock.now();
    const siteKey =
      job.siteId === null ? null : ((await siteKeysById(this.ctx.db, [job.siteId])).get(job.siteId) ?? null);
    const startedAt = job.startedAt ?? now;
    const successful = rows.filter((r) => r.status === "succeeded").length;
    const failedRows = rows.filter((r) => r.status === "failed");
    const skipped = rows.filter((r) => r.status === "skipped").length;
    const cancelled = rows.filter((r) => r.status === "cancelled").length;
    const retries = rows.reduce((n, r) => n + Math.max(0, r.attempts - 1), 0);
    const initiatedBy = job.createdBy === null ? "system" : String(job.createdBy);
    await this.ctx.db.transaction(async (tx) => {
      const updated = await tx
        .update(jobs)
        .set({
          status: f.status,
          errorMessage: f.errorMessage,
          completedAt: now,
          updatedAt: now,
          claimedBy: null,
          heartbeatAt: null,
        })
        .where(
          and(eq(jobs.id, job.id), eq(jobs.claimedBy, this.instanceId), inArray(jobs.status, ["sent", "cancelled"])),
        )
        .returning({ id: jobs.id });
      if (updated.length === 0) throw new Aborted("claim lost before finishing");
      await tx.insert(jobOutcomes).values([
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
            instance: this.instanceId,
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
      await recordAudit(
        { ...this.ctx, db: tx },
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
      await logError(this.ctx, {
        category: "job",
        severity: "warning",
        errorCode: f.errorCode ?? ErrorCodes.jobFailed,
        message: `Job ${job.jobId} failed: ${f.errorMessage ?? "unknown"}`,
        context: { job_id: job.jobId, site_id: siteKey, segment: job.segment },
      });
    }
    this.ctx.logger.info({ jobId: job.jobId, status: f.status, successful, failed: failedRows.length }, "job finished");
  }

  private wake(): void {
    for (const w of this.wakers) w();
    this.wakers.clear();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.wakers.add(done);
    });
  }
}

function errMsg(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
