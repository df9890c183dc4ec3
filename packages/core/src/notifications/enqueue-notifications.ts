import type { Context } from "../context.ts";
import { findTenantOfAlert } from "../tenants/owned-objects.ts";
import { type ChannelRow, findSiteTimezone, insertDeliveries, listChannelRows } from "./channel.repository.ts";
import { channelTakes, releaseTime, usesLocalTime } from "./routing.ts";

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
 * Queues one delivery per channel that takes the alert (tenant, severity, site), released at once or after the
 * channel's quiet hours / at its next digest slot (in its time zone, else the site's); the notification task sends
 * them. `only` limits it to some channels.
 */
export async function enqueueNotifications(
  ctx: Context,
  alert: AlertSnapshot,
  event: "opened" | "resolved" | "escalated",
  only?: readonly ChannelRow[],
): Promise<number> {
  const now = ctx.clock.now();
  const candidates = only ?? (await listChannelRows(ctx.db));
  // The alert's tenant is looked up only when a tenant's channel could take it (platform channels take everything).
  const tenantId = candidates.some((ch) => ch.tenantId !== null)
    ? await findTenantOfAlert(ctx, { siteId: alert.site_id, deviceId: alert.device_id })
    : undefined;
  const channels = candidates.filter((ch) =>
    channelTakes(ch, { severity: alert.severity, siteId: alert.site_id, ...(tenantId ? { tenantId } : {}) }),
  );
  // Quiet hours and digests without a zone of their own follow the wall clock of the alert's site.
  const siteZone =
    alert.site_id && channels.some((ch) => usesLocalTime(ch) && !ch.timezone)
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
