import type { PageQuery } from "@homepot/contracts/analytics";
import { jobOutcomes as t } from "@homepot/db";
import type { Context } from "../context.ts";
import { equalities, listRows, newestFirst, siteFilter } from "./page.ts";
import { presentJobOutcome } from "./present.ts";

export interface JobOutcomeFilters extends PageQuery {
  job_id?: string | undefined;
  job_type?: string | undefined;
  device_id?: string | undefined;
  /** Rows of the devices of this site. */
  site_id?: string | undefined;
  status?: string | undefined;
  initiated_by?: string | undefined;
}

const spec = {
  table: t,
  keyset: newestFirst(t.timestamp, t.id),
  window: t.timestamp,
  present: presentJobOutcome,
};

export function listJobOutcomes(ctx: Context, q: JobOutcomeFilters) {
  return listRows(ctx, spec, q, [
    ...equalities([
      [t.jobId, q.job_id],
      [t.jobType, q.job_type],
      [t.deviceId, q.device_id],
      [t.status, q.status],
      [t.initiatedBy, q.initiated_by],
    ]),
    ...siteFilter(t.deviceId, q.site_id),
  ]);
}
