import { type Db, siteOperatingSchedules } from "@homepot/db";
import { and, eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { findSiteBySiteId, type SiteRow } from "../sites/site.repository.ts";
import { scheduleSnapshot } from "./present.ts";
import {
  DAY_NAMES,
  findSchedule,
  type ScheduleInput,
  type ScheduleRow,
  scheduleValues,
  validateSchedule,
} from "./schedule.repository.ts";

/** Inserts or updates one day inside a transaction and audits the change (shared by the schedule use cases). */
export async function writeScheduleDay(
  ctx: Context,
  tx: Db,
  site: SiteRow,
  dayOfWeek: number,
  input: ScheduleInput,
  mode: "create" | "upsert",
): Promise<ScheduleRow> {
  validateSchedule(input);
  const values = scheduleValues(input);
  const now = ctx.clock.now();
  const before = await findSchedule(tx, site.siteId, dayOfWeek);
  if (before && mode === "create")
    throw new ConflictError(
      `site ${site.siteId} already has a schedule for ${DAY_NAMES[dayOfWeek]}; use PUT to change it`,
    );
  let row: ScheduleRow | undefined;
  if (before) {
    [row] = await tx
      .update(siteOperatingSchedules)
      .set({ ...values, updatedAt: now })
      .where(and(eq(siteOperatingSchedules.id, before.id)))
      .returning();
  } else {
    [row] = await tx
      .insert(siteOperatingSchedules)
      .values({ siteId: site.siteId, dayOfWeek, ...values, createdAt: now, updatedAt: now })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new ConflictError(`site ${site.siteId} already has a schedule for ${DAY_NAMES[dayOfWeek]}`);
  }
  if (!row) throw new NotFoundError(`schedule for ${DAY_NAMES[dayOfWeek]} not found`);
  await recordAudit(
    ctx,
    {
      eventType: before ? "schedule_updated" : "schedule_created",
      description: `${DAY_NAMES[dayOfWeek]} schedule of site ${site.siteId} ${before ? "updated" : "created"}`,
      siteId: site.id,
      oldValues: before ? scheduleSnapshot(before) : undefined,
      newValues: scheduleSnapshot(row),
    },
    tx,
  );
  return row;
}

export async function activeSite(db: Db, siteId: string): Promise<SiteRow> {
  const site = await findSiteBySiteId(db, siteId);
  if (!site?.isActive) throw new NotFoundError(`site ${siteId} not found`);
  return site;
}

/** The use case that writes one day's schedule of an active site in its own transaction, in this mode. */
export function scheduleDayWriter(mode: "create" | "upsert") {
  return (ctx: Context, siteId: string, dayOfWeek: number, input: ScheduleInput): Promise<ScheduleRow> =>
    ctx.db.transaction(async (tx) => writeScheduleDay(ctx, tx, await activeSite(tx, siteId), dayOfWeek, input, mode));
}

/** Creates one day's schedule; 409 when the day already has one. */
export const createSchedule = scheduleDayWriter("create");
