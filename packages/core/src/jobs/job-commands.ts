import { type Db, deviceCommands } from "@homepot/db";
import { and, inArray, sql } from "drizzle-orm";
import { type CommandFinishedEvent, commandBus } from "../commands/command-bus.ts";
import { queueCommand } from "../commands/queue-command.ts";
import type { Context } from "../context.ts";

/**
 * The jobs domain's port to device commands: queue one, read where commands stand, and be woken when
 * one finishes. Results are always read from device_commands (the source of truth, shared by every
 * instance); the in-process event only shortens the wait.
 */
export interface QueueJobCommand {
  deviceId: string;
  commandType: string;
  payload: Record<string, unknown>;
  expiresAt: Date;
  jobId: string | null;
}

export async function queueJobCommand(ctx: Context, input: QueueJobCommand): Promise<string> {
  const row = await queueCommand(ctx, input);
  return row.commandId;
}

export interface CommandState {
  commandId: string;
  deviceId: string;
  commandType: string;
  status: string;
  jobId: string | null;
  payload: unknown;
  result: unknown;
  errorMessage: string | null;
  createdAt: Date;
  completedAt: Date | null;
}

export const terminalCommandStatuses = ["succeeded", "failed", "expired", "cancelled"] as const;

export async function readCommandStates(db: Db, commandIds: string[]): Promise<Map<string, CommandState>> {
  const out = new Map<string, CommandState>();
  for (let i = 0; i < commandIds.length; i += 1000) {
    const chunk = commandIds.slice(i, i + 1000);
    const rows = await db
      .select({
        commandId: deviceCommands.commandId,
        deviceId: deviceCommands.deviceId,
        commandType: deviceCommands.commandType,
        status: deviceCommands.status,
        jobId: deviceCommands.jobId,
        payload: deviceCommands.payload,
        result: deviceCommands.result,
        errorMessage: deviceCommands.errorMessage,
        createdAt: deviceCommands.createdAt,
        completedAt: deviceCommands.completedAt,
      })
      .from(deviceCommands)
      .where(inArray(deviceCommands.commandId, chunk));
    for (const r of rows) out.set(r.commandId, r);
  }
  return out;
}

/** Gives up on commands still waiting for their device, so a late device does not run them. */
export async function expireJobCommands(ctx: Context, commandIds: string[]): Promise<void> {
  if (commandIds.length === 0) return;
  await ctx.db
    .update(deviceCommands)
    .set({ status: "expired", completedAt: ctx.clock.now(), errorMessage: "timed out waiting for the device" })
    .where(and(inArray(deviceCommands.commandId, commandIds), sql`${deviceCommands.status} in ('pending', 'sent')`));
}

/** Cancels a job's commands no device has picked up yet. */
export async function cancelPendingJobCommands(ctx: Context, jobId: string): Promise<number> {
  const rows = await ctx.db
    .update(deviceCommands)
    .set({ status: "cancelled", cancelledAt: ctx.clock.now() })
    .where(and(sql`${deviceCommands.jobId} = ${jobId}`, sql`${deviceCommands.status} = 'pending'`))
    .returning({ id: deviceCommands.id });
  return rows.length;
}

/** Calls `listener` when a command finishes in this process (the command bus); returns the unsubscribe. */
export function onCommandFinished(listener: (event: CommandFinishedEvent) => void): () => void {
  return commandBus.on("finished", listener);
}
