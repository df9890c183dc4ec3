import { type Context, ErrorCodes, logError } from "@homepot/core";
import { expireCommands } from "@homepot/core/commands/expire-commands";
import type { FastifyInstance } from "fastify";
import type { BackgroundTask } from "../background.ts";

/** Sweeps overdue commands to `expired` (polls also expire them for the polling device). */
export class CommandExpiryTask implements BackgroundTask {
  readonly name = "command-expiry";
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly intervalMs = 30_000) {}

  start(app: FastifyInstance): void {
    const ctx: Context = {
      db: app.deps.database.db,
      actor: { kind: "system", name: "command-expiry" },
      clock: app.deps.clock,
      logger: app.log.child({ task: this.name }),
    };
    const tick = () => {
      if (this.running) return;
      this.running = expireCommands(ctx)
        .then((n) => {
          if (n > 0) ctx.logger.info({ expired: n }, "commands expired");
        })
        .catch((error: unknown) =>
          logError(ctx, {
            category: "system",
            severity: "error",
            errorCode: ErrorCodes.system,
            message: `command expiry sweep failed: ${(error as Error).message}`,
            error,
          }).then(() => {}),
        )
        .finally(() => {
          this.running = undefined;
        });
    };
    this.timer = setInterval(tick, this.intervalMs);
    this.timer.unref();
    tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
