import { deviceCommands } from "@homepot/db";
import { and, eq, inArray } from "drizzle-orm";
import type { Context } from "../context.ts";
import { ConflictError, NotFoundError, ValidationError } from "../errors.ts";
import { ErrorCodes, logError } from "../errors-log/log-error.ts";
import { auditTransition, type CommandRow, findCommand, findCommandDevice } from "./command.repository.ts";
import { emitFinished } from "./expire-commands.ts";

export interface CommandResultInput {
  /** succeeded | failed; "completed" (the original agents' word) means succeeded. Any case. */
  status: string;
  result?: unknown;
  error_message?: string | null;
}

const MAX_RESULT_BYTES = 256 * 1024;

export function normalizeResultStatus(status: string): "succeeded" | "failed" {
  const s = status.trim().toLowerCase();
  if (s === "succeeded" || s === "completed" || s === "success") return "succeeded";
  if (s === "failed" || s === "failure" || s === "error") return "failed";
  throw new ValidationError("status must be succeeded, completed or failed", "status");
}

/**
 * A device reports the outcome of one of its own commands (pending or sent → succeeded | failed).
 * Another device's command is indistinguishable from a missing one (404). Reporting the same outcome
 * again is accepted (a retry after a lost answer); a different one for a finished command is a 409.
 */
export async function reportCommandResult(
  ctx: Context,
  deviceId: string,
  commandId: string,
  input: CommandResultInput,
): Promise<CommandRow> {
  const status = normalizeResultStatus(input.status);
  const result = input.result === undefined ? null : input.result;
  if (result !== null && JSON.stringify(result).length > MAX_RESULT_BYTES)
    throw new ValidationError("result is larger than 256 KiB", "result");
  const errorMessage = input.error_message?.slice(0, 10_000) ?? (status === "failed" ? describeFailure(result) : null);
  const now = ctx.clock.now();

  const outcome = await ctx.db.transaction(async (tx) => {
    const current = await findCommand(tx, commandId);
    if (!current || current.deviceId !== deviceId) throw new NotFoundError(`Command ${commandId} not found`);
    if (current.status !== "pending" && current.status !== "sent") {
      if (current.status === status) return { row: current, changed: false };
      throw new ConflictError(`Command ${commandId} is already ${current.status}`);
    }
    const [row] = await tx
      .update(deviceCommands)
      .set({
        status,
        result,
        errorMessage,
        completedAt: now,
        ackedAt: current.ackedAt ?? now,
        executedAt: current.executedAt ?? now,
        sentAt: current.sentAt ?? now,
      })
      .where(and(eq(deviceCommands.id, current.id), inArray(deviceCommands.status, ["pending", "sent"])))
      .returning();
    if (!row) throw new ConflictError(`Command ${commandId} was finished concurrently`);
    const device = await findCommandDevice(tx, deviceId);
    await auditTransition(
      ctx,
      tx,
      row,
      status,
      current.status,
      device?.id ?? null,
      errorMessage ? { error_message: errorMessage } : undefined,
    );
    return { row, changed: true };
  });

  if (outcome.changed) {
    if (status === "failed") {
      await logError(ctx, {
        category: "device",
        severity: "warning",
        errorCode: ErrorCodes.commandFailed,
        message: `Command ${outcome.row.commandType} failed on ${deviceId}: ${errorMessage ?? "no reason given"}`,
        deviceId,
        context: { command_id: commandId, command_type: outcome.row.commandType, job_id: outcome.row.jobId, result },
      });
    }
    emitFinished(ctx, [outcome.row]);
  }
  return outcome.row;
}

function describeFailure(result: unknown): string | null {
  if (typeof result === "string") return result.slice(0, 10_000);
  if (result && typeof result === "object") {
    const r = result as Record<string, unknown>;
    for (const key of ["error", "message", "reason"])
      if (typeof r[key] === "string") return (r[key] as string).slice(0, 10_000);
  }
  return null;
}
