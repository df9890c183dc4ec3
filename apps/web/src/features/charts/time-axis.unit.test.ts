import { describe, expect, it } from "vitest";
import { formatTick, hasData, seriesName, timeTicks } from "./time-axis.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 2, 10, 12, 34, 56);

function labels(span: number) {
  const from = NOW - span;
  const { ticks, step } = timeTicks(from, NOW);
  return { ticks, step, labels: ticks.map((t) => formatTick(t, step, span)) };
}

describe("time axis", () => {
  it.each([
    ["an hour", HOUR],
    ["a day", DAY],
    ["a week", 7 * DAY],
    ["a month", 30 * DAY],
    ["15 minutes", HOUR / 4],
  ])("never repeats a tick label over %s", (_name, span) => {
    const { ticks, labels: ls } = labels(span);
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(ticks.length).toBeLessThanOrEqual(8);
    expect(new Set(ls).size).toBe(ls.length);
  });

  it("puts every tick inside the range, on round times, evenly spaced", () => {
    const from = NOW - DAY;
    const { ticks, step } = timeTicks(from, NOW);
    expect(ticks.every((t) => t >= from && t <= NOW)).toBe(true);
    expect(ticks.every((t) => new Date(t).getMinutes() === 0 && new Date(t).getSeconds() === 0)).toBe(true);
    expect(ticks.slice(1).every((t, i) => t - (ticks[i] ?? 0) === step)).toBe(true);
  });

  it("labels a week by weekday and time, a month by date", () => {
    const week = labels(7 * DAY);
    expect(week.step).toBeGreaterThanOrEqual(DAY);
    const day = labels(DAY);
    expect(day.labels.every((l) => /\d/.test(l))).toBe(true);
    expect(formatTick(NOW, DAY, 30 * DAY)).toMatch(/10/);
  });

  it("copes with an empty or single-point range", () => {
    expect(timeTicks(NOW, NOW).ticks).toEqual([NOW]);
    expect(timeTicks(Number.NaN, Number.NaN).ticks).toEqual([]);
  });

  it("knows when there is no data at all", () => {
    expect(hasData([], ["a"])).toBe(false);
    expect(
      hasData(
        [
          { t: 1, a: null },
          { t: 2, a: null },
        ],
        ["a"],
      ),
    ).toBe(false);
    expect(hasData([{ t: 1, a: null, b: 0 }], ["a"])).toBe(false);
    expect(hasData([{ t: 1, a: 0 }], ["a"])).toBe(true);
  });
});

describe("an empty series says so", () => {
  it("names a series without a number 'no data' in the legend", () => {
    const rows = [
      { t: 1, cpu: 20, disk: null },
      { t: 2, cpu: 21, disk: null },
    ];
    expect(seriesName(rows, "cpu", "CPU")).toBe("CPU");
    expect(seriesName(rows, "disk", "Disk")).toBe("Disk (no data)");
  });
});
