import type { Db } from "@homepot/db";
import type { Context } from "../context.ts";
import { type AuditEvent, recordAudit } from "./record-audit.ts";

/** What an edit changes: the fields to set, and the old and new values by column name for the audit row. */
export interface Edit {
  patch: Record<string, unknown>;
  oldValues: Record<string, unknown>;
  newValues: Record<string, unknown>;
}

/**
 * The fields of `input` that differ from `before` (undefined: left alone; compared as JSON, so tags and config by
 * value), in the order of `columns`, which names each field's column for the audit values.
 */
export function diffFields<K extends string>(
  before: { readonly [P in K]: unknown },
  input: { readonly [P in K]?: unknown },
  columns: Record<K, string>,
): Edit {
  const edit: Edit = { patch: {}, oldValues: {}, newValues: {} };
  for (const [key, column] of Object.entries(columns) as [K, string][]) {
    const value = input[key];
    if (value === undefined || JSON.stringify(value) === JSON.stringify(before[key])) continue;
    edit.patch[key] = value;
    edit.oldValues[column] = before[key];
    edit.newValues[column] = value;
  }
  return edit;
}

/** Audits an edit with the old and new values of what changed, listed in the description ("Site s1 updated (name)"). */
export function recordEdit(
  ctx: Context,
  db: Db,
  subject: string,
  event: Pick<AuditEvent, "eventType" | "deviceId" | "siteId">,
  edit: Pick<Edit, "oldValues" | "newValues">,
): Promise<void> {
  const columns = Object.keys(edit.newValues).join(", ");
  const { oldValues, newValues } = edit;
  return recordAudit(ctx, { ...event, description: `${subject} updated (${columns})`, oldValues, newValues }, db);
}
