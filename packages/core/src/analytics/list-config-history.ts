import type { PageQuery } from "@homepot/contracts/analytics";
import { configurationHistory } from "@homepot/db";
import { and } from "drizzle-orm";
import type { Context } from "../context.ts";
import { countWhere, cursorTime, equalities, finishPage, pageConditions, pageOrder } from "./page.ts";

export interface ConfigHistoryFilters extends PageQuery {
  entity_type?: string | undefined;
  entity_id?: string | undefined;
  device_id?: string | undefined;
  parameter_name?: string | undefined;
  change_type?: string | undefined;
  changed_by?: string | undefined;
  job_id?: string | undefined;
  was_successful?: boolean | undefined;
  was_rolled_back?: boolean | undefined;
}

const t = configurationHistory;

export async function listConfigHistory(ctx: Context, q: ConfigHistoryFilters) {
  const where = [
    ...equalities([
      [t.entityType, q.device_id ? "device" : q.entity_type],
      [t.entityId, q.device_id ?? q.entity_id],
      [t.parameterName, q.parameter_name],
      [t.changeType, q.change_type],
      [t.changedBy, q.changed_by],
      [t.jobId, q.job_id],
      [t.wasSuccessful, q.was_successful],
      [t.wasRolledBack, q.was_rolled_back],
    ]),
    ...pageConditions(t.timestamp, t.id, q),
  ];
  const rows = await ctx.db
    .select({ row: t, cursorTs: cursorTime(t.timestamp) })
    .from(t)
    .where(and(...where))
    .orderBy(...pageOrder(t.timestamp, t.id))
    .limit(q.limit)
    .offset(q.offset);
  return finishPage(rows, q, presentConfigChange, () => countWhere(ctx.db, t, where));
}

export function presentConfigChange(r: typeof configurationHistory.$inferSelect) {
  return {
    id: r.id,
    timestamp: r.timestamp.toISOString(),
    entity_type: r.entityType,
    entity_id: r.entityId,
    parameter_name: r.parameterName,
    old_value: r.oldValue,
    new_value: r.newValue,
    changed_by: r.changedBy,
    change_reason: r.changeReason,
    change_type: r.changeType,
    performance_before: r.performanceBefore,
    performance_after: r.performanceAfter,
    was_successful: r.wasSuccessful,
    was_rolled_back: r.wasRolledBack,
    rollback_reason: r.rollbackReason,
    job_id: r.jobId,
  };
}
