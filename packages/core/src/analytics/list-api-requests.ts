import type { PageQuery } from "@homepot/contracts/analytics";
import { apiRequestLogs } from "@homepot/db";
import { and, sql } from "drizzle-orm";
import type { Context } from "../context.ts";
import { countWhere, cursorTime, equalities, finishPage, pageConditions, pageOrder } from "./page.ts";

export interface ApiRequestFilters extends PageQuery {
  endpoint?: string | undefined;
  route?: string | undefined;
  method?: string | undefined;
  status_code?: number | undefined;
  errors_only?: boolean | undefined;
  user_id?: string | undefined;
  device_id?: string | undefined;
}

const t = apiRequestLogs;

export async function listApiRequests(ctx: Context, q: ApiRequestFilters) {
  const where = [
    ...equalities([
      [t.endpoint, q.endpoint],
      [t.route, q.route],
      [t.method, q.method],
      [t.statusCode, q.status_code],
      [t.userId, q.user_id],
      [t.deviceId, q.device_id],
    ]),
    ...(q.errors_only ? [sql`${t.statusCode} >= 400`] : []),
    ...pageConditions(t.timestamp, t.id, q),
  ];
  const rows = await ctx.db
    .select({ row: t, cursorTs: cursorTime(t.timestamp) })
    .from(t)
    .where(and(...where))
    .orderBy(...pageOrder(t.timestamp, t.id))
    .limit(q.limit)
    .offset(q.offset);
  return finishPage(rows, q, presentApiRequest, () => countWhere(ctx.db, t, where));
}

export function presentApiRequest(r: typeof apiRequestLogs.$inferSelect) {
  return {
    id: r.id,
    timestamp: r.timestamp.toISOString(),
    endpoint: r.endpoint,
    route: r.route,
    method: r.method,
    status_code: r.statusCode,
    response_time_ms: r.responseTimeMs,
    user_id: r.userId,
    device_id: r.deviceId,
    ip_address: r.ipAddress,
    user_agent: r.userAgent,
    error_message: r.errorMessage,
    request_size_bytes: r.requestSizeBytes,
    response_size_bytes: r.responseSizeBytes,
  };
}
