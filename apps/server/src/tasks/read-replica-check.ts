import type { ReadRouter } from "@homepot/db";
import type { FastifyInstance } from "fastify";
import { PeriodicTask } from "./periodic-task.ts";

/**
 * Checks the read replica every 2 s (up? how far behind?), so lag-tolerant reads move to the primary when it is
 * down or lagging beyond HOMEPOT_READ_MAX_LAG_S and back when it has caught up; logs each change.
 */
export class ReadReplicaCheckTask extends PeriodicTask {
  readonly name = "read-replica-check";
  private reads: ReadRouter | undefined;

  constructor(everyMs = 2000) {
    super(everyMs, true);
  }

  protected override configure(app: FastifyInstance): void {
    this.reads = app.reads;
  }

  protected async sweep(): Promise<void> {
    if (!this.reads) return;
    const before = this.reads.status.state;
    const now = await this.reads.check();
    if (now.state === before) return;
    const to = now.state === "ok" ? "replica" : "primary";
    this.ctx?.logger.warn(
      { state: now.state, lag_s: now.lagS, error: now.error },
      `read replica ${now.state}: reads go to the ${to}`,
    );
  }
}
