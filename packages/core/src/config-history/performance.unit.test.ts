import { describe, expect, it } from "vitest";
import { comparePerformance, type PerformanceSnapshot } from "./performance.ts";

const snap = (over: Partial<PerformanceSnapshot>): PerformanceSnapshot => ({
  health_check_id: 1,
  checked_at: "2026-01-01T00:00:00.000Z",
  status: "healthy",
  is_healthy: true,
  response_time_ms: 100,
  error_rate: 0.5,
  cpu_percent: 20,
  memory_percent: 40,
  config_version: "1.0.0",
  ...over,
});

describe("comparePerformance", () => {
  it("accepts an unchanged or better device", () => {
    expect(comparePerformance(snap({}), snap({ response_time_ms: 90 }))).toEqual({ degraded: false, reasons: [] });
  });
  it("flags healthy → unhealthy", () => {
    const c = comparePerformance(snap({}), snap({ is_healthy: false, status: "unhealthy" }));
    expect(c.degraded).toBe(true);
    expect(c.reasons[0]).toMatch(/healthy to unhealthy/);
  });
  it("flags a large response-time rise but not a small one", () => {
    expect(comparePerformance(snap({}), snap({ response_time_ms: 400 })).degraded).toBe(true);
    expect(comparePerformance(snap({}), snap({ response_time_ms: 180 })).degraded).toBe(false);
  });
  it("flags an error-rate jump", () => {
    expect(comparePerformance(snap({ error_rate: 1 }), snap({ error_rate: 6 })).degraded).toBe(true);
    expect(comparePerformance(snap({ error_rate: 1 }), snap({ error_rate: 1.5 })).degraded).toBe(false);
  });
  it("does not blame a change for a device that was already unhealthy", () => {
    expect(comparePerformance(snap({ is_healthy: false }), snap({ is_healthy: false })).degraded).toBe(false);
  });
});
