import { localParts } from "../schedules/opening-hours.ts";
import type { ChannelRow } from "./channel.repository.ts";

const RANK: Record<string, number> = { info: 0, warning: 1, critical: 2 };

/** The alert facts a channel routes on; `tenantId` is looked up only when a tenant's channel is in play. */
export interface RoutedAlert {
  severity: string;
  siteId: string | null;
  tenantId?: number;
}

/**
 * Whether a channel takes an alert: enabled, a platform-wide channel or one of the alert's tenant, severity at least
 * its minimum, and one of its sites (if it names any).
 */
export function channelTakes(ch: ChannelRow, a: RoutedAlert): boolean {
  if (!ch.enabled) return false;
  if (ch.tenantId !== null && ch.tenantId !== a.tenantId) return false;
  if ((RANK[a.severity] ?? 0) < (RANK[ch.minSeverity] ?? 0)) return false;
  return ch.siteIds.length === 0 || (a.siteId !== null && ch.siteIds.includes(a.siteId));
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const MINUTE = 60_000;

/** Whether a channel reads a wall clock (quiet hours or digest slots): it then needs a time zone. */
export const usesLocalTime = (ch: ChannelRow): boolean => Boolean(ch.quietStart && ch.quietEnd) || ch.digestMinutes > 0;

/**
 * The first instant after `ms` whose wall clock in `timeZone` reads `target` (minutes after midnight). Steps by the
 * wall-clock distance, then corrects by what the clock really reads there: a DST change in between makes the night an
 * hour shorter or longer. A time the change skips (02:30 on a spring-forward night) comes out an hour later.
 */
export function nextLocalTime(ms: number, target: number, timeZone: string): number {
  const floor = ms - (ms % MINUTE);
  const signed = (m: number) => ((((m % 1440) + 1440 + 720) % 1440) - 720) * MINUTE;
  const wall = (at: number) => localParts(at, timeZone).minute;
  let naive = floor + ((((target - wall(floor)) % 1440) + 1440) % 1440) * MINUTE;
  if (naive <= ms) naive += 86_400_000;
  const off = signed(wall(naive) - target);
  if (off === 0) return naive;
  const fixed = naive - off;
  return fixed > ms && wall(fixed) === target ? fixed : Math.max(naive, fixed);
}

/** Whether `ms` falls in the quiet hours [start, end) on the wall clock of `timeZone`. */
export function inQuietHours(ms: number, start: string, end: string, timeZone: string): boolean {
  const minute = localParts(ms, timeZone).minute;
  const s = minutesOf(start);
  const e = minutesOf(end);
  return s <= e ? minute >= s && minute < e : minute >= s || minute < e;
}

/**
 * When a message queued at `now` may go out: at the end of the channel's quiet hours if it falls inside them, else at
 * the next digest slot for a digest channel (local times at multiples of digest_minutes after midnight, the last slot
 * of a day cut short by the next midnight; a DST change makes one gap an hour shorter or longer), else now. Both on
 * the wall clock of the channel's time zone (`timezone`, with or without quiet hours), else of `siteTimeZone`, else UTC.
 */
export function releaseTime(ch: ChannelRow, now: Date, siteTimeZone?: string | null): Date {
  const ms = now.getTime();
  const zone = ch.timezone ?? siteTimeZone ?? "UTC";
  if (ch.quietStart && ch.quietEnd && inQuietHours(ms, ch.quietStart, ch.quietEnd, zone))
    return new Date(nextLocalTime(ms, minutesOf(ch.quietEnd), zone));
  if (ch.digestMinutes > 0) {
    const minute = localParts(ms, zone).minute;
    if (ms % MINUTE === 0 && minute % ch.digestMinutes === 0) return now; // on a slot
    const target = (Math.floor(minute / ch.digestMinutes) + 1) * ch.digestMinutes;
    return new Date(nextLocalTime(ms, target < 1440 ? target : 0, zone));
  }
  return now;
}

/** Wait before retry n (1-based): 30 s doubling, at most an hour. */
export function backoffMs(attempt: number): number {
  return Math.min(3_600_000, 30_000 * 2 ** Math.max(0, attempt - 1));
}
