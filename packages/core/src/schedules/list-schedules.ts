import type { Context } from "../context.ts";
import { getSite } from "../sites/get-site.ts";
import { findSchedules, type ScheduleRow } from "./schedule.repository.ts";

/** A site's week, Monday first; 404 for an unknown site. */
export async function listSchedules(ctx: Context, siteId: string): Promise<ScheduleRow[]> {
  await getSite(ctx, siteId);
  return findSchedules(ctx.db, siteId);
}
