import type { Context } from "@homepot/core";
import { detectAnomalies } from "@homepot/core/insights/detect-anomalies";
import { raiseRiskAlerts } from "@homepot/core/insights/raise-risk-alerts";
import { PeriodicTask } from "./periodic-task.ts";

/**
 * Runs the anomaly detectors every 5 minutes and the failure-risk assessment, so their alert rules raise (and
 * resolve) alerts without anyone asking. The first risk sweep assesses the whole fleet, the next ones only devices
 * with new data.
 */
export class AnomalyDetectionTask extends PeriodicTask {
  readonly name = "anomaly-detection";
  /** When the last failure-risk sweep began: the next one assesses only devices with data since then. */
  private riskSince: Date | undefined;

  constructor(intervalMs = 5 * 60_000) {
    super(intervalMs);
  }

  protected async sweep(ctx: Context): Promise<void> {
    const r = await detectAnomalies(ctx);
    if (r.anomalies.length > 0) ctx.logger.info({ anomalies: r.anomalies.length }, "anomalies detected");
    // A minute of overlap: a report being written as the last sweep began is not missed.
    const started = ctx.clock.now();
    const since = this.riskSince ? new Date(this.riskSince.getTime() - 60_000) : undefined;
    await raiseRiskAlerts(ctx, since ? { since } : {});
    this.riskSince = started;
  }
}
