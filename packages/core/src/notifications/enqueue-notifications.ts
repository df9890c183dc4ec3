import type { Context } from "../context.ts";
import { type ChannelRow, findSiteTimezone, insertDeliveries, listChannelRows } from "./channel.repository.ts";
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
 * quiet hours (in its time zone, else the site's) / at its next digest slot; the notification task sends them. `only` limits it to some channels.
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
  // Quiet hours without a zone of their own follow the wall clock of the alert's site.
  const siteZone =
    alert.site_id && channels.some((ch) => ch.quietStart && !ch.quietTimezone)
      ? await findSiteTimezone(ctx.db, alert.site_id)
      : null;
  const rows = await insertDeliveries(
    ctx.db,
    channels.map((ch) => ({
      channelId: ch.id,
      alertId: alert.id,
      event,
      payload: { ...alert, event },
      status: "pending",
      nextAttemptAt: releaseTime(ch, now, siteZone),
      createdAt: now,
    })),
  );
  return rows.length;
}
