import type { Context } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { findTemplate, type TemplateRow } from "./template.repository.ts";

export async function getCommandTemplate(ctx: Context, templateId: string): Promise<TemplateRow> {
  const row = await findTemplate(ctx.db, templateId);
  if (!row) throw new NotFoundError(`Command template ${templateId} not found`);
  return row;
}
