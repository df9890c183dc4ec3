import type { PageQuery } from "@homepot/contracts/analytics";
import { errorLogs as t } from "@homepot/db";
import type { Context } from "../context.ts";
import { equalities, listRows, newestFirst, siteFilter } from "./page.ts";
import { presentErrorLog } from "./present.ts";

export interface ErrorLogFilters extends PageQuery {
  category?: string | undefined;
  severity?: string | undefined;
  error_code?: string | undefined;
  resolved?: boolean | undefined;
  device_id?: string | undefined;
  /** Rows of the devices of this site. */
  site_id?: string | undefined;
  user_id?: string | undefined;
  endpoint?: string | undefined;
}

const spec = {
  table: t,
  keyset: newestFirst(t.timestamp, t.id),
  window: t.timestamp,
  present: presentErrorLog,
};

export function listErrorLogs(ctx: Context, q: ErrorLogFilters) {
  return listRows(ctx, spec, q, [
    ...equalities([
      [t.category, q.category],
      [t.severity, q.severity],
      [t.errorCode, q.error_code],
      [t.resolved, q.resolved],
      [t.deviceId, q.device_id],
      [t.userId, q.user_id],
      [t.endpoint, q.endpoint],
    ]),
    ...siteFilter(t.deviceId, q.site_id),
  ]);
}
