import type { ChannelRow } from "./channel.repository.ts";

const RANK: Record<string, number> = { info: 0, warning: 1, critical: 2 };

/** The alert facts a channel routes on. */
export interface RoutedAlert {
  severity: string;
  siteId: string | null;
}

/** Whether a channel takes an alert: enabled, severity at least its minimum, and one of its sites (if it names any). */
export function channelTakes(ch: ChannelRow, a: RoutedAlert): boolean {
  if (!ch.enabled) return false;
  if ((RANK[a.severity] ?? 0) < (RANK[ch.minSeverity] ?? 0)) return false;
  return ch.siteIds.length === 0 || (a.siteId !== null && ch.siteIds.includes(a.siteId));
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * When a message queued at `now` may go out: at the end of the channel's quiet hours (UTC) if it falls inside them,
 * else at the next digest slot (multiples of digest_minutes since midnight UTC) for a digest channel, else now.
 */
export function releaseTime(ch: ChannelRow, now: Date): Date {
  const ms = now.getTime();
  const day = ms - (ms % 86_400_000);
  if (ch.quietStart && ch.quietEnd) {
    const minute = Math.floor((ms - day) / 60_000);
    const s = minutesOf(ch.quietStart);
    const e = minutesOf(ch.quietEnd);
    const inside = s <= e ? minute >= s && minute < e : minute >= s || minute < e;
    if (inside) {
      const end = day + e * 60_000;
      return new Date(end > ms ? end : end + 86_400_000);
    }
  }
  if (ch.digestMinutes > 0) {
    const slot = ch.digestMinutes * 60_000;
    return new Date(day + Math.ceil((ms - day) / slot) * slot);
  }
  return now;
}

/** Wait before retry n (1-based): 30 s doubling, at most an hour. */
export function backoffMs(attempt: number): number {
  return Math.min(3_600_000, 30_000 * 2 ** Math.max(0, attempt - 1));
}
