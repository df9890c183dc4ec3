import { deviceCommands } from "@homepot/db";
import { eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { ForbiddenError, NotFoundError } from "../errors.ts";
import { type CommandRow, findCommand, findCommandDevice } from "./command.repository.ts";
import { isFinal } from "./command-types.ts";

const EXECUTING = new Set(["executing", "running", "started"]);

/**
 * `POST /devices/{device_id}/commands/{command_id}/ack`: the device got the command (stamps acked_at) or started
 * running it (stamps executed_at too). Its own commands only: another device's path is a 403, another device's
 * command a 404 (as for results). Each stamp is set once; an ack after the result changes nothing.
 */
export async function acknowledgeCommand(
  ctx: Context,
  callerDeviceId: string,
  pathDeviceId: string,
  commandId: string,
  status: string,
): Promise<CommandRow> {
  if (pathDeviceId !== callerDeviceId) throw new ForbiddenError("A device acknowledges only its own commands");
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const current = await findCommand(tx, commandId);
    if (!current || current.deviceId !== callerDeviceId) throw new NotFoundError(`Command ${commandId} not found`);
    if (isFinal(current.status)) return current;
    const executing = EXECUTING.has(status);
    const set = {
      ackedAt: current.ackedAt ?? now,
      sentAt: current.sentAt ?? now,
      executedAt: executing ? (current.executedAt ?? now) : current.executedAt,
    };
    if (set.ackedAt === current.ackedAt && set.executedAt === current.executedAt) return current;
    const [row] = await tx.update(deviceCommands).set(set).where(eq(deviceCommands.id, current.id)).returning();
    if (!row) throw new NotFoundError(`Command ${commandId} not found`);
    const device = await findCommandDevice(tx, callerDeviceId);
    await recordAudit(
      ctx,
      {
        eventType: executing ? "command_executing" : "command_acknowledged",
        description: `Command ${commandId} (${row.commandType}) ${executing ? "started on" : "acknowledged by"} ${callerDeviceId}`,
        deviceId: device?.id ?? null,
        newValues: { acked_at: row.ackedAt?.toISOString(), executed_at: row.executedAt?.toISOString() ?? null },
        metadata: { command_id: commandId, device_id: callerDeviceId },
      },
      tx,
    );
    return row;
  });
}
