import type { Context } from "@homepot/core";
import type { FastifyInstance } from "fastify";
import { PeriodicTask } from "./periodic-task.ts";

/** Every 30 s: the alert rules that depend on time passing (offline or silent for N minutes, error rates). */
export class AlertSweepTask extends PeriodicTask {
  readonly name = "alert-sweep";

  constructor(intervalMs = 30_000) {
    super(intervalMs);
  }

  protected async sweep(_ctx: Context, app: FastifyInstance): Promise<void> {
    await app.alerts.sweep();
  }
}
