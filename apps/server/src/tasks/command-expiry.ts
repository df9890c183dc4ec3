import type { Context } from "@homepot/core";
import { expireCommands } from "@homepot/core/commands/expire-commands";
import { PeriodicTask } from "./periodic-task.ts";

/** Sweeps overdue commands to `expired` (polls also expire them for the polling device). */
export class CommandExpiryTask extends PeriodicTask {
  readonly name = "command-expiry";

  constructor(intervalMs = 30_000) {
    super(intervalMs, true);
  }

  protected async sweep(ctx: Context): Promise<void> {
    const n = await expireCommands(ctx);
    if (n > 0) ctx.logger.info({ expired: n }, "commands expired");
  }
}
