import type { Context } from "../context.ts";

/** The knobs of one job run (a subset of the orchestrator's options). */
export interface JobRunOptions {
  /** How often to re-read command results while waiting (a finished event wakes earlier). */
  commandPollMs: number;
  /** How long one device command may take before it counts as failed (timeout). */
  commandTimeoutMs: number;
  /** Commands queued in parallel while sending a batch. */
  sendConcurrency: number;
  /** Extra attempts per device after a failure or timeout. */
  maxRetries: number;
  retryDelayMs: number;
}

/** What running one claimed job needs from the orchestrator that claimed it. */
export interface JobRun {
  ctx: Context;
  /** The claiming instance; every final write is guarded by `claimed_by = instanceId`. */
  instanceId: string;
  options: JobRunOptions;
  /** Throws JobAborted when the orchestrator stops or the claim was lost. */
  checkAbort(): void;
  /** Waits `ms`, or less when a command of this job finishes. */
  sleep(ms: number): Promise<void>;
}

/** The run stops here and the job stays `sent`: another instance (or this one, later) resumes it. */
export class JobAborted extends Error {}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
