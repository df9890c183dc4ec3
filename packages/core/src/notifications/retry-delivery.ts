import type { DeliveryStatusValue } from "@homepot/contracts/notifications";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import {
  type DeliveryRow,
  findDelivery,
  listChannelRows,
  listDeliveryRows,
  updateDeliveries,
} from "./channel.repository.ts";
import { channelsSeen, getChannel } from "./manage-channels.ts";

/** The deliveries of the channels the caller administers. */
export async function listDeliveries(
  ctx: Context,
  f: { channelId?: number; status?: DeliveryStatusValue; limit: number; offset: number },
): Promise<DeliveryRow[]> {
  const seen = channelsSeen(ctx);
  const channelIds = seen && (await listChannelRows(ctx.db)).filter(seen).map((ch) => ch.id);
  return listDeliveryRows(ctx.db, { ...f, ...(channelIds ? { channelIds } : {}) });
}

/** Puts a dead-lettered delivery back in the queue (attempts start again). */
export async function retryDelivery(ctx: Context, id: number): Promise<DeliveryRow> {
  const d = await findDelivery(ctx.db, id);
  if (!d) throw new NotFoundError(`Delivery ${id} not found`);
  // A delivery of a channel the caller does not administer is not theirs to know of.
  await getChannel(ctx, d.channelId).catch((error: unknown) => {
    throw error instanceof NotFoundError ? new NotFoundError(`Delivery ${id} not found`) : error;
  });
  if (d.status !== "dead") throw new ConflictError(`Delivery ${id} is ${d.status}, not dead`);
  await updateDeliveries(ctx.db, [id], { status: "pending", attempts: 0, nextAttemptAt: ctx.clock.now() });
  await recordAudit(ctx, {
    eventType: "notification_retried",
    description: `Dead notification ${id} queued again`,
    metadata: { delivery_id: id, channel_id: d.channelId, alert_id: d.alertId },
  });
  return (await findDelivery(ctx.db, id)) as DeliveryRow;
}
