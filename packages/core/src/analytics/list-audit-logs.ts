import type { PageQuery } from "@homepot/contracts/analytics";
import { devices, jobs, sites, auditLogs as t } from "@homepot/db";
import { sql } from "drizzle-orm";
import type { Context } from "../context.ts";
import { equalities, listRows, newestFirst, when } from "./page.ts";
import { presentAuditLog } from "./present.ts";

export interface AuditLogFilters extends PageQuery {
  event_type?: string | undefined;
  user_id?: number | undefined;
  /** External ids (device_id, site_id, job_id strings), resolved to the integer keys audit_logs stores. */
  device_id?: string | undefined;
  site_id?: string | undefined;
  job_id?: string | undefined;
}

const spec = {
  table: t,
  keyset: newestFirst(t.createdAt, t.id),
  window: t.createdAt,
  present: presentAuditLog,
};

export function listAuditLogs(ctx: Context, q: AuditLogFilters) {
  return listRows(ctx, spec, q, [
    ...equalities([
      [t.eventType, q.event_type],
      [t.userId, q.user_id],
    ]),
    ...when(
      q.device_id,
      () => sql`${t.deviceId} = (select ${devices.id} from ${devices} where ${devices.deviceId} = ${q.device_id})`,
    ),
    ...when(
      q.site_id,
      () => sql`${t.siteId} = (select ${sites.id} from ${sites} where ${sites.siteId} = ${q.site_id})`,
    ),
    ...when(q.job_id, () => sql`${t.jobId} = (select ${jobs.id} from ${jobs} where ${jobs.jobId} = ${q.job_id})`),
  ]);
}
