import type { PageQuery } from "@homepot/contracts/analytics";
import { userActivities } from "@homepot/db";
import { and } from "drizzle-orm";
import type { Context } from "../context.ts";
import { countWhere, cursorTime, equalities, finishPage, pageConditions, pageOrder } from "./page.ts";

export interface UserActivityFilters extends PageQuery {
  user_id?: string | undefined;
  activity_type?: string | undefined;
  session_id?: string | undefined;
  page_url?: string | undefined;
}

const t = userActivities;

export async function listUserActivities(ctx: Context, q: UserActivityFilters) {
  const where = [
    ...equalities([
      [t.userId, q.user_id],
      [t.activityType, q.activity_type],
      [t.sessionId, q.session_id],
      [t.pageUrl, q.page_url],
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
  return finishPage(rows, q, presentUserActivity, () => countWhere(ctx.db, t, where));
}

export function presentUserActivity(r: typeof userActivities.$inferSelect) {
  return {
    id: r.id,
    timestamp: r.timestamp.toISOString(),
    user_id: r.userId,
    session_id: r.sessionId,
    activity_type: r.activityType,
    page_url: r.pageUrl,
    element_id: r.elementId,
    search_query: r.searchQuery,
    extra_data: r.extraData,
    duration_ms: r.durationMs,
  };
}
