import type { Context } from "@homepot/core";
import { escalateAlerts } from "@homepot/core/alerts/notify";
import { deliverNotifications } from "@homepot/core/notifications/deliver-notifications";
import type { FastifyInstance } from "fastify";
import { PeriodicTask } from "./periodic-task.ts";

/** Every 10 s: escalates unacknowledged alerts and sends the notifications that are due (retries, digests). */
export class NotificationTask extends PeriodicTask {
  readonly name = "notifications";

  constructor(intervalMs = 10_000) {
    super(intervalMs);
  }

  protected async sweep(ctx: Context, app: FastifyInstance): Promise<void> {
    await escalateAlerts(ctx);
    const r = await deliverNotifications(ctx, app.alertVault);
    if (r.sent + r.failed + r.dead > 0) ctx.logger.info(r, "notifications delivered");
  }
}
