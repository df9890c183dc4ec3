import { normalizeCommandType } from "../commands/command-types.ts";
import type { Context } from "../context.ts";
import { listTemplateRows, type TemplateRow } from "./template.repository.ts";

/** Every template by name; optionally only those of one command type. */
export async function listCommandTemplates(ctx: Context, input: { commandType?: string } = {}): Promise<TemplateRow[]> {
  return listTemplateRows(ctx.db, input.commandType ? normalizeCommandType(input.commandType) : undefined);
}
