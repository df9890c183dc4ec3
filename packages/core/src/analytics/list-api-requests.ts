import type { PageQuery } from "@homepot/contracts/analytics";
import { apiRequestLogs as t } from "@homepot/db";
import { sql } from "drizzle-orm";
import type { Context } from "../context.ts";
import { equalities, listRows, newestFirst, when } from "./page.ts";
import { presentApiRequest } from "./present.ts";

export interface ApiRequestFilters extends PageQuery {
  endpoint?: string | undefined;
  route?: string | undefined;
  method?: string | undefined;
  status_code?: number | undefined;
  errors_only?: boolean | undefined;
  user_id?: string | undefined;
  device_id?: string | undefined;
}

const spec = {
  table: t,
  keyset: newestFirst(t.timestamp, t.id),
  window: t.timestamp,
  present: presentApiRequest,
};

export function listApiRequests(ctx: Context, q: ApiRequestFilters) {
  return listRows(ctx, spec, q, [
    ...equalities([
      [t.endpoint, q.endpoint],
      [t.route, q.route],
      [t.method, q.method],
      [t.statusCode, q.status_code],
      [t.userId, q.user_id],
      [t.deviceId, q.device_id],
    ]),
    ...when(q.errors_only, () => sql`${t.statusCode} >= 400`),
  ]);
}
