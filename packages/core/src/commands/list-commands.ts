import type { Context } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { type CommandRow, findCommandDevice, listCommandRows } from "./command.repository.ts";

export interface ListCommandsInput {
  deviceId?: string;
  jobId?: string;
  status?: string[];
  limit?: number;
  offset?: number;
}

/** Commands newest first with their lifecycle; a named device must exist. */
export async function listCommands(
  ctx: Context,
  input: ListCommandsInput,
): Promise<{ commands: CommandRow[]; total: number }> {
  if (input.deviceId !== undefined && !(await findCommandDevice(ctx.db, input.deviceId)))
    throw new NotFoundError(`Device ${input.deviceId} not found`);
  const { rows, total } = await listCommandRows(ctx.db, {
    deviceId: input.deviceId,
    jobId: input.jobId,
    status: input.status,
    limit: Math.min(input.limit ?? 100, 1000),
    offset: input.offset ?? 0,
  });
  return { commands: rows, total };
}
