import { commandTemplates } from "@homepot/db";
import { eq } from "drizzle-orm";
import type { Context } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { auditTemplate } from "./audit-template.ts";
import type { TemplateRow } from "./template.repository.ts";

/** Deletes a template (commands queued from it stay as they are). Audited. */
export async function deleteCommandTemplate(ctx: Context, templateId: string): Promise<TemplateRow> {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.delete(commandTemplates).where(eq(commandTemplates.templateId, templateId)).returning();
    if (!row) throw new NotFoundError(`Command template ${templateId} not found`);
    await auditTemplate(ctx, tx, "deleted", row);
    return row;
  });
}
