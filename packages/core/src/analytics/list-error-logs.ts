import type { PageQuery } from "@homepot/contracts/analytics";
import { errorLogs } from "@homepot/db";
import { and } from "drizzle-orm";
import type { Context } from "../context.ts";
import { countWhere, cursorTime, equalities, finishPage, pageConditions, pageOrder, siteFilter } from "./page.ts";
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

const t = errorLogs;

export async function listErrorLogs(ctx: Context, q: ErrorLogFilters) {
  const where = [
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
    ...pageConditions(t.timestamp, t.id, q),
  ];
  const rows = await ctx.db
    .select({ row: t, cursorTs: cursorTime(t.timestamp) })
    .from(t)
    .where(and(...where))
    .orderBy(...pageOrder(t.timestamp, t.id))
    .limit(q.limit)
    .offset(q.offset);
  return finishPage(rows, q, presentErrorLog, () => countWhere(ctx.db, t, where));
}
