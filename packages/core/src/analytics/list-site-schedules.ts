import type { SiteSchedulesQuery } from "@homepot/contracts/analytics";
import { siteOperatingSchedules as t } from "@homepot/db";
import type { z } from "zod";
import type { Context } from "../context.ts";
import { ascendingBy, listRows, matching } from "./page.ts";
import { presentSiteSchedule } from "./present.ts";

/** Schedules are reference data: ordered by site and day (the unique index), the time window applies to updated_at. */
const spec = {
  table: t,
  scope: { site: t.siteId },
  keyset: ascendingBy(t.siteId, t.dayOfWeek, (r) => [String(r.siteId), Number(r.dayOfWeek)]),
  window: t.updatedAt,
  present: presentSiteSchedule,
};

export function listSiteSchedules(ctx: Context, q: z.output<typeof SiteSchedulesQuery>) {
  const fields = ["site_id", "day_of_week", "is_maintenance_window", "is_closed"] as const;
  return listRows(ctx, spec, q, matching(t, q, fields));
}
