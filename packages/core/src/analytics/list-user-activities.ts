import type { PageQuery } from "@homepot/contracts/analytics";
import { userActivities as t } from "@homepot/db";
import type { Context } from "../context.ts";
import { equalities, listRows, newestFirst } from "./page.ts";
import { presentUserActivity } from "./present.ts";

export interface UserActivityFilters extends PageQuery {
  user_id?: string | undefined;
  activity_type?: string | undefined;
  session_id?: string | undefined;
  page_url?: string | undefined;
}

const spec = {
  table: t,
  keyset: newestFirst(t.timestamp, t.id),
  window: t.timestamp,
  present: presentUserActivity,
};

export function listUserActivities(ctx: Context, q: UserActivityFilters) {
  return listRows(ctx, spec, q, [
    ...equalities([
      [t.userId, q.user_id],
      [t.activityType, q.activity_type],
      [t.sessionId, q.session_id],
      [t.pageUrl, q.page_url],
    ]),
  ]);
}
