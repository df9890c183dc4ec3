import { describe, expect, it } from "vitest";
import { alignRiskWithHealth, computeFailureRisk, statusText } from "./models/failure-risk.ts";
import { computeHealthScore, plural } from "./models/health-score.ts";
import {
  forecastReadiness,
  MIN_FORECAST_SAMPLES,
  MIN_FORECAST_SPAN_MINUTES,
  notEnoughDataText,
} from "./models/readiness.ts";
import { emptySeries, HOUR_MS, MINUTE_MS, metricRow } from "./models/series.ts";

const T0 = Date.UTC(2026, 0, 5, 12);

describe("a device waiting for its first contact", () => {
  it("has no score, no risk and no downtime instead of 'offline, 100 % critical'", () => {
    const s = emptySeries("pos-new", "site-1", T0 - 7 * 24 * HOUR_MS, T0, "offline");
    s.createdAt = T0 - 10 * MINUTE_MS;
    const h = computeHealthScore(s, 24);
    expect(h.state).toBe("waiting_for_first_contact");
    expect(h.score).toBeNull();
    expect(h.grade).toBe("unknown");
    expect(h.factors.find((f) => f.factor === "uptime")?.status).toBe("no_data");
    const r = computeFailureRisk(s, { horizonHours: 24 });
    expect(r.state).toBe("waiting_for_first_contact");
    expect(r.probability).toBe(0);
    expect(r.risk_level).toBe("unknown");
    expect(r.factors).toEqual([]);
  });

  it("stops waiting once it has reported", () => {
    const s = emptySeries("pos-new", "site-1", T0 - 24 * HOUR_MS, T0, "online");
    s.lastSeen = T0;
    s.metrics.push(metricRow(T0, { cpu: 20, memory: 30 }));
    expect(computeHealthScore(s, 24).state).toBe("scored");
    expect(computeFailureRisk(s, { horizonHours: 24 }).state).toBe("assessed");
  });
});

