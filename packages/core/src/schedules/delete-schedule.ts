import { siteOperatingSchedules } from "@homepot/db";
import { eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { activeSite } from "./create-schedule.ts";
import { scheduleSnapshot } from "./present.ts";
import { DAY_NAMES, findSchedule } from "./schedule.repository.ts";

/** Removes one day's schedule (the audit row keeps what it was). */
export async function deleteSchedule(ctx: Context, siteId: string, dayOfWeek: number): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const site = await activeSite(tx, siteId);
    const before = await findSchedule(tx, siteId, dayOfWeek);
    if (!before) throw new NotFoundError(`site ${siteId} has no schedule for ${DAY_NAMES[dayOfWeek] ?? dayOfWeek}`);
    await tx.delete(siteOperatingSchedules).where(eq(siteOperatingSchedules.id, before.id));
    await recordAudit(
      ctx,
      {
        eventType: "schedule_deleted",
        description: `${DAY_NAMES[dayOfWeek]} schedule of site ${siteId} deleted`,
        siteId: site.id,
        oldValues: scheduleSnapshot(before),
      },
      tx,
    );
  });
}
