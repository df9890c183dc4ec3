import { type Context, ErrorCodes, logError } from "@homepot/core";
import { detectAnomalies } from "@homepot/core/insights/detect-anomalies";
import type { FastifyInstance } from "fastify";
import type { BackgroundTask } from "../background.ts";

/** Runs the anomaly detectors every 5 minutes so alerts are raised (and kept up to date) without anyone asking. */
export class AnomalyDetectionTask implements BackgroundTask {
  readonly name = "anomaly-detection";
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private ctx: Context | undefined;

  constructor(private readonly intervalMs = 5 * 60_000) {}

  start(app: FastifyInstance): void {
    this.ctx = {
      db: app.deps.database.db,
      actor: { kind: "system", name: this.name },
      clock: app.deps.clock,
      logger: app.log.child({ task: this.name }),
    };
    this.timer = setInterval(() => void this.runOnce(), this.intervalMs);
    this.timer.unref();
  }

  /** One sweep (tests call it directly). */
  runOnce(): Promise<void> {
    const ctx = this.ctx;
    if (!ctx || this.running) return this.running ?? Promise.resolve();
    this.running = detectAnomalies(ctx)
      .then((r) => {
        if (r.anomalies.length > 0) ctx.logger.info({ anomalies: r.anomalies.length }, "anomalies detected");
      })
      .catch((error: unknown) =>
        logError(ctx, {
          category: "system",
          severity: "error",
          errorCode: ErrorCodes.system,
          message: `anomaly detection sweep failed: ${(error as Error).message}`,
          error,
        }).then(() => {}),
      )
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
