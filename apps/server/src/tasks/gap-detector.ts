import { type Context, ErrorCodes, logError } from "@homepot/core";
import { detectCollectionGaps } from "@homepot/core/devices/detect-collection-gaps";
import type { FastifyInstance } from "fastify";
import type { BackgroundTask } from "../background.ts";

/** Marks devices offline after HOMEPOT_OFFLINE_AFTER_S of silence (checked every fifth of it, at most every 30 s). */
export class GapDetectorTask implements BackgroundTask {
  readonly name = "gap-detector";
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private ctx: Context | undefined;
  private offlineAfterS = 300;

  start(app: FastifyInstance): void {
    this.offlineAfterS = app.deps.config.offlineAfterS;
    this.ctx = {
      db: app.deps.database.db,
      actor: { kind: "system", name: this.name },
      clock: app.deps.clock,
      logger: app.log.child({ task: this.name }),
    };
    const intervalMs = Math.min(30_000, Math.max(1_000, (this.offlineAfterS * 1000) / 5));
    this.timer = setInterval(() => void this.runOnce(), intervalMs);
    this.timer.unref();
  }

  /** One sweep (tests call it directly with their own clock). */
  runOnce(): Promise<void> {
    const ctx = this.ctx;
    if (!ctx || this.running) return this.running ?? Promise.resolve();
    this.running = detectCollectionGaps(ctx, this.offlineAfterS)
      .then((gaps) => {
        if (gaps.length > 0) ctx.logger.info({ offline: gaps.length }, "devices went offline (collection gap)");
      })
      .catch((error: unknown) =>
        logError(ctx, {
          category: "system",
          severity: "error",
          errorCode: ErrorCodes.system,
          message: `gap detector sweep failed: ${(error as Error).message}`,
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