describe("health and risk agree", () => {
  it("a device in error is 'failed', not a 24 h prediction, and says 'is in error'", () => {
    const s = emptySeries("pos-err", "site-1", T0 - 24 * HOUR_MS, T0, "error");
    s.lastSeen = T0;
    for (let m = 60; m >= 0; m -= 5) s.metrics.push(metricRow(T0 - m * MINUTE_MS, { cpu: 20, memory: 30 }));
    s.states.push({ at: T0 - 5 * MINUTE_MS, from: "online", to: "error" });
    const h = computeHealthScore(s, 24);
    expect(h.state).toBe("failed");
    const r = computeFailureRisk(s, { horizonHours: 24 });
    expect(r.state).toBe("failed");
    expect(r.risk_level).toBe("failed");
    expect(r.factors.find((f) => f.factor === "current_status")?.detail).toBe("the device is in error now");
    expect(r.factors.find((f) => f.factor === "failure_history")?.detail).toMatch(/^1 transition to/);
    // Already failed: the health alignment leaves it alone.
    expect(alignRiskWithHealth(r, h).risk_level).toBe("failed");
  });

  it("critical health factors raise a 'low' risk level and say why", () => {
    const s = emptySeries("pos-hot", "site-1", T0 - 24 * HOUR_MS, T0, "online");
    s.lastSeen = T0;
    for (let m = 120; m >= 0; m -= 5)
      s.metrics.push(metricRow(T0 - m * MINUTE_MS, { cpu: 99, memory: 96, disk: 40, latency: 1500, error_rate: 0 }));
    const h = computeHealthScore(s, 24);
    const critical = h.factors.filter((f) => f.status === "critical");
    expect(critical.length).toBeGreaterThanOrEqual(2);
    const r = computeFailureRisk(s, { horizonHours: 24 });
    expect(r.risk_level).toBe("low");
    const aligned = alignRiskWithHealth(r, h);
    expect(aligned.risk_level).toBe("high");
    expect(aligned.probability).toBe(r.probability);
    expect(aligned.level_reason).toMatch(/critical health factors \(/);
    // A healthy device keeps its level and gets no reason.
    const ok = emptySeries("pos-ok", "site-1", T0 - 24 * HOUR_MS, T0, "online");
    ok.lastSeen = T0;
    for (let m = 120; m >= 0; m -= 5) ok.metrics.push(metricRow(T0 - m * MINUTE_MS, { cpu: 20, memory: 30 }));
    const okRisk = computeFailureRisk(ok, { horizonHours: 24 });
    expect(alignRiskWithHealth(okRisk, computeHealthScore(ok, 24))).toEqual(okRisk);
  });

  it("writes singular and plural counts and statuses as English", () => {
    expect(plural(1, "transition")).toBe("1 transition");
    expect(plural(0, "transition")).toBe("0 transitions");
    expect(plural(2, "status change")).toBe("2 status changes");
    expect(statusText("error")).toBe("in error");
    expect(statusText("offline")).toBe("offline");
  });
});

describe("forecast readiness", () => {
  const every5 = (minutes: number) => Array.from({ length: minutes / 5 + 1 }, (_, i) => T0 - i * 5 * MINUTE_MS);

  it("refuses a projection from 15 minutes of data and says how long to wait", () => {
    const r = forecastReadiness(every5(15), T0);
    expect(r.ready).toBe(false);
    // 4 samples 5 min apart: 26 more samples = 130 min, more than the missing 105 min of span.
    expect(r.needsMinutes).toBe(130);
    expect(notEnoughDataText(r.needsMinutes)).toBe("not enough data yet (needs 130 more minutes)");
  });

  it("projects once both the span and the sample count are reached", () => {
    expect(MIN_FORECAST_SPAN_MINUTES).toBe(120);
    expect(MIN_FORECAST_SAMPLES).toBe(30);
    expect(forecastReadiness(every5(150), T0).ready).toBe(true);
    // Long enough but too sparse: needs the missing samples at its own interval.
    const sparse = Array.from({ length: 10 }, (_, i) => T0 - i * 20 * MINUTE_MS);
    const r = forecastReadiness(sparse, T0);
    expect(r.ready).toBe(false);
    expect(r.needsMinutes).toBe(400);
  });

  it("says what it needs when there is no sample at all", () => {
    const r = forecastReadiness([], T0);
    expect(r.needsMinutes).toBeNull();
    expect(notEnoughDataText(null)).toBe("not enough data yet (needs 30 samples over 120 minutes)");
    expect(notEnoughDataText(1)).toBe("not enough data yet (needs 1 more minute)");
  });
});

describe("failure risk needs history before it extrapolates a trend", () => {
  /** Memory climbing 4 points a minute, one sample a minute, for `minutes`, ending at 98 %... or below. */
  const climbing = (minutes: number, end: number) => {
    const s = emptySeries("pos-leak", "site-1", T0 - 7 * 24 * HOUR_MS, T0, "online");
    s.lastSeen = T0;
    for (let m = minutes; m >= 0; m -= 1) s.metrics.push(metricRow(T0 - m * MINUTE_MS, { memory: end - 0.4 * m }));
    return s;
  };

  it("15 minutes of a steep rise: no '42 → 100 %' projection, but how many minutes it still needs", () => {
    const r = computeFailureRisk(climbing(15, 60), { horizonHours: 24 });
    expect(r.state).toBe("assessed");
    expect(r.factors.find((f) => f.factor === "memory_trend")).toBeUndefined();
    expect(r.estimated_failure_at).toBeNull();
    expect(r.trend_note).toBe("not enough data yet (needs 105 more minutes)");
  });

  it("a resource already at its failure level counts even on a short history (the present, not a projection)", () => {
    const r = computeFailureRisk(climbing(15, 99), { horizonHours: 24 });
    expect(r.factors.find((f) => f.factor === "memory_trend")).toMatchObject({ current_state: true });
  });

  it("projects the same rise once the history is long enough", () => {
    const r = computeFailureRisk(climbing(150, 60), { horizonHours: 24 });
    expect(r.trend_note).toBeNull();
    const trend = r.factors.find((f) => f.factor === "memory_trend");
    expect(trend?.probability).toBeGreaterThan(0.5);
    expect(r.estimated_failure_at).not.toBeNull();
  });
});
