import { hourOfWeekLabel, localParts } from "../../schedules/opening-hours.ts";
import { HOUR_MS } from "./series.ts";
import { poissonRiseZ, round } from "./stats.ts";

export interface ErrorEvent {
  at: number;
  category: string;
  severity: string;
  code: string | null;
  deviceId: string | null;
  siteId: string | null;
}

export type PatternDimension = "category" | "code" | "device" | "site" | "hour_of_week";

export interface ErrorPattern {
  dimension: PatternDimension;
  key: string;
  count: number;
  share: number;
  first_seen: string;
  last_seen: string;
  distinct_days: number;
  /** Counts in the earlier and later half of the window, and the Poisson z of the change. */
  earlier: number;
  later: number;
  rise_z: number;
  recurring: boolean;
  rising: boolean;
  severities: Record<string, number>;
}

/**
 * Groups errors by each dimension. Recurring: seen on at least 3 different days (for hour of week: in
 * at least 2 different weeks). Rising: the later half of the window has at least 3 and Poisson z ≥ 2
 * over the earlier half.
 */
export function analyzeErrorPatterns(
  events: readonly ErrorEvent[],
  from: number,
  to: number,
  minCount = 1,
): { total: number; patterns: Record<PatternDimension, ErrorPattern[]> } {
  const mid = from + (to - from) / 2;
  const keyOf: Record<PatternDimension, (e: ErrorEvent) => string | null> = {
    category: (e) => e.category,
    code: (e) => e.code,
    device: (e) => e.deviceId,
    site: (e) => e.siteId,
    hour_of_week: (e) => hourOfWeekLabel(localParts(e.at, "UTC").hourOfWeek),
  };
  const inWindow = events.filter((e) => e.at >= from && e.at <= to);
  const result = {} as Record<PatternDimension, ErrorPattern[]>;
  for (const dim of Object.keys(keyOf) as PatternDimension[]) {
    const groups = new Map<string, ErrorEvent[]>();
    for (const e of inWindow) {
      const k = keyOf[dim](e);
      if (k === null) continue;
      const list = groups.get(k);
      if (list) list.push(e);
      else groups.set(k, [e]);
    }
    const patterns: ErrorPattern[] = [];
    for (const [key, list] of groups) {
      if (list.length < minCount) continue;
      const times = list.map((e) => e.at);
      const earlier = list.filter((e) => e.at < mid).length;
      const later = list.length - earlier;
      const days = new Set(times.map((t) => Math.floor(t / (24 * HOUR_MS)))).size;
      const weeks = new Set(times.map((t) => Math.floor(t / (7 * 24 * HOUR_MS)))).size;
      const z = poissonRiseZ(earlier, later);
      const severities: Record<string, number> = {};
      for (const e of list) severities[e.severity] = (severities[e.severity] ?? 0) + 1;
      patterns.push({
        dimension: dim,
        key,
        count: list.length,
        share: round(list.length / inWindow.length, 4),
        first_seen: new Date(Math.min(...times)).toISOString(),
        last_seen: new Date(Math.max(...times)).toISOString(),
        distinct_days: days,
        earlier,
        later,
        rise_z: round(z, 2),
        recurring: dim === "hour_of_week" ? weeks >= 2 : days >= 3,
        rising: later >= 3 && z >= 2,
        severities,
      });
    }
    result[dim] = patterns.sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
  }
  return { total: inWindow.length, patterns: result };
}
