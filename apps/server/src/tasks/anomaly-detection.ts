import type { Context } from "@homepot/core";
import { raiseRiskAlerts } from "@homepot/core/insights/raise-risk-alerts";
import { PeriodicTask } from "./periodic-task.ts";

/**
 * Runs the failure-risk assessment every 5 minutes, so the failure-risk rules raise (and resolve) alerts without
 * anyone asking: the first sweep assesses the whole fleet, the next ones only devices with new data. (The anomaly
 * rules no longer need a sweep: the alert engine feeds every metrics sample to the live detector as it arrives.)
 */
export class AnomalyDetectionTask extends PeriodicTask {
  readonly name = "anomaly-detection";
  /** When the last failure-risk sweep began: the next one assesses only devices with data since then. */
  private riskSince: Date | undefined;

  constructor(intervalMs = 5 * 60_000) {
    super(intervalMs);
  }

  protected async sweep(ctx: Context): Promise<void> {
    // A minute of overlap: a report being written as the last sweep began is not missed.
    const started = ctx.clock.now();
    const since = this.riskSince ? new Date(this.riskSince.getTime() - 60_000) : undefined;
    await raiseRiskAlerts(ctx, since ? { since } : {});
    this.riskSince = started;
  }
}
