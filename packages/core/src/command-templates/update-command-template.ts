import { commandTemplates, type TemplateParameter } from "@homepot/db";
import { eq } from "drizzle-orm";
import { normalizeCommandType } from "../commands/command-types.ts";
import type { Context } from "../context.ts";
import { ConflictError } from "../errors.ts";
import { checkRemotePayload } from "../permissions/grants.ts";
import { auditTemplate } from "./audit-template.ts";
import { checkTemplateParameters } from "./fill-template.ts";
import { getCommandTemplate } from "./get-command-template.ts";
import { findTemplateByName, type TemplateRow } from "./template.repository.ts";

export interface UpdateCommandTemplateInput {
  name?: string | undefined;
  description?: string | null | undefined;
  commandType?: string | undefined;
  payload?: Record<string, unknown> | undefined;
  parameters?: TemplateParameter[] | undefined;
}

/** Changes the given fields of a template; the result is checked as a whole (placeholders declared). Audited. */
export async function updateCommandTemplate(
  ctx: Context,
  templateId: string,
  input: UpdateCommandTemplateInput,
): Promise<TemplateRow> {
  const before = await getCommandTemplate(ctx, templateId);
  const commandType = input.commandType === undefined ? before.commandType : normalizeCommandType(input.commandType);
  const payload = input.payload ?? before.payload;
  const parameters = input.parameters ?? before.parameters;
  checkTemplateParameters(payload, parameters);
  checkRemotePayload(commandType, payload);
  return ctx.db.transaction(async (tx) => {
    if (input.name !== undefined) {
      const other = await findTemplateByName(tx, input.name);
      if (other && other.templateId !== templateId)
        throw new ConflictError(`A command template named "${input.name}" already exists`);
    }
    const [row] = await tx
      .update(commandTemplates)
      .set({
        ...(input.name === undefined ? {} : { name: input.name }),
        ...(input.description === undefined ? {} : { description: input.description }),
        commandType,
        payload,
        parameters,
        updatedAt: ctx.clock.now(),
      })
      .where(eq(commandTemplates.templateId, templateId))
      .returning();
    if (!row) throw new ConflictError(`Command template ${templateId} was deleted meanwhile`);
    await auditTemplate(ctx, tx, "updated", row, { old: before });
    return row;
  });
}
