import type { Context } from "@homepot/core";
import { applyRetention } from "@homepot/core/analytics/apply-retention";
import { createHistoryPartitions } from "@homepot/core/analytics/create-history-partitions";
import { refreshRollups } from "@homepot/core/analytics/refresh-rollups";
import { refreshFleetActivity } from "@homepot/core/dashboard/fleet-activity";
import { updateStatistics } from "@homepot/db";
import type { FastifyInstance } from "fastify";
import { PeriodicTask } from "./periodic-task.ts";

/**
 * Keeps the rollups and the fleet activity behind the Overview's charts up to date (every minute), creates the day partitions of the time-series tables ahead and
 * applies HOMEPOT_RETENTION_DAYS (every hour, rollups first so no raw row is deleted before it has been aggregated)
 * and refreshes the planner's statistics
 * (every hour; the embedded database has no autovacuum). Uses the app's clock, so tests and
 * simulations can drive it.
 */
export class AnalyticsMaintenanceTask extends PeriodicTask {
  readonly name = "analytics-maintenance";
  private lastRetention = 0;
  private lastStatistics = 0;
  private retentionDays = 0;

  constructor(
    rollupEveryMs = 60_000,
    private readonly retentionEveryMs = 3600_000,
  ) {
    super(rollupEveryMs, true);
  }

  protected override configure(app: FastifyInstance): void {
    this.retentionDays = app.deps.config.retentionDays;
  }

  protected sweep(ctx: Context): Promise<void> {
    return this.maintain(ctx, this.retentionDays);
  }

  /** One pass: refresh rollups, then retention and statistics when they are due. */
  async maintain(ctx: Context, retentionDays: number): Promise<void> {
    const rollups = await refreshRollups(ctx);
    const activityBuckets = await refreshFleetActivity(ctx);
    ctx.logger.debug({ ...rollups, activityBuckets }, "rollups refreshed");
    const now = ctx.clock.now().getTime();
    if (now - this.lastRetention >= this.retentionEveryMs) {
      this.lastRetention = now;
      const created = await createHistoryPartitions(ctx, { retentionDays });
      if (Object.values(created).some((n) => n > 0)) ctx.logger.info({ created }, "history partitions created");
      const deleted = await applyRetention(ctx, { retentionDays, pauseMs: 20 });
      if (Object.values(deleted).some((n) => n > 0)) ctx.logger.info({ deleted }, "retention applied");
    }
    if (now - this.lastStatistics >= this.retentionEveryMs) {
      this.lastStatistics = now;
      await updateStatistics(ctx.db);
    }
  }
}
