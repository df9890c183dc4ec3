import type { Context } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { type CommandRow, findCommand } from "./command.repository.ts";

/** One command by id; throws NotFoundError when missing. */
export async function getCommand(ctx: Context, commandId: string): Promise<CommandRow> {
  const row = await findCommand(ctx.db, commandId);
  if (!row) throw new NotFoundError(`Command ${commandId} not found`);
  return row;
}
