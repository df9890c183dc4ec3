import { deviceCommands } from "@homepot/db";
import type { Context } from "../context.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import { inScope } from "../tenants/authorize.ts";
import { type CommandFilter, type CommandListRow, findCommandDevice, listCommandRows } from "./command.repository.ts";
import { normalizeCommandType } from "./command-types.ts";

/** The repository's filter as a caller gives it: command types in any case, the page optional, the scope implied. */
export interface ListCommandsInput extends Omit<CommandFilter, "commandType" | "visible" | "limit" | "offset"> {
  /** Any case ("run_script", "RUN-SCRIPT"). */
  commandType?: string[] | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

/** Commands newest first with their lifecycle (the fleet's history when no device is named); a named device must exist. */
export async function listCommands(
  ctx: Context,
  input: ListCommandsInput,
): Promise<{ commands: CommandListRow[]; total: number }> {
  if (input.since && input.until && input.since.getTime() >= input.until.getTime())
    throw new ValidationError("since must be before until", "since");
  if (input.deviceId !== undefined && !(await findCommandDevice(ctx.db, input.deviceId)))
    throw new NotFoundError(`Device ${input.deviceId} not found`);
  const { rows, total } = await listCommandRows(ctx.db, {
    ...input,
    commandType: input.commandType?.map((t) => normalizeCommandType(t)),
    visible: inScope(ctx, { device: deviceCommands.deviceId }),
    limit: Math.min(input.limit ?? 100, 1000),
    offset: input.offset ?? 0,
  });
  return { commands: rows, total };
}
