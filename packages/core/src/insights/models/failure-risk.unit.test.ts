import { describe, expect, it } from "vitest";
import { computeFailureRisk, configImpact, excessCountProbability, exhaustionProbability } from "./failure-risk.ts";
import { emptySeries, HOUR_MS, MINUTE_MS, metricRow } from "./series.ts";

const T0 = Date.UTC(2026, 0, 5, 12);
/** Deterministic wiggle in [-1, 1]. */
const wiggle = (i: number) => Math.sin(i * 12.9898) * 0.999;

describe("failure risk", () => {
  it("exhaustion: a clear leak whose crossing is inside the horizon is near 0.95", () => {
    // 60 % rising 20 %/h for 2 h → 100 % would be reached... level at end = 100? use 1 h of rise: 60 → 80, limit 97 → 0.85 h.
    const pts = Array.from({ length: 13 }, (_, i) => ({ t: i / 12, v: 60 + 20 * (i / 12) + 0.3 * wiggle(i) }));
    const r = exhaustionProbability(pts, 97, 1, 0.5);
    expect(r.etaHours).toBeGreaterThan(0.7);
    expect(r.etaHours).toBeLessThan(1);
    expect(r.reliability).toBe(1);
    expect(r.p).toBeCloseTo(0.95, 6);
    // The same leak with a 0.25 h horizon: crossing 0.85 h away → p = 0.95·exp(-(0.85−0.25)/0.25).
    const r2 = exhaustionProbability(pts, 97, 0.25, 0.5);
    expect(r2.p).toBeCloseTo(0.95 * Math.exp(-((r2.etaHours as number) - 0.25) / 0.25), 6);
  });

  it("exhaustion: noise without a trend gives no probability", () => {
    const pts = Array.from({ length: 25 }, (_, i) => ({ t: i / 12, v: 55 + 3 * wiggle(i) }));
    expect(exhaustionProbability(pts, 97, 24, 0.5).p).toBeLessThan(0.05);
  });

  it("excess counts against the device's own rate", () => {
    expect(excessCountProbability(2, 2, 0.7).p).toBe(0);
    // z = (10 − 1)/√2 ≈ 6.36 → full pMax.
    expect(excessCountProbability(10, 1, 0.7).p).toBe(0.7);
  });

  it("a healthy, steady device is low risk; a leaking one is high with the memory factor first", () => {
    const healthy = emptySeries("pos-1", "site-1", T0 - 48 * HOUR_MS, T0);
    const leaking = emptySeries("pos-2", "site-1", T0 - 48 * HOUR_MS, T0);
    for (let i = 0; i <= 120; i++) {
      const at = T0 - (120 - i) * MINUTE_MS;
      healthy.metrics.push(
        metricRow(at, {
          cpu: 30 + 3 * wiggle(i),
          memory: 55 + 2 * wiggle(i + 1),
          disk: 40,
          latency: 60,
          error_rate: 0.5,
        }),
      );
      leaking.metrics.push(
        metricRow(at, {
          cpu: 30 + 3 * wiggle(i),
          memory: 50 + 0.3 * i + 2 * wiggle(i + 1),
          disk: 40,
          latency: 60,
          error_rate: 0.5,
        }),
      );
    }
    const low = computeFailureRisk(healthy, { horizonHours: 1 });
    expect(low.probability).toBeLessThan(0.2);
    expect(low.risk_level).toBe("low");
    const high = computeFailureRisk(leaking, { horizonHours: 1 });
    expect(high.probability).toBeGreaterThan(0.8);
    expect(high.factors[0]?.factor).toBe("memory_trend");
    expect(high.estimated_failure_at).not.toBeNull();
    expect(high.sample_size.metrics).toBe(121);
  });

  it("a device already in error is certain, and an empty series is zero with zero confidence", () => {
    const s = emptySeries("pos-1", "site-1", T0 - HOUR_MS, T0, "error");
    const r = computeFailureRisk(s, { horizonHours: 24 });
    expect(r.probability).toBe(1);
    const e = computeFailureRisk(emptySeries("pos-1", "site-1", T0, T0), { horizonHours: 24 });
    expect(e.probability).toBe(0);
    expect(e.confidence).toBe(0);
  });

  it("a spike of failed health checks over the usual rate raises risk", () => {
    const s = emptySeries("pos-1", "site-1", T0 - 24 * HOUR_MS, T0);
    for (let m = 24 * 60; m > 60; m -= 10) s.checks.push({ at: T0 - m * MINUTE_MS, healthy: m % 70 !== 0 });
    for (let m = 60; m > 0; m -= 5) s.checks.push({ at: T0 - m * MINUTE_MS, healthy: m > 40 });
    const r = computeFailureRisk(s, { horizonHours: 1 });
    const f = r.factors.find((x) => x.factor === "health_check_failures");
    // Checks at 55…5 min ago are inside the last hour: 11, of which those at 40…5 min failed: 8.
    expect(f?.value).toBeCloseTo((100 * 8) / 11, 1);
    // Clustered failures inflate the variance 4×, so 8 of 11 against a ~14 % usual rate is a clear but not certain signal.
    expect(f?.probability).toBeGreaterThan(0.1);
    expect(f?.probability).toBeLessThan(0.85);
    const calm = {
      ...s,
      checks: s.checks.map((c) => ({ ...c, healthy: c.at < T0 - 60 * MINUTE_MS ? c.healthy : true })),
    };
    expect(
      computeFailureRisk(calm, { horizonHours: 1 }).factors.find((x) => x.factor === "health_check_failures")
        ?.probability,
    ).toBe(0);
  });

  it("measures a config change's impact from the hour before and after", () => {
    const s = emptySeries("pos-1", "site-1", T0 - 24 * HOUR_MS, T0);
    const change = T0 - 30 * MINUTE_MS;
    for (let m = 90; m >= 0; m -= 5) {
      const at = T0 - m * MINUTE_MS;
      s.metrics.push(metricRow(at, { error_rate: at < change ? 0.5 : 5.5, latency: 100 }));
    }
    s.configs.push({
      at: change,
      parameter: "config_version",
      successful: null,
      rolledBack: false,
      before: null,
      after: null,
    });
    const impact = configImpact(s, change);
    expect(impact?.errorBefore).toBeCloseTo(0.5, 6);
    expect(impact?.errorAfter).toBeCloseTo(5.5, 6);
    expect(impact?.degradation).toBe(1);
    const r = computeFailureRisk(s, { horizonHours: 1 });
    expect(r.factors.find((f) => f.factor === "config_change")?.probability).toBe(0.75);
  });

  it("config change: the restart's short slowdown and an unhealthy episode after it are not the config's impact", () => {
    const s = emptySeries("pos-1", "site-1", T0 - 48 * HOUR_MS, T0);
    const change = T0 - 20 * MINUTE_MS;
    for (let m = 80; m >= 0; m -= 1) {
      const at = T0 - m * MINUTE_MS;
      const sinceChange = at - change;
      // Two minutes of cold caches right after the change, then a four-report gateway episode 10 minutes later.
      const blip = sinceChange >= 0 && sinceChange < 2 * MINUTE_MS;
      const episode = sinceChange >= 10 * MINUTE_MS && sinceChange < 14 * MINUTE_MS;
      s.metrics.push(
        metricRow(at, { error_rate: episode ? 40 : 0.2, latency: episode ? 1500 : blip ? 180 : 40 + (m % 3) }),
      );
    }
    s.configs.push({
      at: change,
      parameter: "config_version",
      successful: null,
      rolledBack: false,
      before: null,
      after: null,
    });
    const impact = configImpact(s, change);
    expect(impact?.degradation).toBe(0);
    const r = computeFailureRisk(s, { horizonHours: 1 });
    expect(r.factors.find((f) => f.factor === "config_change")?.probability).toBe(0.02);
    // The same change degrading every report after it settles is its impact.
    const bad = { ...s, metrics: s.metrics.map((m) => (m.at >= change ? { ...m, error_rate: 9, latency: 130 } : m)) };
    expect(configImpact(bad, change)?.degradation).toBe(1);
  });

  it("CPU: a climb the site's load does not explain is projected to saturation; a site-wide rise is not", () => {
    // Two hours of history; over the last hour the device's CPU climbs 40 → 80 %.
    const device = emptySeries("pos-1", "site-1", T0 - 48 * HOUR_MS, T0);
    for (let i = 0; i <= 120; i++) {
      const at = T0 - (120 - i) * MINUTE_MS;
      device.metrics.push(
        metricRow(at, { cpu: (i < 60 ? 40 : 40 + (40 * (i - 60)) / 60) + 2 * wiggle(i), memory: 50 }),
      );
    }
    /** The device's series relative to a site whose median CPU is `site(i)` (what peerAdjust gives). */
    const relative = (site: (i: number) => number) => ({
      ...device,
      peerAdjusted: true,
      metrics: device.metrics.map((m, i) => ({ ...m, cpu: (m.cpu as number) - site(i) })),
    });
    // The site stays at 30 %: the climb is the device's own (a runaway process).
    const runaway = computeFailureRisk(device, { horizonHours: 1, peers: relative(() => 30) });
    const cpu = runaway.factors.find((f) => f.factor === "cpu_trend");
    expect(cpu?.probability).toBeGreaterThan(0.8);
    expect(cpu?.current_state).toBe(false);
    expect(cpu?.detail).toMatch(/^CPU saturation: now (79|8\d)(\.\d)? %, \+3\d/);
    expect(runaway.elevated_probability).toBeGreaterThan(0.8);
    expect(runaway.estimated_failure_at).not.toBeNull();
    // The whole site climbs with it (a rush, the daily peak): relative to its peers the device is flat.
    const rush = computeFailureRisk(device, {
      horizonHours: 1,
      peers: relative((i) => (i < 60 ? 30 : 30 + (40 * (i - 60)) / 60)),
    });
    expect(rush.factors.find((f) => f.factor === "cpu_trend")?.probability).toBeLessThan(0.05);
    expect(rush.elevated_probability).toBeLessThan(0.2);
    // Without peers CPU is left out: load alone moves it.
    expect(computeFailureRisk(device, { horizonHours: 1 }).factors.some((f) => f.factor === "cpu_trend")).toBe(false);
  });
});
