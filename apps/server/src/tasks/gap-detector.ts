import type { Context } from "@homepot/core";
import { detectCollectionGaps } from "@homepot/core/devices/detect-collection-gaps";
import type { FastifyInstance } from "fastify";
import { PeriodicTask } from "./periodic-task.ts";

/** Marks devices offline after HOMEPOT_OFFLINE_AFTER_S of silence (checked every fifth of it, at most every 30 s). */
export class GapDetectorTask extends PeriodicTask {
  readonly name = "gap-detector";
  private offlineAfterS = 300;

  constructor() {
    super(30_000);
  }

  protected override configure(app: FastifyInstance): void {
    this.offlineAfterS = app.deps.config.offlineAfterS;
    this.intervalMs = Math.min(30_000, Math.max(1_000, (this.offlineAfterS * 1000) / 5));
  }

  protected async sweep(ctx: Context): Promise<void> {
    const gaps = await detectCollectionGaps(ctx, this.offlineAfterS);
    if (gaps.length > 0) ctx.logger.info({ offline: gaps.length }, "devices went offline (collection gap)");
  }
}
