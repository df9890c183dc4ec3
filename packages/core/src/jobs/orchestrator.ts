import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { commandBus } from "../commands/command-bus.ts";
import type { Context } from "../context.ts";
import { ErrorCodes, logError } from "../errors-log/log-error.ts";
import { finishJob } from "./finish-job.ts";
import {
  claimDueJob,
  type JobRow,
  listJobDevices,
  releaseFailedJobRun,
  releaseJobClaims,
  touchJobHeartbeat,
} from "./job.repository.ts";
import { errorText, JobAborted, type JobRun, type JobRunOptions } from "./job-run.ts";
import { runJob } from "./run-job.ts";

export interface OrchestratorOptions extends JobRunOptions {
  /** Name of this instance in jobs.claimed_by (default host:pid:random). */
  instanceId?: string;
  /** How often to look for due jobs. */
  pollIntervalMs: number;
  heartbeatMs: number;
  /** A running job whose heartbeat is older than this belongs to a dead instance and is resumed. */
  staleAfterMs: number;
  /** Claims of one job (first run + resumes) after which it is marked failed instead of resumed. */
  maxClaims: number;
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
};

/**
 * Runs jobs: claims a due job (`claimDueJob`, SKIP LOCKED, so instances sharing PostgreSQL never run one
 * twice), keeps its heartbeat fresh while `runJob` drives it, and releases it when the run fails or the
 * instance stops. State lives in jobs/job_devices/device_commands, so a job left by a dead instance
 * (stale heartbeat) is resumed where it stopped. Config changes are closed by the config-change watcher.
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

  constructor(ctx: Context, options: Partial<OrchestratorOptions> = {}) {
    this.opts = { ...defaultOrchestratorOptions, ...options };
    this.instanceId = this.opts.instanceId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
    this.ctx = { ...ctx, actor: { kind: "system", name: "orchestrator" } };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.abort = false;
    // Results are read from device_commands; a finished command of the running job only wakes the wait early.
    this.unsubscribe = commandBus.on("finished", (event) => {
      if (event.jobId && event.jobId === this.currentJob) this.wake();
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
      await releaseJobClaims(this.ctx.db, this.instanceId).catch((error: unknown) =>
        this.ctx.logger.warn({ err: error }, "could not release claimed jobs"),
      );
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
          message: `Orchestrator tick failed: ${errorText(error)}`,
          error,
        });
      }
      if (!worked && this.running) await this.sleep(this.opts.pollIntervalMs);
    }
  }

  /** One round: claim and run one due job. True when a job ran. */
  async tick(): Promise<boolean> {
    const now = this.ctx.clock.now();
    const job = await claimDueJob(this.ctx.db, this.instanceId, now, new Date(now.getTime() - this.opts.staleAfterMs));
    if (!job) return false;
    await this.runClaimed(job);
    return true;
  }

  private async runClaimed(job: JobRow): Promise<void> {
    const ctx = this.ctx;
    this.currentJob = job.jobId;
    let lost = false;
    const heartbeat = setInterval(() => {
      void touchJobHeartbeat(ctx.db, job.id, this.instanceId, ctx.clock.now())
        .then((held) => {
          if (!held) lost = true;
        })
        .catch(() => {});
    }, this.opts.heartbeatMs);
    const run: JobRun = {
      ctx,
      instanceId: this.instanceId,
      options: this.opts,
      checkAbort: () => {
        if (this.abort || lost) throw new JobAborted(lost ? "claim lost" : "orchestrator stopping");
      },
      sleep: (ms) => this.sleep(ms),
    };
    try {
      if (job.attempts > this.opts.maxClaims) {
        await finishJob(run, job, await listJobDevices(ctx.db, job.jobId), {
          status: "failed",
          errorCode: ErrorCodes.jobFailed,
          errorMessage: `Abandoned: the job was interrupted ${job.attempts - 1} times (instance stopped or died mid-job)`,
        });
        return;
      }
      await runJob(run, job);
    } catch (error) {
      if (error instanceof JobAborted) {
        ctx.logger.info({ jobId: job.jobId, reason: error.message }, "job paused; it will be resumed");
        return;
      }
      ctx.logger.error({ err: error, jobId: job.jobId }, "job run failed");
      await logError(ctx, {
        category: "job",
        severity: "error",
        errorCode: ErrorCodes.jobFailed,
        message: `Job ${job.jobId} run failed: ${errorText(error)}`,
        error,
        context: { job_id: job.jobId, attempt: job.attempts },
      });
      // Release it so it is retried (up to maxClaims) rather than lost.
      await releaseFailedJobRun(
        ctx.db,
        job.id,
        this.instanceId,
        `Run ${job.attempts} failed: ${errorText(error)}`,
      ).catch(() => {});
    } finally {
      clearInterval(heartbeat);
      this.currentJob = undefined;
    }
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
