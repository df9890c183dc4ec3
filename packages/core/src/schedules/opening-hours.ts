import { localTimeParts } from "../local-time.ts";

/** A site's weekly operating schedule in its own time zone, as the formulas read it. Days: 0 = Monday … 6 = Sunday. */
export interface ScheduleDay {
  dayOfWeek: number;
  /** "HH:MM" or "HH:MM:SS", local time. */
  openTime: string | null;
  closeTime: string | null;
  isClosed: boolean;
  isMaintenanceWindow: boolean;
  expectedTransactionVolume: number | null;
  peakHoursStart: string | null;
  peakHoursEnd: string | null;
}

export const DAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;

export function minutesOf(time: string | null): number | null {
  if (!time) return null;
  const m = /^(\d{1,2}):(\d{2})/.exec(time);
  if (!m) return null;
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Local day of week (0 = Monday), minute of day and hour of week (0–167) of an instant in a time zone. */
export function localParts(ms: number, timeZone: string): { dow: number; minute: number; hourOfWeek: number } {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = localTimeParts(new Date(ms), timeZone);
  } catch {
    parts = localTimeParts(new Date(ms), "UTC");
  }
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  const dow = Math.max(0, DAY_NAMES.indexOf(get("weekday") as (typeof DAY_NAMES)[number]));
  const hour = Number(get("hour")) % 24;
  const minute = hour * 60 + Number(get("minute"));
  return { dow, minute, hourOfWeek: dow * 24 + hour };
}

export type SitePhase = "closed" | "open" | "peak" | "unknown";

/** Whether the site is closed, open or in its peak hours at a local day/minute; "unknown" when that day has no schedule. */
export function phaseAt(schedule: readonly ScheduleDay[], dow: number, minute: number): SitePhase {
  const today = schedule.find((d) => d.dayOfWeek === dow);
  const yesterday = schedule.find((d) => d.dayOfWeek === (dow + 6) % 7);
  // Yesterday's opening running past midnight (close at or before open).
  if (yesterday && !yesterday.isClosed) {
    const o = minutesOf(yesterday.openTime);
    const c = minutesOf(yesterday.closeTime);
    if (o !== null && c !== null && c <= o && minute < c) return inPeak(yesterday, minute + 1440) ? "peak" : "open";
  }
  if (!today) return "unknown";
  if (today.isClosed) return "closed";
  const o = minutesOf(today.openTime);
  const c0 = minutesOf(today.closeTime);
  if (o === null || c0 === null) return "unknown";
  const c = c0 <= o ? c0 + 1440 : c0;
  if (minute < o || minute >= c) return "closed";
  return inPeak(today, minute) ? "peak" : "open";
}

function inPeak(day: ScheduleDay, minute: number): boolean {
  const ps = minutesOf(day.peakHoursStart);
  const pe = minutesOf(day.peakHoursEnd);
  if (ps === null || pe === null) return false;
  return minute >= ps && minute < (pe <= ps ? pe + 1440 : pe);
}

export const hourOfWeekLabel = (h: number): string =>
  `${DAY_NAMES[Math.floor(h / 24) % 7]} ${String(h % 24).padStart(2, "0")}:00`;
