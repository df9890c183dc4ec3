import { deviceCommands } from "@homepot/db";
import { and, eq, isNull } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { ForbiddenError } from "../errors.ts";
import { findCommand, findCommandDevice } from "./command.repository.ts";

export interface PushAckInput {
  message_id: string;
  device_id: string;
  status: string;
}

/**
 * Records a device's acknowledgement of a push (SPEC §6 `POST /push/ack`). Our nudges carry the
 * command id as `message_id`, so a matching command of this device gets its `acked_at`; acks of other
 * messages are still recorded in the audit log. A command of another device is refused (403): a device
 * never acknowledges, or leaves an audit row claiming it acknowledged, what was not sent to it.
 */
export async function acknowledgePush(
  ctx: Context,
  callerDeviceId: string,
  input: PushAckInput,
): Promise<{ matched: boolean }> {
  if (input.device_id !== callerDeviceId) throw new ForbiddenError("device_id does not match the authenticated device");
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const command = await findCommand(tx, input.message_id);
    if (command && command.deviceId !== callerDeviceId)
      throw new ForbiddenError("message_id is a command of another device");
    const [acked] = await tx
      .update(deviceCommands)
      .set({ ackedAt: now })
      .where(
        and(
          eq(deviceCommands.commandId, input.message_id),
          eq(deviceCommands.deviceId, callerDeviceId),
          isNull(deviceCommands.ackedAt),
        ),
      )
      .returning({ commandId: deviceCommands.commandId });
    const device = await findCommandDevice(tx, callerDeviceId);
    await recordAudit(
      ctx,
      {
        eventType: "push_ack",
        description: `Device ${callerDeviceId} acknowledged push ${input.message_id}: ${input.status}`,
        deviceId: device?.id ?? null,
        metadata: { message_id: input.message_id, status: input.status, command_matched: Boolean(acked) },
      },
      tx,
    );
    return { matched: Boolean(acked) };
  });
}
