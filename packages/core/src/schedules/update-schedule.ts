import type { Context } from "../context.ts";
import { activeSite, writeScheduleDay } from "./create-schedule.ts";
import type { ScheduleInput, ScheduleRow } from "./schedule.repository.ts";

/** Sets one day's schedule (creating it when absent), audited with old and new values. */
export async function updateSchedule(
  ctx: Context,
  siteId: string,
  dayOfWeek: number,
  input: ScheduleInput,
): Promise<ScheduleRow> {
  return ctx.db.transaction(async (tx) =>
    writeScheduleDay(ctx, tx, await activeSite(tx, siteId), dayOfWeek, input, "upsert"),
  );
}
