import type { Context } from "@homepot/core";
import type { FastifyInstance } from "fastify";
import { PeriodicTask } from "./periodic-task.ts";

/**
 * Runs the failure-risk assessment every 5 minutes, so the failure-risk rules raise (and resolve) alerts without
 * anyone asking: the first sweep assesses the whole fleet, the next ones only devices with new data. (The anomaly
 * rules no longer need a sweep: the alert engine feeds every metrics sample to the live detector as it arrives.)
 * The sweep runs where the app runs its whole-fleet insights (the helper process on PostgreSQL).
 */
export class AnomalyDetectionTask extends PeriodicTask {
  readonly name = "anomaly-detection";
  /** When the last failure-risk sweep began: the next one assesses only devices with data since then. */
  private riskSince: Date | undefined;

  constructor(intervalMs = 5 * 60_000) {
    super(intervalMs);
  }

  protected async sweep(ctx: Context, app: FastifyInstance): Promise<void> {
    // A minute of overlap: a report being written as the last sweep began is not missed.
    const started = ctx.clock.now();
    const since = this.riskSince ? new Date(this.riskSince.getTime() - 60_000) : undefined;
    const options = since ? { since } : {};
    await app.insights.run("riskSweep", ctx, options);
    this.riskSince = started;
  }
}
