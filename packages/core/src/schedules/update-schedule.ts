import { scheduleDayWriter } from "./create-schedule.ts";

/** Sets one day's schedule (creating it when absent), audited with old and new values. */
export const updateSchedule = scheduleDayWriter("upsert");
