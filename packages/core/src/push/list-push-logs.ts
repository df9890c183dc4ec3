import type { Context } from "../context.ts";
import { getDevice } from "../devices/get-device.ts";
import { listPushRows, type PushRow } from "./push.repository.ts";

/** A device's push history, newest first; a push past its TTL that was never acknowledged reads `expired`. */
export async function listPushLogs(ctx: Context, deviceId: string, q: { limit: number; offset: number }) {
  await getDevice(ctx, deviceId);
  const { rows, total } = await listPushRows(ctx.db, { deviceId, ...q });
  const now = ctx.clock.now().getTime();
  return { total, rows: rows.map((r) => presentPush(r, now)) };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentPush(r: PushRow & { createdByUsername?: string | null }, now: number) {
  return {
    message_id: r.messageId,
    device_id: r.deviceId,
    title: r.title,
    body: r.body,
    data: r.data,
    status: r.status === "sent" && r.expiresAt.getTime() <= now ? "expired" : r.status,
    created_by: r.createdBy,
    created_by_username: r.createdByUsername ?? null,
    sent_at: r.sentAt.toISOString(),
    expires_at: r.expiresAt.toISOString(),
    fetched_at: iso(r.fetchedAt),
    received_at: iso(r.receivedAt),
    acked_at: iso(r.ackedAt),
    latency_ms: r.latencyMs,
    error_message: r.errorMessage,
    acked_by: r.ackedBy,
  };
}
