import { numberWord } from "./vocabulary.ts";

export interface Period {
  start: Date;
  end: Date;
  /** How the question said it ("yesterday", "last 3 days"), or the default the intent chose. */
  label: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function startOfUtcDay(t: Date): Date {
  return new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()));
}
function startOfUtcWeek(t: Date): Date {
  const day = startOfUtcDay(t);
  return new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * DAY);
}

/** Relative dates of a question, in UTC: every period a question names, in order. */
export function findPeriods(tokens: readonly string[], now: Date): Period[] {
  const out: Period[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const next = tokens[i + 1];
    const after = tokens[i + 2];
    if (t === "today") out.push({ start: startOfUtcDay(now), end: now, label: "today" });
    else if (t === "yesterday") {
      const end = startOfUtcDay(now);
      out.push({ start: new Date(end.getTime() - DAY), end, label: "yesterday" });
    } else if ((t === "this" || t === "current") && next === "week")
      out.push({ start: startOfUtcWeek(now), end: now, label: "this week" });
    else if ((t === "this" || t === "current") && next === "month") {
      out.push({
        start: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)),
        end: now,
        label: "this month",
      });
    } else if ((t === "last" || t === "previous" || t === "past") && next !== undefined) {
      const n = numberWord(next);
      const unit = n !== undefined ? after : next;
      const count = n ?? 1;
      const ms = unit?.startsWith("hour")
        ? HOUR
        : unit?.startsWith("day") || unit === "night"
          ? DAY
          : unit?.startsWith("week")
            ? 7 * DAY
            : unit?.startsWith("month")
              ? 30 * DAY
              : 0;
      if (!ms || count < 1 || count > 365) continue;
      if (n === undefined && unit === "week" && t !== "past") {
        const end = startOfUtcWeek(now);
        out.push({ start: new Date(end.getTime() - 7 * DAY), end, label: "last week" });
      } else {
        const label = n === undefined ? `${t} ${unit}` : `${t} ${count} ${unit}`;
        out.push({ start: new Date(now.getTime() - count * ms), end: now, label });
      }
      i += n === undefined ? 1 : 2;
    }
  }
  return out;
}

export function defaultPeriod(now: Date, days: number): Period {
  return {
    start: new Date(now.getTime() - days * DAY),
    end: now,
    label: days === 1 ? "last 24 hours" : `last ${days} days`,
  };
}

export function periodHours(p: Period): number {
  return Math.max(1, Math.round((p.end.getTime() - p.start.getTime()) / HOUR));
}
