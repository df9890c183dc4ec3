import { siteOperatingSchedules } from "@homepot/db";
import { and, eq, notInArray } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { ValidationError } from "../errors.ts";
import { activeSite, writeScheduleDay } from "./create-schedule.ts";
import { scheduleSnapshot } from "./present.ts";
import { DAY_NAMES, findSchedules, type ScheduleInput, type ScheduleRow } from "./schedule.repository.ts";

/** Replaces a site's whole week in one transaction: listed days are set, the others removed. */
export async function replaceSchedules(
  ctx: Context,
  siteId: string,
  days: ReadonlyArray<ScheduleInput & { dayOfWeek: number }>,
): Promise<ScheduleRow[]> {
  const seen = new Set<number>();
  days.forEach((d, i) => {
    if (seen.has(d.dayOfWeek))
      throw new ValidationError(
        `schedules.${i}.day_of_week: ${DAY_NAMES[d.dayOfWeek]} is listed twice`,
        `schedules.${i}.day_of_week`,
      );
    seen.add(d.dayOfWeek);
  });
  return ctx.db.transaction(async (tx) => {
    const site = await activeSite(tx, siteId);
    const existing = await findSchedules(tx, siteId);
    const removed = existing.filter((r) => !seen.has(r.dayOfWeek));
    if (removed.length) {
      const keep = [...seen];
      await tx
        .delete(siteOperatingSchedules)
        .where(
          keep.length
            ? and(eq(siteOperatingSchedules.siteId, siteId), notInArray(siteOperatingSchedules.dayOfWeek, keep))
            : eq(siteOperatingSchedules.siteId, siteId),
        );
      for (const r of removed) {
        await recordAudit(
          ctx,
          {
            eventType: "schedule_deleted",
            description: `${DAY_NAMES[r.dayOfWeek]} schedule of site ${siteId} deleted`,
            siteId: site.id,
            oldValues: scheduleSnapshot(r),
          },
          tx,
        );
      }
    }
    const rows: ScheduleRow[] = [];
    for (const [i, d] of days.entries()) {
      try {
        rows.push(await writeScheduleDay(ctx, tx, site, d.dayOfWeek, d, "upsert"));
      } catch (error) {
        // Name the item of the list that was wrong.
        if (error instanceof ValidationError && error.field)
          throw new ValidationError(`schedules.${i}.${error.message}`, `schedules.${i}.${error.field}`);
        throw error;
      }
    }
    return rows.sort((a, b) => a.dayOfWeek - b.dayOfWeek);
  });
}
