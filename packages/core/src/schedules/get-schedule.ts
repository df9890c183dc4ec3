import type { Context } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { DAY_NAMES, findSchedule, type ScheduleRow } from "./schedule.repository.ts";

/** One day of a site's schedule; 404 when the day has none. */
export async function getSchedule(ctx: Context, siteId: string, dayOfWeek: number): Promise<ScheduleRow> {
  const row = await findSchedule(ctx.db, siteId, dayOfWeek);
  if (!row) throw new NotFoundError(`site ${siteId} has no schedule for ${DAY_NAMES[dayOfWeek] ?? dayOfWeek}`);
  return row;
}
