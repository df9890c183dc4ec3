import { siteOperatingSchedules as t } from "@homepot/db";
import type { Context } from "../context.ts";
import { ascendingBy, equalities, type ListQuery, listRows } from "./page.ts";
import { presentSiteSchedule } from "./present.ts";

export interface SiteScheduleFilters extends ListQuery<[string, number]> {
  site_id?: string | undefined;
  day_of_week?: number | undefined;
  is_maintenance_window?: boolean | undefined;
  is_closed?: boolean | undefined;
}

/** Schedules are reference data: ordered by site and day (the unique index), the time window applies to updated_at. */
const spec = {
  table: t,
  keyset: ascendingBy(t.siteId, t.dayOfWeek, (r) => [String(r.siteId), Number(r.dayOfWeek)]),
  window: t.updatedAt,
  present: presentSiteSchedule,
};

export function listSiteSchedules(ctx: Context, q: SiteScheduleFilters) {
  return listRows(
    ctx,
    spec,
    q,
    equalities([
      [t.siteId, q.site_id],
      [t.dayOfWeek, q.day_of_week],
      [t.isMaintenanceWindow, q.is_maintenance_window],
      [t.isClosed, q.is_closed],
    ]),
  );
}
