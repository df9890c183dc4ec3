import { deviceCommands } from "@homepot/db";
import { and, eq, inArray } from "drizzle-orm";
import type { Context } from "../context.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { auditTransition, type CommandRow, findCommand, findCommandDevice } from "./command.repository.ts";
import { emitFinished } from "./expire-commands.ts";

/**
 * Cancels an open command (pending or sent). A sent command may already be running on the device;
 * its later report is then refused with a 409. `deviceId`, when given, must be the command's device.
 */
export async function cancelCommand(ctx: Context, commandId: string, deviceId?: string): Promise<CommandRow> {
  const now = ctx.clock.now();
  const row = await ctx.db.transaction(async (tx) => {
    const current = await findCommand(tx, commandId);
    if (!current || (deviceId !== undefined && current.deviceId !== deviceId))
      throw new NotFoundError(`Command ${commandId} not found`);
    if (current.status !== "pending" && current.status !== "sent")
      throw new ConflictError(`Command ${commandId} is already ${current.status}`);
    const [row] = await tx
      .update(deviceCommands)
      .set({ status: "cancelled", cancelledAt: now, completedAt: now })
      .where(and(eq(deviceCommands.id, current.id), inArray(deviceCommands.status, ["pending", "sent"])))
      .returning();
    if (!row) throw new ConflictError(`Command ${commandId} was finished concurrently`);
    const device = await findCommandDevice(tx, row.deviceId);
    await auditTransition(ctx, tx, row, "cancelled", current.status, device?.id ?? null);
    return row;
  });
  emitFinished(ctx, [row]);
  return row;
}
