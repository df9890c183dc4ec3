import { type Db, siteOperatingSchedules } from "@homepot/db";
import { and, asc, eq } from "drizzle-orm";
import { ValidationError } from "../errors.ts";
import { findOne } from "../rows.ts";

export type ScheduleRow = typeof siteOperatingSchedules.$inferSelect;
export const DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;

/** A day's schedule as use cases take it (times "HH:MM[:SS]"). */
export interface ScheduleInput {
  openTime?: string | null | undefined;
  closeTime?: string | null | undefined;
  isClosed?: boolean | undefined;
  isMaintenanceWindow?: boolean | undefined;
  expectedTransactionVolume?: number | null | undefined;
  peakHoursStart?: string | null | undefined;
  peakHoursEnd?: string | null | undefined;
  notes?: string | null | undefined;
  specialConsiderations?: Record<string, unknown> | null | undefined;
}

const seconds = (t: string) => {
  const [h = 0, m = 0, s = 0] = t.split(":").map(Number);
  return h * 3600 + m * 60 + s;
};

/**
 * Checks a day's schedule: an open day has opening and closing times with close after open; a closed
 * day has none; peak hours come in pairs, start before end, inside the opening hours.
 * Throws a ValidationError naming the field.
 */
export function validateSchedule(input: ScheduleInput): void {
  const closed = input.isClosed ?? false;
  if (closed) {
    for (const [field, v] of [
      ["open_time", input.openTime],
      ["close_time", input.closeTime],
      ["peak_hours_start", input.peakHoursStart],
      ["peak_hours_end", input.peakHoursEnd],
    ] as const) {
      if (v) throw new ValidationError(`${field}: must be empty on a closed day`, field);
    }
    return;
  }
  if (!input.openTime) throw new ValidationError("open_time: required unless is_closed", "open_time");
  if (!input.closeTime) throw new ValidationError("close_time: required unless is_closed", "close_time");
  const open = seconds(input.openTime);
  const close = seconds(input.closeTime);
  if (close <= open) throw new ValidationError("close_time: must be after open_time", "close_time");
  const ps = input.peakHoursStart;
  const pe = input.peakHoursEnd;
  if (!ps !== !pe) {
    const missing = ps ? "peak_hours_end" : "peak_hours_start";
    throw new ValidationError(`${missing}: peak_hours_start and peak_hours_end go together`, missing);
  }
  if (ps && pe) {
    if (seconds(pe) <= seconds(ps))
      throw new ValidationError("peak_hours_end: must be after peak_hours_start", "peak_hours_end");
    if (seconds(ps) < open)
      throw new ValidationError("peak_hours_start: must be within the opening hours", "peak_hours_start");
    if (seconds(pe) > close)
      throw new ValidationError("peak_hours_end: must be within the opening hours", "peak_hours_end");
  }
}

/** The column values of a validated input. */
export function scheduleValues(input: ScheduleInput) {
  const closed = input.isClosed ?? false;
  return {
    openTime: closed ? null : (input.openTime ?? null),
    closeTime: closed ? null : (input.closeTime ?? null),
    isClosed: closed,
    isMaintenanceWindow: input.isMaintenanceWindow ?? false,
    expectedTransactionVolume: input.expectedTransactionVolume ?? null,
    peakHoursStart: closed ? null : (input.peakHoursStart ?? null),
    peakHoursEnd: closed ? null : (input.peakHoursEnd ?? null),
    notes: input.notes ?? null,
    specialConsiderations: input.specialConsiderations ?? null,
  };
}

export async function findSchedules(db: Db, siteId: string): Promise<ScheduleRow[]> {
  return db
    .select()
    .from(siteOperatingSchedules)
    .where(eq(siteOperatingSchedules.siteId, siteId))
    .orderBy(asc(siteOperatingSchedules.dayOfWeek));
}

export function findSchedule(db: Db, siteId: string, dayOfWeek: number): Promise<ScheduleRow | undefined> {
  const day = and(eq(siteOperatingSchedules.siteId, siteId), eq(siteOperatingSchedules.dayOfWeek, dayOfWeek));
  return findOne(db, siteOperatingSchedules, day);
}
