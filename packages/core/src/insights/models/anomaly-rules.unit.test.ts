import { describe, expect, it } from "vitest";
import type { ScheduleDay } from "../../schedules/opening-hours.ts";
import {
  detectFlapping,
  detectIntermittentGaps,
  detectJobFailureSpike,
  detectMetricOutliers,
  detectOutsideHours,
  detectSilence,
  transactionActivity,
} from "./anomaly-rules.ts";
import { emptySeries, HOUR_MS, MINUTE_MS, metricRow } from "./series.ts";

// Monday 2026-01-05 12:00 UTC.
const T0 = Date.UTC(2026, 0, 5, 12);
const wiggle = (i: number) => Math.sin(i * 12.9898) * 0.999;

function baseline(memoryNow: number) {
  const s = emptySeries("pos-1", "site-1", T0 - 24 * HOUR_MS, T0);
  for (let i = 0; i <= 240; i++) {
    const at = T0 - (240 - i) * MINUTE_MS;
    s.metrics.push(
      metricRow(at, {
        cpu: 30 + 4 * wiggle(i),
        memory: at > T0 - 10 * MINUTE_MS ? memoryNow : 50 + 3 * wiggle(i + 7),
        disk: 40,
        latency: 80 + 10 * wiggle(i + 3),
        error_rate: 0.2,
      }),
    );
  }
  return s;
}

describe("anomaly detection", () => {
  it("flags a metric far from the device's own median, with its z", () => {
    const none = detectMetricOutliers(baseline(51));
    expect(none).toEqual([]);
    const [a] = detectMetricOutliers(baseline(70));
    expect(a?.metric).toBe("memory");
    const d = a?.details as { baseline_median: number; baseline_mad: number; z: number };
    expect(d.z).toBeCloseTo((0.6745 * (70 - d.baseline_median)) / Math.max(d.baseline_mad, 1.5), 1);
    expect(a?.fingerprint).toBe("metric_outlier:pos-1:memory:high");
  });

  it("needs a baseline before judging", () => {
    const s = baseline(90);
    s.metrics = s.metrics.slice(-15);
    expect(detectMetricOutliers(s)).toEqual([]);
  });

  it("flags transactions while the site is closed", () => {
    const schedule: ScheduleDay[] = [
      {
        dayOfWeek: 0,
        openTime: "08:00",
        closeTime: "22:00",
        isClosed: false,
        isMaintenanceWindow: false,
        expectedTransactionVolume: 500,
        peakHoursStart: "12:00",
        peakHoursEnd: "14:00",
      },
    ];
    const night = Date.UTC(2026, 0, 5, 23);
    const s = emptySeries("pos-1", "site-1", night - HOUR_MS, night);
    for (let m = 50; m >= 0; m -= 10) s.metrics.push(metricRow(night - m * MINUTE_MS, { transactions: 3 }));
    const [a] = detectOutsideHours(s, schedule, "UTC");
    expect(a?.kind).toBe("outside_hours_activity");
    expect(a?.score).toBe(18);
    // The same activity at 12:00 UTC is inside opening hours; and in New York 12:00 UTC is 07:00, closed.
    const day = emptySeries("pos-1", "site-1", T0 - HOUR_MS, T0);
    for (let m = 50; m >= 0; m -= 10) day.metrics.push(metricRow(T0 - m * MINUTE_MS, { transactions: 3 }));
    expect(detectOutsideHours(day, schedule, "UTC")).toEqual([]);
    expect(detectOutsideHours(day, schedule, "America/New_York")).toHaveLength(1);
  });

  it("flags unusual flapping against the device's history", () => {
    const s = emptySeries("pos-1", "site-1", T0 - 7 * 24 * HOUR_MS, T0);
    for (let i = 0; i < 6; i++)
      s.states.push({ at: T0 - i * 8 * MINUTE_MS, from: i % 2 ? "online" : "error", to: i % 2 ? "error" : "online" });
    const [a] = detectFlapping(s);
    expect(a?.kind).toBe("state_flapping");
    expect((a?.details as { changes: number } | undefined)?.changes).toBe(6);
    s.states = s.states.slice(0, 3);
    expect(detectFlapping(s)).toEqual([]);
  });

  it("does not take a bad stretch of short episodes on an already restless device for flapping", () => {
    // Seven hours with 17 status changes (about 2.2 an hour), then 11 in the last hour: episodes cluster.
    const s = emptySeries("pos-1", "site-1", T0 - 8 * HOUR_MS, T0);
    const change = (at: number, i: number) =>
      s.states.push({ at, from: i % 2 ? "online" : "error", to: i % 2 ? "error" : "online" });
    for (let i = 0; i < 17; i++) change(T0 - 2 * HOUR_MS - i * 20 * MINUTE_MS, i);
    for (let i = 0; i < 11; i++) change(T0 - i * 5 * MINUTE_MS, i);
    expect(detectFlapping(s)).toEqual([]);
    // Sixteen in the hour is more than such stretches explain.
    for (let i = 11; i < 16; i++) change(T0 - i * 3 * MINUTE_MS - 1000, i);
    expect(detectFlapping(s)[0]?.kind).toBe("state_flapping");
  });

  it("flags a spike of job failures over the usual rate", () => {
    const outcomes = [];
    for (let i = 0; i < 50; i++) outcomes.push({ at: T0 - (48 + i) * HOUR_MS, failed: i % 25 === 0, siteId: null });
    for (let i = 0; i < 10; i++) outcomes.push({ at: T0 - i * HOUR_MS, failed: i < 6, siteId: null });
    const [a] = detectJobFailureSpike(outcomes, T0, null);
    expect(a?.kind).toBe("job_failure_spike");
    expect((a?.details as { failed: number } | undefined)?.failed).toBe(6);
    expect(detectJobFailureSpike(outcomes.slice(0, 50), T0, null)).toEqual([]);
  });
});

