import { describe, expect, it } from "vitest";
import { availability, computeHealthScore, penaltyShare } from "./health-score.ts";
import { emptySeries, HOUR_MS, MINUTE_MS, metricRow } from "./series.ts";

const T0 = Date.UTC(2026, 0, 5, 12);

function steady(values: Parameters<typeof metricRow>[1], minutes = 120) {
  const s = emptySeries("pos-1", "site-1", T0 - 24 * HOUR_MS, T0);
  for (let m = minutes; m >= 0; m -= 5) s.metrics.push(metricRow(T0 - m * MINUTE_MS, values));
  return s;
}

describe("health score", () => {
  it("is 100 for a device well inside every threshold", () => {
    const s = steady({ cpu: 30, memory: 50, disk: 40, latency: 50, error_rate: 0 });
    for (let m = 60; m >= 0; m -= 10) s.checks.push({ at: T0 - m * MINUTE_MS, healthy: true });
    const h = computeHealthScore(s, 24);
    expect(h.score).toBe(100);
    expect(h.grade).toBe("healthy");
    expect(h.factors.every((f) => f.penalty === 0)).toBe(true);
    expect(h.sample_size.metrics).toBe(25);
    expect(h.confidence).toBeGreaterThan(0.9);
  });

  it("takes each factor's share linearly between warn and critical", () => {
    expect(penaltyShare(85, 75, 95)).toBe(0.5);
    expect(penaltyShare(50, 75, 95)).toBe(0);
    expect(penaltyShare(99, 75, 95)).toBe(1);
    // Only the five metrics plus flapping/uptime have data: weights 15,15,10,10,15,10,10 = 85 → memory weighs 100·15/85.
    const h = computeHealthScore(steady({ cpu: 30, memory: 85, disk: 40, latency: 50, error_rate: 0 }), 24);
    const mem = h.factors.find((f) => f.factor === "memory");
    expect(mem?.weight).toBeCloseTo((100 * 15) / 85, 2);
    expect(mem?.penalty).toBeCloseTo((100 * 15) / 85 / 2, 2);
    expect(mem?.status).toBe("critical");
    expect(h.score).toBeCloseTo(100 - (100 * 15) / 85 / 2, 1);
    expect(h.factors.find((f) => f.factor === "health_checks")?.status).toBe("no_data");
  });

  it("counts downtime only since the device was registered: online for 15 minutes is 100 % available", () => {
    const s = steady({ cpu: 30, memory: 50, disk: 40, latency: 50, error_rate: 0 }, 15);
    // Registered 15 minutes ago; its first status change took it from offline (the default) to online.
    s.createdAt = T0 - 15 * MINUTE_MS;
    s.states.push({ at: T0 - 15 * MINUTE_MS, from: "offline", to: "online" });
    const h = computeHealthScore(s, 24);
    const uptime = h.factors.find((f) => f.factor === "uptime");
    expect(uptime?.value).toBe(0);
    expect(uptime?.penalty).toBe(0);
    expect(uptime?.detail).toBe("available 100 % of the 15 minutes since it was registered");
    expect(h.score).toBe(100);
    // Without the registration time the whole window before the first change counted as downtime.
    s.createdAt = null;
    expect(computeHealthScore(s, 24).factors.find((f) => f.factor === "uptime")?.status).toBe("critical");
  });

  it("counts failed health checks, flapping and downtime", () => {
    const s = steady({ cpu: 30, memory: 50, disk: 40, latency: 50, error_rate: 0 });
    for (let i = 0; i < 10; i++) s.checks.push({ at: T0 - i * 10 * MINUTE_MS, healthy: i >= 4 });
    // Online until 6 h before, offline 3 h, then online: 3 of 24 h down; 2 changes in 24 h.
    s.states.push(
      { at: T0 - 6 * HOUR_MS, from: "online", to: "offline" },
      { at: T0 - 3 * HOUR_MS, from: "offline", to: "online" },
    );
    const h = computeHealthScore(s, 24);
    const checks = h.factors.find((f) => f.factor === "health_checks");
    expect(checks?.value).toBe(40);
    expect(checks?.penalty).toBeCloseTo(15 * 0.5, 6);
    const up = h.factors.find((f) => f.factor === "uptime");
    expect(up?.value).toBeCloseTo(12.5, 6);
    expect(up?.penalty).toBeCloseTo(10 * ((12.5 - 1) / 24), 2);
    expect(h.factors.find((f) => f.factor === "flapping")?.value).toBeCloseTo(2 / 24, 2);
  });

  it("says unknown, with no made-up number, without data", () => {
    const h = computeHealthScore(emptySeries("pos-1", "site-1", T0 - HOUR_MS, T0), 24);
    expect(h.score).toBeNull();
    expect(h.grade).toBe("unknown");
    expect(h.confidence).toBe(0);
  });

  it("reports a rising memory trend", () => {
    const s = emptySeries("pos-1", "site-1", T0 - 24 * HOUR_MS, T0);
    for (let m = 120; m >= 0; m -= 5) s.metrics.push(metricRow(T0 - m * MINUTE_MS, { memory: 50 + (120 - m) * 0.2 }));
    const tr = computeHealthScore(s, 24).trends.find((t) => t.metric === "memory");
    expect(tr?.direction).toBe("rising");
    expect(tr?.slope_per_hour).toBeCloseTo(12, 3);
  });

  it("availability starts from the last change before the window", () => {
    const states = [
      { at: T0 - 30 * HOUR_MS, from: "online", to: "error" },
      { at: T0 - 12 * HOUR_MS, from: "error", to: "online" },
    ];
    expect(availability(states, "online", T0 - 24 * HOUR_MS, T0)).toBeCloseTo(0.5, 9);
    expect(availability([], "offline", T0 - HOUR_MS, T0)).toBe(0);
  });
});
