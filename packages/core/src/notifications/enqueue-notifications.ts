import type { Context } from "../context.ts";
import { type ChannelRow, insertDeliveries, listChannelRows } from "./channel.repository.ts";
import { channelTakes, releaseTime } from "./routing.ts";

/** The alert as a notification carries it. */
export interface AlertSnapshot {
  id: number;
  title: string;
  message: string | null;
  severity: string;
  status: string;
  kind: string;
  device_id: string | null;
  site_id: string | null;
  created_at: string;
}

/**
 * Queues one delivery per channel that takes the alert (severity, site), released at once or after the channel's
 * quiet hours / at its next digest slot; the notification task sends them. `only` limits it to some channels.
 */
export async function enqueueNotifications(
  ctx: Context,
  alert: AlertSnapshot,
  event: "opened" | "resolved" | "escalated",
  only?: readonly ChannelRow[],
): Promise<number> {
  const now = ctx.clock.now();
  const channels = (only ?? (await listChannelRows(ctx.db))).filter((ch) =>
    channelTakes(ch, { severity: alert.severity, siteId: alert.site_id }),
  );
  const rows = await insertDeliveries(
    ctx.db,
    channels.map((ch) => ({
      channelId: ch.id,
      alertId: alert.id,
      event,
      payload: { ...alert, event },
      status: "pending",
      nextAttemptAt: releaseTime(ch, now),
      createdAt: now,
    })),
  );
  return rows.length;
}