describe("silence", () => {
  it("flags a device silent for more than four of its usual intervals", () => {
    const s = emptySeries("pos-1", "site-1", T0 - HOUR_MS, T0);
    for (let m = 60; m >= 6; m -= 1) s.metrics.push(metricRow(T0 - m * MINUTE_MS, { cpu: 10 }));
    const [a] = detectSilence(s);
    expect(a?.kind).toBe("device_silent");
    expect((a?.details as { silent_seconds: number } | undefined)?.silent_seconds).toBe(360);
    s.metrics.push(metricRow(T0 - 2 * MINUTE_MS, { cpu: 10 }));
    expect(detectSilence(s)).toEqual([]);
  });

  it("flags a device that keeps dropping out for a report or two (never silent long enough to be offline)", () => {
    const s = emptySeries("pos-1", "site-1", T0 - HOUR_MS, T0);
    // Every minute for an hour, except that in the last 30 minutes 2 of every 6 minutes are missing.
    for (let m = 60; m >= 0; m -= 1)
      if (m > 30 || m % 6 >= 2) s.metrics.push(metricRow(T0 - m * MINUTE_MS, { cpu: 10 }));
    expect(detectSilence(s)).toEqual([]);
    const [a] = detectIntermittentGaps(s);
    expect(a).toMatchObject({ kind: "intermittent_connectivity", device_id: "pos-1", metric: "reports" });
    expect((a?.details as { dropouts: number } | undefined)?.dropouts).toBe(5);
    // Two dropouts in the window (one network loss and a reboot) are not a pattern.
    const steady = emptySeries("pos-1", "site-1", T0 - HOUR_MS, T0);
    for (let m = 60; m >= 0; m -= 1)
      if (m !== 20 && m !== 10 && m !== 9) steady.metrics.push(metricRow(T0 - m * MINUTE_MS, { cpu: 10 }));
    expect(detectIntermittentGaps(steady)).toEqual([]);
  });
});

describe("transaction activity", () => {
  it("reads a running total as its increments and per-sample counts as they are", () => {
    // A day's running total (3 more per sample), reset at midnight to 2.
    const totals = [...Array.from({ length: 30 }, (_, i) => 3 * i), 2, 5];
    const running = totals.map((transactions, i) => ({ at: i, transactions }));
    expect(transactionActivity(running)).toEqual([0, ...Array.from({ length: 29 }, () => 3), 2, 3]);
    const perSample = [1, 0, 3, 1, 0, 2, 1].map((transactions, i) => ({ at: i, transactions }));
    expect(transactionActivity(perSample)).toEqual([1, 0, 3, 1, 0, 2, 1]);
  });
});
