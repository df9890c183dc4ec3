import { describe, expect, it } from "vitest";
import { phaseAt, type ScheduleDay } from "../../schedules/opening-hours.ts";
import { rankJobWindows } from "./window-ranking.ts";

// Monday 2026-01-05 10:00 UTC.
const NOW = Date.UTC(2026, 0, 5, 10);
const day = (dayOfWeek: number, extra: Partial<ScheduleDay> = {}): ScheduleDay => ({
  dayOfWeek,
  openTime: "08:00",
  closeTime: "22:00",
  isClosed: false,
  isMaintenanceWindow: false,
  expectedTransactionVolume: 500,
  peakHoursStart: "12:00",
  peakHoursEnd: "14:00",
  ...extra,
});
const week = [0, 1, 2, 3, 4, 5, 6].map((d) =>
  day(d, d === 2 ? { isMaintenanceWindow: true } : d === 4 ? { closeTime: "01:00" } : {}),
);

describe("maintenance windows", () => {
  it("phases: closed, open, peak, and past midnight", () => {
    expect(phaseAt(week, 0, 7 * 60)).toBe("closed");
    expect(phaseAt(week, 0, 9 * 60)).toBe("open");
    expect(phaseAt(week, 0, 13 * 60)).toBe("peak");
    // Friday closes at 01:00 Saturday.
    expect(phaseAt(week, 5, 30)).toBe("open");
    expect(phaseAt(week, 5, 90)).toBe("closed");
    expect(phaseAt([], 0, 0)).toBe("unknown");
  });

  it("picks the closed hours of the maintenance day when only the schedule is known", () => {
    const r = rankJobWindows({
      now: NOW,
      timeZone: "UTC",
      schedule: week,
      volumeByHourOfWeek: new Map(),
      jobsByHour: new Map(),
      durationMinutes: 60,
    });
    const best = r.windows[0];
    expect(best?.local_start.startsWith("Wed")).toBe(true);
    expect(best?.phases.closed).toBe(60);
    expect(best?.reasons.join(" ")).toContain("maintenance day");
    expect(r.windows.length).toBe(5);
    expect(r.confidence).toBeGreaterThan(0.3);
    expect(r.confidence).toBeLessThan(0.7);
  });

  it("avoids hours where past jobs failed and where transactions were observed", () => {
    const flat = [0, 1, 2, 3, 4, 5, 6].map((d) => day(d));
    const volume = new Map<number, { mean: number; hours: number }>();
    for (let h = 0; h < 168; h++) volume.set(h, { mean: h % 24 < 8 ? (h % 24 === 3 ? 0 : 40) : 100, hours: 4 });
    const jobs = new Map([
      [3, { total: 20, failed: 0 }],
      [4, { total: 20, failed: 10 }],
    ]);
    const r = rankJobWindows({
      now: NOW,
      timeZone: "UTC",
      schedule: flat,
      volumeByHourOfWeek: volume,
      jobsByHour: jobs,
      durationMinutes: 60,
    });
    expect(r.windows[0]?.start.slice(11, 16)).toBe("03:00");
    expect(r.windows[0]?.expected_transactions).toBe(0);
    expect(r.data.job_outcomes).toBe(40);
  });

  it("without any data every start is equal and confidence is zero", () => {
    const r = rankJobWindows({
      now: NOW,
      timeZone: "UTC",
      schedule: [],
      volumeByHourOfWeek: new Map(),
      jobsByHour: new Map(),
      durationMinutes: 30,
    });
    expect(r.confidence).toBe(0);
    expect(r.windows[0]?.score).toBe(50);
  });
});
