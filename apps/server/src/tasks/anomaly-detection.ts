import type { Context } from "@homepot/core";
import { detectAnomalies } from "@homepot/core/insights/detect-anomalies";
import { PeriodicTask } from "./periodic-task.ts";

/** Runs the anomaly detectors every 5 minutes so alerts are raised (and kept up to date) without anyone asking. */
export class AnomalyDetectionTask extends PeriodicTask {
  readonly name = "anomaly-detection";

  constructor(intervalMs = 5 * 60_000) {
    super(intervalMs);
  }

  protected async sweep(ctx: Context): Promise<void> {
    const r = await detectAnomalies(ctx);
    if (r.anomalies.length > 0) ctx.logger.info({ anomalies: r.anomalies.length }, "anomalies detected");
  }
}
