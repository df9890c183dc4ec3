import { randomUUID } from "node:crypto";
import { recordAudit } from "../audit/record-audit.ts";
import { findCommandDevice } from "../commands/command.repository.ts";
import { actorLabel, type Context } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { insertPush, type PushRow } from "./push.repository.ts";

export interface SendPushInput {
  deviceId: string;
  title: string;
  body: string;
  data?: Record<string, unknown> | null;
  ttlS: number;
}

/** An operator pushes a notification to an active device: stored `sent`, picked up by the device, audited. */
export async function sendPush(ctx: Context, input: SendPushInput): Promise<PushRow> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const device = await findCommandDevice(tx, input.deviceId);
    if (!device?.isActive) throw new NotFoundError("Device not found");
    const row = await insertPush(tx, {
      messageId: randomUUID(),
      deviceId: device.deviceId,
      title: input.title,
      body: input.body,
      data: input.data ?? null,
      ttlS: input.ttlS,
      status: "sent",
      createdBy: actorLabel(ctx.actor),
      sentAt: now,
      expiresAt: new Date(now.getTime() + input.ttlS * 1000),
    });
    await recordAudit(
      ctx,
      {
        eventType: "push_sent",
        description: `Push ${row.messageId} sent to ${device.deviceId}: ${row.title}`,
        deviceId: device.id,
        newValues: { message_id: row.messageId, title: row.title, ttl_s: row.ttlS },
      },
      tx,
    );
    return row;
  });
}
