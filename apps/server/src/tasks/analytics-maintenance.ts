import { type Context, ErrorCodes, logError } from "@homepot/core";
import { applyRetention } from "@homepot/core/analytics/apply-retention";
import { refreshRollups } from "@homepot/core/analytics/refresh-rollups";
import type { FastifyInstance } from "fastify";
import type { BackgroundTask } from "../background.ts";

/**
 * Keeps the rollups up to date (every minute) and applies HOMEPOT_RETENTION_DAYS (every hour, rollups
 * first so no raw row is deleted before it has been aggregated). Uses the app's clock, so tests and
 * simulations can drive it.
 */
export class AnalyticsMaintenanceTask implements BackgroundTask {
  readonly name = "analytics-maintenance";
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private lastRetention = 0;

  constructor(
    private readonly rollupEveryMs = 60_000,
    private readonly retentionEveryMs = 3600_000,
  ) {}

  start(app: FastifyInstance): void {
    const ctx: Context = {
      db: app.deps.database.db,
      actor: { kind: "system", name: this.name },
      clock: app.deps.clock,
      logger: app.log.child({ task: this.name }),
    };
    const retentionDays = app.deps.config.retentionDays;
    const tick = () => {
      if (this.running) return;
      this.running = this.runOnce(ctx, retentionDays)
        .catch((error: unknown) =>
          logError(ctx, {
            category: "system",
            severity: "error",
            errorCode: ErrorCodes.system,
            message: `analytics maintenance failed: ${(error as Error).message}`,
            error,
          }).then(() => {}),
        )
        .finally(() => {
          this.running = undefined;
        });
    };
    this.timer = setInterval(tick, this.rollupEveryMs);
    this.timer.unref();
    tick();
  }

  /** One pass: refresh rollups, then retention when it is due. */
  async runOnce(ctx: Context, retentionDays: number): Promise<void> {
    const rollups = await refreshRollups(ctx);
    ctx.logger.debug(rollups, "rollups refreshed");
    const now = ctx.clock.now().getTime();
    if (now - this.lastRetention >= this.retentionEveryMs) {
      this.lastRetention = now;
      const deleted = await applyRetention(ctx, { retentionDays, pauseMs: 20 });
      if (Object.values(deleted).some((n) => n > 0)) ctx.logger.info({ deleted }, "retention applied");
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
