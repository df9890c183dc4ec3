import { DAY_NAMES, type ScheduleRow } from "./schedule.repository.ts";

/** What an audit row keeps of a schedule. */
export function scheduleSnapshot(r: ScheduleRow) {
  return {
    day_of_week: r.dayOfWeek,
    open_time: r.openTime,
    close_time: r.closeTime,
    is_closed: r.isClosed,
    is_maintenance_window: r.isMaintenanceWindow,
    expected_transaction_volume: r.expectedTransactionVolume,
    peak_hours_start: r.peakHoursStart,
    peak_hours_end: r.peakHoursEnd,
    notes: r.notes,
  };
}

/** The schedule as the API shows it (the audit snapshot plus its keys, day name and times). */
export function presentSchedule(r: ScheduleRow) {
  return {
    id: r.id,
    site_id: r.siteId,
    day_name: DAY_NAMES[r.dayOfWeek] ?? String(r.dayOfWeek),
    ...scheduleSnapshot(r),
    special_considerations: r.specialConsiderations ?? null,
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
  };
}
