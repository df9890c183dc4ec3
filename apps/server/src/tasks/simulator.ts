import { randomBytes } from "node:crypto";
import { ErrorCodes, logError } from "@homepot/core";
import { type SimulatedFleet, startSimulatedFleet } from "@homepot/core/simulator/start-simulated-fleet";
import type { FastifyInstance } from "fastify";
import { type BackgroundTask, taskContext } from "./background-task.ts";

/** The built-in fleet (HOMEPOT_SIMULATOR=on): HOMEPOT_SIMULATED_DEVICES demo POS terminals reporting every 30 s. */
export class SimulatorTask implements BackgroundTask {
  readonly name = "simulator";
  private handle: SimulatedFleet | undefined;
  private statsTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly devices: number,
    private readonly intervalMs = 30_000,
  ) {}

  async start(app: FastifyInstance): Promise<void> {
    const ctx = taskContext(app, this.name);
    try {
      // A new seed each start, so every demo run differs; it is logged to replay a run.
      const seed = randomBytes(4).readUInt32LE(0);
      ctx.logger.info({ seed }, "simulator seed");
      this.handle = await startSimulatedFleet(ctx, {
        devices: this.devices,
        intervalMs: this.intervalMs,
        seed,
        metricsWriter: app.metricsWriter,
        releases: app.releaseStore,
      });
    } catch (error) {
      // The server stays up without its demo fleet; the reason is in error_logs.
      await logError(ctx, {
        category: "system",
        severity: "error",
        errorCode: ErrorCodes.system,
        message: `simulator failed to start: ${(error as Error).message}`,
        error,
      });
      return;
    }
    this.handle.fleet.start();
    ctx.logger.info({ devices: this.handle.fleet.size, interval_ms: this.intervalMs }, "simulated fleet started");
    // Every 5 minutes: pick up schedule edits, and say how the fleet keeps up.
    this.statsTimer = setInterval(() => {
      const s = this.handle?.fleet.stats();
      if (s)
        ctx.logger.info(
          {
            reports: s.reportsSent,
            failed: s.reportsFailed,
            lag_p99_ms: Math.round(s.lagP99Ms),
            commands: s.commandsStarted,
          },
          "simulator stats",
        );
      void this.handle
        ?.reloadSchedules()
        .catch((error: unknown) => ctx.logger.warn({ err: error }, "simulator: schedule reload failed"));
    }, 5 * 60_000);
    this.statsTimer.unref();
  }

  async stop(): Promise<void> {
    if (this.statsTimer) clearInterval(this.statsTimer);
    await this.handle?.stop();
    this.handle = undefined;
  }
}
