import type { PageQuery } from "@homepot/contracts/analytics";
import { auditLogs, devices, jobs, sites } from "@homepot/db";
import { and, sql } from "drizzle-orm";
import type { Context } from "../context.ts";
import { countWhere, cursorTime, equalities, finishPage, pageConditions, pageOrder } from "./page.ts";

export interface AuditLogFilters extends PageQuery {
  event_type?: string | undefined;
  user_id?: number | undefined;
  /** External ids (device_id, site_id, job_id strings), resolved to the integer keys audit_logs stores. */
  device_id?: string | undefined;
  site_id?: string | undefined;
  job_id?: string | undefined;
}

const t = auditLogs;

export async function listAuditLogs(ctx: Context, q: AuditLogFilters) {
  const where = [
    ...equalities([
      [t.eventType, q.event_type],
      [t.userId, q.user_id],
    ]),
    ...(q.device_id
      ? [sql`${t.deviceId} = (select ${devices.id} from ${devices} where ${devices.deviceId} = ${q.device_id})`]
      : []),
    ...(q.site_id ? [sql`${t.siteId} = (select ${sites.id} from ${sites} where ${sites.siteId} = ${q.site_id})`] : []),
    ...(q.job_id ? [sql`${t.jobId} = (select ${jobs.id} from ${jobs} where ${jobs.jobId} = ${q.job_id})`] : []),
    ...pageConditions(t.createdAt, t.id, q),
  ];
  const rows = await ctx.db
    .select({ row: t, cursorTs: cursorTime(t.createdAt) })
    .from(t)
    .where(and(...where))
    .orderBy(...pageOrder(t.createdAt, t.id))
    .limit(q.limit)
    .offset(q.offset);
  return finishPage(rows, q, presentAuditLog, () => countWhere(ctx.db, t, where));
}

export function presentAuditLog(r: typeof auditLogs.$inferSelect) {
  return {
    id: r.id,
    created_at: r.createdAt.toISOString(),
    event_type: r.eventType,
    description: r.description,
    user_id: r.userId,
    job_id: r.jobId,
    device_id: r.deviceId,
    site_id: r.siteId,
    old_values: r.oldValues,
    new_values: r.newValues,
    event_metadata: r.eventMetadata,
    ip_address: r.ipAddress,
    user_agent: r.userAgent,
  };
}
