import { type Db, deviceCommands } from "@homepot/db";
import { and, eq, inArray, isNotNull, lte, type SQL } from "drizzle-orm";
import type { Context } from "../context.ts";
import { auditTransition, type CommandRow, devicePks } from "./command.repository.ts";
import { commandBus } from "./command-bus.ts";
import type { CommandType } from "./command-types.ts";

const BATCH = 1000;

/**
 * Marks open (pending or sent) commands whose expiry has passed as expired and audits each, inside `tx`.
 * Returns the rows; the caller emits `finished` after its transaction commits.
 */
export async function markExpiredCommands(ctx: Context, tx: Db, now: Date, deviceId?: string): Promise<CommandRow[]> {
  const conditions: SQL[] = [
    inArray(deviceCommands.status, ["pending", "sent"]),
    isNotNull(deviceCommands.expiresAt),
    lte(deviceCommands.expiresAt, now),
  ];
  if (deviceId) conditions.push(eq(deviceCommands.deviceId, deviceId));
  // Row locks (SKIP LOCKED) keep two instances from expiring the same row; the UPDATE re-checks the status.
  const before = await tx
    .select({ id: deviceCommands.id, status: deviceCommands.status })
    .from(deviceCommands)
    .where(and(...conditions))
    .limit(BATCH)
    .for("update", { skipLocked: true });
  if (before.length === 0) return [];
  const expired = await tx
    .update(deviceCommands)
    .set({ status: "expired", completedAt: now, errorMessage: "expired before the device reported a result" })
    .where(
      and(
        inArray(
          deviceCommands.id,
          before.map((r) => r.id),
        ),
        inArray(deviceCommands.status, ["pending", "sent"]),
      ),
    )
    .returning();
  const from = new Map(before.map((r) => [r.id, r.status]));
  const pks = await devicePks(
    tx,
    expired.map((r) => r.deviceId),
  );
  for (const row of expired)
    await auditTransition(ctx, tx, row, "expired", from.get(row.id) ?? null, pks.get(row.deviceId) ?? null);
  return expired;
}

export function emitFinished(ctx: Context, rows: CommandRow[]): void {
  for (const row of rows) {
    if (row.status === "expired")
      ctx.signals?.emit({
        kind: "command_expired",
        deviceId: row.deviceId,
        commandId: row.commandId,
        commandType: row.commandType,
        at: row.completedAt ?? ctx.clock.now(),
      });
    else if (row.status === "succeeded")
      ctx.signals?.emit({
        kind: "command_succeeded",
        deviceId: row.deviceId,
        commandType: row.commandType,
        at: row.completedAt ?? ctx.clock.now(),
      });
    commandBus.emit(
      "finished",
      {
        commandId: row.commandId,
        deviceId: row.deviceId,
        commandType: row.commandType as CommandType,
        status: row.status as "succeeded" | "failed" | "expired" | "cancelled",
        result: row.result ?? null,
        jobId: row.jobId,
      },
      ctx.logger,
    );
  }
}

/** The background sweep: expires every overdue open command (in batches); returns how many. */
export async function expireCommands(ctx: Context): Promise<number> {
  let total = 0;
  for (;;) {
    const now = ctx.clock.now();
    const rows = await ctx.db.transaction((tx) => markExpiredCommands(ctx, tx, now));
    emitFinished(ctx, rows);
    total += rows.length;
    if (rows.length < BATCH) return total;
  }
}
