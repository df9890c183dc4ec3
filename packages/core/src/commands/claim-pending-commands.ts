import { deviceCommands } from "@homepot/db";
import { and, asc, eq, gt, inArray, isNull, or, sql } from "drizzle-orm";
import type { Context } from "../context.ts";
import { auditTransition, type CommandRow, findCommandDevice } from "./command.repository.ts";
import { MAX_CLAIM } from "./command-types.ts";
import { emitFinished, markExpiredCommands } from "./expire-commands.ts";

/**
 * Hands a device its pending commands (oldest first) and marks them sent, atomically: two server
 * instances polling for the same device never hand out the same command (row locks, SKIP LOCKED,
 * status re-checked in the UPDATE). Overdue commands are marked expired instead, never handed out.
 */
export async function claimPendingCommands(ctx: Context, deviceId: string): Promise<CommandRow[]> {
  const now = ctx.clock.now();
  const { claimed, expired } = await ctx.db.transaction(async (tx) => {
    const expired = await markExpiredCommands(ctx, tx, now, deviceId);
    const candidates = tx
      .select({ id: deviceCommands.id })
      .from(deviceCommands)
      .where(
        and(
          eq(deviceCommands.deviceId, deviceId),
          eq(deviceCommands.status, "pending"),
          or(isNull(deviceCommands.expiresAt), gt(deviceCommands.expiresAt, now)),
        ),
      )
      .orderBy(asc(deviceCommands.createdAt), asc(deviceCommands.id))
      .limit(MAX_CLAIM)
      .for("update", { skipLocked: true });
    const claimed = await tx
      .update(deviceCommands)
      .set({ status: "sent", sentAt: now, deliveryCount: sql`${deviceCommands.deliveryCount} + 1` })
      .where(and(inArray(deviceCommands.id, candidates), eq(deviceCommands.status, "pending")))
      .returning();
    if (claimed.length > 0) {
      const device = await findCommandDevice(tx, deviceId);
      for (const row of claimed) await auditTransition(ctx, tx, row, "sent", "pending", device?.id ?? null);
    }
    return { claimed, expired };
  });
  emitFinished(ctx, expired);
  return claimed.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id);
}
