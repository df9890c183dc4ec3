/** Time-axis helpers of the charts: ticks at round times whose labels never repeat, and "is there any data". */

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const STEPS = [MIN, 5 * MIN, 15 * MIN, 30 * MIN, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY];

/** The local-time offset of `t` in ms (positive east of UTC), so ticks fall on local round hours and midnights. */
function localOffset(t: number): number {
  return -new Date(t).getTimezoneOffset() * MIN;
}

/** Round tick times within [from, to], at most about `target` of them, and the step between them. */
export function timeTicks(from: number, to: number, target = 7): { ticks: number[]; step: number } {
  if (!(to > from)) return { ticks: Number.isFinite(from) ? [from] : [], step: MIN };
  const span = to - from;
  const step = STEPS.find((s) => span / s <= target) ?? Math.ceil(span / target / DAY) * DAY;
  const ticks: number[] = [];
  const offset = localOffset(from);
  for (let t = Math.ceil((from + offset) / step) * step - offset; t <= to; t += step) ticks.push(t);
  return { ticks, step };
}

/** A tick's label, precise enough for `step` over `span` that two ticks never read the same. */
export function formatTick(t: number, step: number, span: number): string {
  const d = new Date(t);
  if (step >= DAY) return d.toLocaleDateString(undefined, { month: "short", day: "numeric" });
  const time = d.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
  if (span <= DAY - step) return time;
  return `${d.toLocaleDateString(undefined, { weekday: "short", day: "numeric" })} ${time}`;
}

/** Whether any row has a number for any of `keys` (an empty chart says "no data" instead of drawing axes). */
export function hasData(rows: readonly Record<string, number | null | undefined>[], keys: readonly string[]): boolean {
  return rows.some((r) => keys.some((k) => typeof r[k] === "number" && Number.isFinite(r[k])));
}

/** A series' legend name: "(no data)" after it when it has no number in `rows`, so it is not silently missing. */
export function seriesName(
  rows: readonly Record<string, number | null | undefined>[],
  key: string,
  label: string,
): string {
  return hasData(rows, [key]) ? label : `${label} (no data)`;
}
