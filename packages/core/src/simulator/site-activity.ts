import { localTimeParts } from "../local-time.ts";
import type { ScheduleDay } from "../schedules/opening-hours.ts";

/**
 * How busy a site is at a moment, from its weekly operating schedule (site_operating_schedules): closed
 * sites sell nothing, peak hours sell about 2.5× the off-peak rate, and the day's expected transaction
 * volume is spread over the opening hours accordingly. Pure.
 */

export type { ScheduleDay };

export interface SiteProfile {
  siteId: string;
  /** IANA zone of the schedule's local times. */
  timezone: string;
  days: ScheduleDay[];
}

export interface SiteActivity {
  open: boolean;
  peak: boolean;
  /** Expected transactions per minute for the whole site right now. */
  transactionsPerMinute: number;
  /** 0 (closed, idle) … 1 (peak): drives CPU, connections and queue depth. */
  load: number;
  /** Local day of week (0 = Monday) and minute of day. */
  dayOfWeek: number;
  minuteOfDay: number;
}

export const PEAK_FACTOR = 2.5;
const DEFAULT_VOLUME = 300;

/** A plain week used when a site has no schedule rows: 09–21 every day, peak 12–14. */
export function defaultWeek(): ScheduleDay[] {
  return Array.from({ length: 7 }, (_, dayOfWeek) => ({
    dayOfWeek,
    openTime: "09:00",
    closeTime: "21:00",
    isClosed: false,
    isMaintenanceWindow: false,
    expectedTransactionVolume: DEFAULT_VOLUME,
    peakHoursStart: "12:00",
    peakHoursEnd: "14:00",
  }));
}

/** Minutes since midnight of "HH:MM[:SS]"; "24:00" and "23:59:59" both mean the end of the day. */
export function minutesOf(time: string): number {
  const [h = "0", m = "0", s = "0"] = time.split(":");
  return Number(h) * 60 + Number(m) + Number(s) / 60;
}

/** Local day of week (0 = Monday) and minute of day of `at` in `timeZone`. */
export function localTime(at: Date, timeZone: string): { dayOfWeek: number; minuteOfDay: number } {
  if (timeZone === "UTC" || timeZone === "Etc/UTC") {
    return {
      dayOfWeek: (at.getUTCDay() + 6) % 7,
      minuteOfDay: at.getUTCHours() * 60 + at.getUTCMinutes() + at.getUTCSeconds() / 60,
    };
  }
  const parts = Object.fromEntries(localTimeParts(at, timeZone).map((p) => [p.type, p.value]));
  const days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
  return {
    dayOfWeek: Math.max(0, days.indexOf(parts.weekday ?? "Mon")),
    minuteOfDay: Number(parts.hour) * 60 + Number(parts.minute) + Number(parts.second) / 60,
  };
}

interface DayShape {
  open: number;
  close: number;
  peakStart: number;
  peakEnd: number;
  volume: number;
  /** Weighted minutes of the day (off-peak minutes count 1, peak minutes PEAK_FACTOR). */
  weight: number;
}

function shapeOf(day: ScheduleDay | undefined): DayShape | undefined {
  if (!day || day.isClosed || !day.openTime || !day.closeTime) return undefined;
  const open = minutesOf(day.openTime);
  let close = minutesOf(day.closeTime);
  if (close <= open) close = 24 * 60; // closes at or after midnight: count the rest of the day
  const peakStart = day.peakHoursStart ? Math.max(open, minutesOf(day.peakHoursStart)) : 0;
  const peakEnd = day.peakHoursEnd ? Math.min(close, minutesOf(day.peakHoursEnd)) : 0;
  const peakMinutes = Math.max(0, peakEnd - peakStart);
  const weight = close - open - peakMinutes + peakMinutes * PEAK_FACTOR;
  return { open, close, peakStart, peakEnd, volume: day.expectedTransactionVolume ?? DEFAULT_VOLUME, weight };
}

/** The site's activity at `at`. */
export function siteActivity(profile: SiteProfile, at: Date): SiteActivity {
  const { dayOfWeek, minuteOfDay } = localTime(at, profile.timezone);
  const shape = shapeOf(profile.days.find((d) => d.dayOfWeek === dayOfWeek));
  if (!shape || minuteOfDay < shape.open || minuteOfDay >= shape.close) {
    return { open: false, peak: false, transactionsPerMinute: 0, load: 0, dayOfWeek, minuteOfDay };
  }
  const peak = minuteOfDay >= shape.peakStart && minuteOfDay < shape.peakEnd;
  const perWeightedMinute = shape.volume / shape.weight;
  const transactionsPerMinute = perWeightedMinute * (peak ? PEAK_FACTOR : 1);
  // Ramp up in the first hour after opening and down in the last, like a real shop floor.
  const ramp = Math.min(1, (minuteOfDay - shape.open) / 60 + 0.3, (shape.close - minuteOfDay) / 60 + 0.3);
  return {
    open: true,
    peak,
    transactionsPerMinute: transactionsPerMinute * ramp,
    load: (peak ? 1 : 0.45) * ramp,
    dayOfWeek,
    minuteOfDay,
  };
}
