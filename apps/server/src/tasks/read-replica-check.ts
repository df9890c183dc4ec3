import type { Context } from "@homepot/core";
import type { FastifyInstance } from "fastify";
import { PeriodicTask } from "./periodic-task.ts";

/**
 * Checks the read replica every 2 s (up? how far behind?), so lag-tolerant reads move to the primary when it is
 * down or lagging beyond HOMEPOT_READ_MAX_LAG_S and back when it has caught up; logs each change.
 */
export class ReadReplicaCheckTask extends PeriodicTask {
  readonly name = "read-replica-check";

  constructor(everyMs = 2000) {
    super(everyMs, true);
  }

  protected async sweep(ctx: Context, app: FastifyInstance): Promise<void> {
    const before = app.reads.status.state;
    const now = await app.reads.check();
    if (now.state === before) return;
    const to = now.state === "ok" ? "replica" : "primary";
    ctx.logger.warn(
      { state: now.state, lag_s: now.lagS, error: now.error },
      `read replica ${now.state}: reads go to the ${to}`,
    );
  }
}
