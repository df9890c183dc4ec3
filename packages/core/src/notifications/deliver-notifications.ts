import type { Context } from "../context.ts";
import {
  type ChannelRow,
  type DeliveryRow,
  listChannelRows,
  listDueDeliveries,
  updateDeliveries,
} from "./channel.repository.ts";
import { getChannel } from "./manage-channels.ts";
import { backoffMs } from "./routing.ts";
import { render, sendToChannel } from "./senders.ts";
import type { SecretVault } from "./vault.ts";

export interface DeliveryReport {
  sent: number;
  failed: number;
  dead: number;
}

/** Opens a channel's secrets (an unreadable secret is a delivery failure, not a crash). */
export function channelSecrets(vault: SecretVault, ch: ChannelRow): Record<string, string> {
  return ch.secret ? vault.open(ch.secret) : {};
}

/**
 * Sends every due delivery: per channel one message, or one digest of all its due deliveries for a digest channel.
 * A failure is retried with backoff (30 s doubling, at most 1 h) and dead-lettered after the channel's max attempts.
 */
export async function deliverNotifications(ctx: Context, vault: SecretVault): Promise<DeliveryReport> {
  const now = ctx.clock.now();
  const due = await listDueDeliveries(ctx.db, now);
  const report: DeliveryReport = { sent: 0, failed: 0, dead: 0 };
  if (due.length === 0) return report;
  const channels = new Map((await listChannelRows(ctx.db)).map((c) => [c.id, c]));
  const byChannel = new Map<number, DeliveryRow[]>();
  for (const d of due) byChannel.set(d.channelId, [...(byChannel.get(d.channelId) ?? []), d]);
  for (const [channelId, rows] of byChannel) {
    const ch = channels.get(channelId);
    const groups = ch && ch.digestMinutes > 0 ? [rows] : rows.map((r) => [r]);
    for (const group of groups) await attempt(ctx, vault, ch, group, now, report);
  }
  return report;
}

async function attempt(
  ctx: Context,
  vault: SecretVault,
  ch: ChannelRow | undefined,
  group: DeliveryRow[],
  now: Date,
  report: DeliveryReport,
): Promise<void> {
  const ids = group.map((d) => d.id);
  try {
    if (!ch) throw new Error("channel deleted");
    if (!ch.enabled) throw new Error("channel disabled");
    const payloads = group.map((d) => d.payload as Record<string, unknown>);
    const event = group.length === 1 ? (group[0]?.event ?? "opened") : "digest";
    await sendToChannel(ch, channelSecrets(vault, ch), render(event, payloads), now);
    await updateDeliveries(ctx.db, ids, { status: "sent", sentAt: now, lastError: null });
    report.sent += group.length;
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    for (const d of group) {
      const attempts = d.attempts + 1;
      const dead = attempts >= (ch?.maxAttempts ?? 1);
      await updateDeliveries(ctx.db, [d.id], {
        attempts,
        lastError: message,
        status: dead ? "dead" : "retrying",
        nextAttemptAt: new Date(now.getTime() + backoffMs(attempts)),
      });
      if (dead) report.dead += 1;
      else report.failed += 1;
    }
    ctx.logger.warn({ channel: ch?.id, deliveries: ids, error: message }, "notification delivery failed");
  }
}

/** Sends a test message over a channel the caller administers now (not queued); says whether it went through. */
export async function sendTestNotification(
  ctx: Context,
  vault: SecretVault,
  channelId: number,
): Promise<{ delivered: boolean; error: string | null; channel: ChannelRow }> {
  const ch = await getChannel(ctx, channelId);
  const now = ctx.clock.now();
  const sample = {
    id: 0,
    title: `Test notification from HOMEPOT (${ch.name})`,
    message: "If you can read this, the channel works.",
    severity: "info",
    status: "open",
    kind: "test",
    device_id: null,
    site_id: null,
    created_at: now.toISOString(),
  };
  try {
    await sendToChannel(ch, channelSecrets(vault, ch), render("test", [sample]), now);
    return { delivered: true, error: null, channel: ch };
  } catch (error) {
    return {
      delivered: false,
      error: (error instanceof Error ? error.message : String(error)).slice(0, 500),
      channel: ch,
    };
  }
}
