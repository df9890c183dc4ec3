import type { PageQuery } from "@homepot/contracts/analytics";
import { jobOutcomes } from "@homepot/db";
import { and } from "drizzle-orm";
import type { Context } from "../context.ts";
import { countWhere, cursorTime, equalities, finishPage, pageConditions, pageOrder, siteFilter } from "./page.ts";

export interface JobOutcomeFilters extends PageQuery {
  job_id?: string | undefined;
  job_type?: string | undefined;
  device_id?: string | undefined;
  /** Rows of the devices of this site. */
  site_id?: string | undefined;
  status?: string | undefined;
  initiated_by?: string | undefined;
}

const t = jobOutcomes;

export async function listJobOutcomes(ctx: Context, q: JobOutcomeFilters) {
  const where = [
    ...equalities([
      [t.jobId, q.job_id],
      [t.jobType, q.job_type],
      [t.deviceId, q.device_id],
      [t.status, q.status],
      [t.initiatedBy, q.initiated_by],
    ]),
    ...siteFilter(t.deviceId, q.site_id),
    ...pageConditions(t.timestamp, t.id, q),
  ];
  const rows = await ctx.db
    .select({ row: t, cursorTs: cursorTime(t.timestamp) })
    .from(t)
    .where(and(...where))
    .orderBy(...pageOrder(t.timestamp, t.id))
    .limit(q.limit)
    .offset(q.offset);
  return finishPage(rows, q, presentJobOutcome, () => countWhere(ctx.db, t, where));
}

export function presentJobOutcome(r: typeof jobOutcomes.$inferSelect) {
  return {
    id: r.id,
    timestamp: r.timestamp.toISOString(),
    job_id: r.jobId,
    job_type: r.jobType,
    device_id: r.deviceId,
    status: r.status,
    duration_ms: r.durationMs,
    error_code: r.errorCode,
    error_message: r.errorMessage,
    retry_count: r.retryCount,
    initiated_by: r.initiatedBy,
    extra_data: r.extraData,
  };
}
