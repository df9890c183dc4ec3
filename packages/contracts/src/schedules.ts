import { z } from "zod";
import { boundedJsonObject, dataResult, listResult, timestamps, writeResult } from "./common.ts";

/** "HH:MM" or "HH:MM:SS" (24 h); "24:00" means midnight at the end of the day. */
export const TimeOfDay = z
  .string()
  .trim()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?|24:00(:00)?)$/, "must be a time HH:MM or HH:MM:SS");

/** 0 = Monday … 6 = Sunday (as the original). */
export const DayOfWeek = z.coerce.number().int().min(0).max(6);

export const ScheduleFields = z.object({
  open_time: TimeOfDay.nullish(),
  close_time: TimeOfDay.nullish(),
  is_closed: z.boolean().optional(),
  is_maintenance_window: z.boolean().optional(),
  expected_transaction_volume: z.number().int().min(0).max(100_000_000).nullish(),
  peak_hours_start: TimeOfDay.nullish(),
  peak_hours_end: TimeOfDay.nullish(),
  notes: z.string().max(2000).nullish(),
  special_considerations: boundedJsonObject().nullish(),
});

export const CreateScheduleBody = ScheduleFields.extend({ day_of_week: DayOfWeek });
export const ReplaceSchedulesBody = z.object({ schedules: z.array(CreateScheduleBody).max(7) });
export const ScheduleParams = z.object({ site_id: z.string().min(1).max(20), day_of_week: DayOfWeek });

export const ScheduleSchema = z.object({
  id: z.number().int(),
  site_id: z.string(),
  day_of_week: z.number().int(),
  day_name: z.string(),
  open_time: z.string().nullable(),
  close_time: z.string().nullable(),
  is_closed: z.boolean(),
  is_maintenance_window: z.boolean(),
  expected_transaction_volume: z.number().int().nullable(),
  peak_hours_start: z.string().nullable(),
  peak_hours_end: z.string().nullable(),
  notes: z.string().nullable(),
  special_considerations: z.unknown().nullable(),
  ...timestamps,
});
export type Schedule = z.infer<typeof ScheduleSchema>;

export const ScheduleList = listResult("schedules", ScheduleSchema);
export const ScheduleResult = writeResult(ScheduleSchema);
export const ScheduleGetResult = dataResult(ScheduleSchema);
