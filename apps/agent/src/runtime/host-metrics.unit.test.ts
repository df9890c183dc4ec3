import { HealthReportBody, MetricSample } from "@homepot/contracts/telemetry";
import { describe, expect, it } from "vitest";
import { assess, healthBody, metricsSample, readHost } from "./host-metrics.ts";
import { NO_FIGURES } from "./local-source.ts";

describe("host readings", () => {
  it("reads this machine and builds bodies the server's contracts accept", async () => {
    const reading = await readHost(12.345);
    expect(reading.memory_percent).toBeGreaterThan(0);
    expect(reading.memory_percent).toBeLessThanOrEqual(100);
    expect(reading.cpu_percent).toBeGreaterThanOrEqual(0);
    expect(reading.uptime_s).toBeGreaterThan(0);
    expect(reading.device_info.cores).toBeGreaterThan(0);
    const sample = metricsSample("dev-1", reading, NO_FIGURES);
    expect(MetricSample.parse(sample)).toMatchObject({
      device_id: "dev-1",
      network_latency_ms: 12.35,
      transaction_count: null,
    });
    const health = healthBody(reading, NO_FIGURES, "1.2.3");
    expect(HealthReportBody.parse(health)).toMatchObject({ config_version: "1.2.3", response_time_ms: 12 });
    // No figures in the health report: the server would store them a second time in device_metrics.
    expect(health).not.toHaveProperty("metrics");
  });

  it("calls a broken local service or a full disk unhealthy", async () => {
    const reading = await readHost(null);
    expect(assess(reading, { ...NO_FIGURES, services: { payment_gateway: "disconnected" } })).toEqual({
      status: "unhealthy",
      error: "Service payment_gateway is disconnected",
    });
    expect(assess({ ...reading, disk_percent: 99 }, NO_FIGURES)).toEqual({
      status: "unhealthy",
      error: "Low disk space warning",
    });
    expect(assess({ ...reading, disk_percent: 40, memory_percent: 50 }, NO_FIGURES)).toEqual({
      status: "healthy",
      error: null,
    });
  });
});
