import type { Db } from "@homepot/db";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import type { TemplateRow } from "./template.repository.ts";

const snapshot = (r: TemplateRow) => ({
  name: r.name,
  command_type: r.commandType,
  payload: r.payload,
  parameters: r.parameters,
});

/** Audits a template change (`command_template_<what>`) inside the caller's transaction. */
export async function auditTemplate(
  ctx: Context,
  db: Db,
  what: "created" | "updated" | "deleted" | "run",
  row: TemplateRow,
  extra: { old?: TemplateRow; metadata?: Record<string, unknown> } = {},
): Promise<void> {
  await recordAudit(
    ctx,
    {
      eventType: `command_template_${what}`,
      description: `Command template ${row.templateId} (${row.name}) ${what}`,
      ...(extra.old ? { oldValues: snapshot(extra.old) } : {}),
      ...(what === "deleted" ? {} : { newValues: snapshot(row) }),
      metadata: { template_id: row.templateId, ...extra.metadata },
    },
    db,
  );
}
