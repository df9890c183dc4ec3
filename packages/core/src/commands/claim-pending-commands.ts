import { deviceCommands } from "@homepot/db";
import { and, asc, eq, gt, isNull, or, sql } from "drizzle-orm";
import type { Context } from "../context.ts";
import { claimRows } from "../rows.ts";
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
    const c = deviceCommands;
    const claimed = await claimRows(tx, c, {
      claimable: and(eq(c.deviceId, deviceId), eq(c.status, "pending"), or(isNull(c.expiresAt), gt(c.expiresAt, now))),
      orderBy: [asc(c.createdAt), asc(c.id)],
      limit: MAX_CLAIM,
      set: { status: "sent", sentAt: now, deliveryCount: sql`${c.deliveryCount} + 1` },
      unclaimed: eq(c.status, "pending"),
    });
    if (claimed.length > 0) {
      const device = await findCommandDevice(tx, deviceId);
      for (const row of claimed) await auditTransition(ctx, tx, row, "sent", "pending", device?.id ?? null);
    }
    return { claimed, expired };
  });
  emitFinished(ctx, expired);
  return claimed.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id);
}
