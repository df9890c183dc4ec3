import type { Context } from "@homepot/core";
import { detectAnomalies } from "@homepot/core/insights/detect-anomalies";
import { raiseRiskAlerts } from "@homepot/core/insights/raise-risk-alerts";
import { PeriodicTask } from "./periodic-task.ts";

/** Runs the anomaly detectors every 5 minutes and the failure-risk
 * assessment, so their alert rules raise (and resolve) alerts without anyone asking. */
export class AnomalyDetectionTask extends PeriodicTask {
  readonly name = "anomaly-detection";

  constructor(intervalMs = 5 * 60_000) {
    super(intervalMs);
  }

  protected async sweep(ctx: Context): Promise<void> {
    const r = await detectAnomalies(ctx);
    if (r.anomalies.length > 0) ctx.logger.info({ anomalies: r.anomalies.length }, "anomalies detected");
    await raiseRiskAlerts(ctx);
  }
}
