import { encodeCursor, type PageQuery } from "@homepot/contracts/analytics";
import { siteOperatingSchedules } from "@homepot/db";
import { and, asc, sql } from "drizzle-orm";
import type { Context } from "../context.ts";
import { countWhere, equalities, type Page, utcParam } from "./page.ts";

export interface SiteScheduleFilters extends Omit<PageQuery, "cursor"> {
  cursor?: [string, number] | undefined;
  site_id?: string | undefined;
  day_of_week?: number | undefined;
  is_maintenance_window?: boolean | undefined;
  is_closed?: boolean | undefined;
}

const t = siteOperatingSchedules;

/** Schedules are reference data: ordered by site and day (the unique index), the time window applies to updated_at. */
export async function listSiteSchedules(
  ctx: Context,
  q: SiteScheduleFilters,
): Promise<Page<ReturnType<typeof presentSiteSchedule>>> {
  const where = [
    ...equalities([
      [t.siteId, q.site_id],
      [t.dayOfWeek, q.day_of_week],
      [t.isMaintenanceWindow, q.is_maintenance_window],
      [t.isClosed, q.is_closed],
    ]),
    ...(q.start_date ? [sql`${t.updatedAt} >= ${utcParam(q.start_date)}`] : []),
    ...(q.end_date ? [sql`${t.updatedAt} <= ${utcParam(q.end_date)}`] : []),
    ...(q.cursor
      ? [sql`(${t.siteId} > ${q.cursor[0]} or (${t.siteId} = ${q.cursor[0]} and ${t.dayOfWeek} > ${q.cursor[1]}))`]
      : []),
  ];
  const rows = await ctx.db
    .select()
    .from(t)
    .where(and(...where))
    .orderBy(asc(t.siteId), asc(t.dayOfWeek))
    .limit(q.limit)
    .offset(q.offset);
  const last = rows.at(-1);
  const page: Page<ReturnType<typeof presentSiteSchedule>> = {
    items: rows.map(presentSiteSchedule),
    next_cursor: last && rows.length === q.limit ? encodeCursor([last.siteId, last.dayOfWeek]) : null,
  };
  if (q.include_total) page.total = await countWhere(ctx.db, t, where);
  return page;
}

export function presentSiteSchedule(r: typeof siteOperatingSchedules.$inferSelect) {
  return {
    id: r.id,
    site_id: r.siteId,
    day_of_week: r.dayOfWeek,
    open_time: r.openTime,
    close_time: r.closeTime,
    is_closed: r.isClosed,
    is_maintenance_window: r.isMaintenanceWindow,
    expected_transaction_volume: r.expectedTransactionVolume,
    peak_hours_start: r.peakHoursStart,
    peak_hours_end: r.peakHoursEnd,
    notes: r.notes,
    special_considerations: r.specialConsiderations,
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
  };
}
