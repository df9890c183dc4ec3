import { recordAudit } from "../audit/record-audit.ts";
import { acknowledgePush } from "../commands/acknowledge-push.ts";
import { findCommandDevice } from "../commands/command.repository.ts";
import type { Context } from "../context.ts";
import { ConflictError, ForbiddenError, ValidationError } from "../errors.ts";
import { parseTime } from "../telemetry/ingest-metrics.ts";
import { findPush, updatePush } from "./push.repository.ts";

export interface PushAckInput {
  message_id: string;
  device_id: string;
  status: string;
  received_at?: string | null;
  error_message?: string | null;
}

/**
 * `POST /push/ack`: the device (its key) or, for the original's tools, an operator (their token; audited as
 * acknowledged by that user) says a push arrived (delivered, with the latency from sent_at to received_at) or
 * failed. A device acks only its own pushes (403). A message id that is a command id is a command nudge's ack.
 */
export async function recordPushAck(ctx: Context, input: PushAckInput): Promise<{ matched: boolean; kind: string }> {
  const actor = ctx.actor;
  if (actor.kind === "device" && input.device_id !== actor.deviceId)
    throw new ForbiddenError("device_id does not match the authenticated device");
  const push = await findPush(ctx.db, input.message_id);
  if (!push) {
    if (actor.kind !== "device") return { matched: false, kind: "unknown" };
    const { matched } = await acknowledgePush(ctx, actor.deviceId, input);
    return { matched, kind: "command" };
  }
  if (push.deviceId !== input.device_id) throw new ForbiddenError("message_id is a push to another device");
  const status = input.status.toLowerCase();
  if (status !== "delivered" && status !== "failed" && status !== "received")
    throw new ValidationError("status must be delivered or failed", "status");
  const final = status === "failed" ? "failed" : "delivered";
  if (push.status === "delivered" || push.status === "failed") {
    if (push.status === final) return { matched: true, kind: "push" };
    throw new ConflictError(`Push ${push.messageId} is already ${push.status}`);
  }
  const now = ctx.clock.now();
  const receivedAt = input.received_at ? parseTime(input.received_at, "received_at", now) : now;
  const by = actor.kind === "user" ? String(actor.userId) : actor.kind === "device" ? actor.deviceId : "system";
  await ctx.db.transaction(async (tx) => {
    await updatePush(tx, push.id, {
      status: final,
      receivedAt,
      ackedAt: now,
      latencyMs: Math.max(0, receivedAt.getTime() - push.sentAt.getTime()),
      errorMessage: final === "failed" ? (input.error_message ?? "no reason given") : null,
      ackedBy: by,
    });
    const device = await findCommandDevice(tx, push.deviceId);
    await recordAudit(
      ctx,
      {
        eventType: final === "failed" ? "push_failed" : "push_delivered",
        description: `Push ${push.messageId} to ${push.deviceId} ${final}${actor.kind === "user" ? ` (acknowledged by ${actor.username})` : ""}`,
        deviceId: device?.id ?? null,
        metadata: { message_id: push.messageId, acked_by: by, error_message: input.error_message ?? null },
      },
      tx,
    );
  });
  return { matched: true, kind: "push" };
}
