import { alerts, notificationChannels } from "@homepot/db";
import { and, eq, gt, isNull, lte } from "drizzle-orm";
import type { Context } from "../context.ts";
import { type AlertSnapshot, enqueueNotifications } from "../notifications/enqueue-notifications.ts";
import type { AlertRow } from "./alert.repository.ts";

function snapshot(a: AlertRow): AlertSnapshot {
  return {
    id: a.id,
    title: a.title,
    message: a.message,
    severity: a.severity,
    status: a.status,
    kind: a.kind,
    device_id: a.deviceId,
    site_id: a.siteId,
    created_at: a.createdAt.toISOString(),
  };
}

/** Queues the notifications of an alert that opened or resolved (routing decides which channels). */
export async function notifyAlertChange(ctx: Context, alert: AlertRow, event: "opened" | "resolved"): Promise<void> {
  await enqueueNotifications(ctx, snapshot(alert), event);
}

/**
 * Escalation: an alert still open (nobody acknowledged it) longer than the shortest escalate_after_minutes of the
 * channels is sent again, as escalated, to every channel whose escalation time has passed by then; once per alert.
 */
export async function escalateAlerts(ctx: Context): Promise<number> {
  const channels = await ctx.db
    .select()
    .from(notificationChannels)
    .where(gt(notificationChannels.escalateAfterMinutes, 0));
  if (channels.length === 0) return 0;
  const now = ctx.clock.now().getTime();
  const shortest = Math.min(...channels.map((c) => c.escalateAfterMinutes));
  const due = await ctx.db
    .select()
    .from(alerts)
    .where(
      and(
        eq(alerts.status, "open"),
        isNull(alerts.escalatedAt),
        lte(alerts.createdAt, new Date(now - shortest * 60_000)),
      ),
    )
    .limit(500);
  let sent = 0;
  for (const a of due) {
    const ready = channels.filter((c) => a.createdAt.getTime() <= now - c.escalateAfterMinutes * 60_000);
    sent += await enqueueNotifications(ctx, snapshot(a), "escalated", ready);
    await ctx.db
      .update(alerts)
      .set({ escalatedAt: new Date(now) })
      .where(eq(alerts.id, a.id));
  }
  return sent;
}
