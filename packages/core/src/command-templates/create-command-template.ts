import { randomBytes } from "node:crypto";
import { commandTemplates, type TemplateParameter } from "@homepot/db";
import { normalizeCommandType } from "../commands/command-types.ts";
import { authoredNow, type Context } from "../context.ts";
import { ConflictError } from "../errors.ts";
import { checkRemotePayload } from "../permissions/grants.ts";
import { insertOne } from "../rows.ts";
import { auditTemplate } from "./audit-template.ts";
import { checkTemplateParameters } from "./fill-template.ts";
import { findTemplateByName, type TemplateRow } from "./template.repository.ts";

export interface CreateCommandTemplateInput {
  name: string;
  description?: string | null | undefined;
  commandType: string;
  payload: Record<string, unknown>;
  parameters: TemplateParameter[];
}

/** Saves a named command preset; the name is unique (any case). Audited. */
export async function createCommandTemplate(ctx: Context, input: CreateCommandTemplateInput): Promise<TemplateRow> {
  const commandType = normalizeCommandType(input.commandType);
  checkTemplateParameters(input.payload, input.parameters);
  // A terminal template must name its command or script, as a queued one must (placeholders count).
  checkRemotePayload(commandType, input.payload);
  return ctx.db.transaction(async (tx) => {
    if (await findTemplateByName(tx, input.name))
      throw new ConflictError(`A command template named "${input.name}" already exists`);
    const row = await insertOne(tx, commandTemplates, {
      templateId: `tpl-${randomBytes(6).toString("hex")}`,
      name: input.name,
      description: input.description ?? null,
      commandType,
      payload: input.payload,
      parameters: input.parameters,
      ...authoredNow(ctx),
    });
    await auditTemplate(ctx, tx, "created", row);
    return row;
  });
}
