import type { AgentTelemetrySample } from "@homepot/contracts/agent";
import type { Context } from "../context.ts";
import { type IngestOptions, ingestMetrics } from "../telemetry/ingest-metrics.ts";
import { reportingDevice } from "./reporting-device.ts";

/**
 * `POST /agent/telemetry`: the original agents' samples (cpu_usage, memory_usage, disk_usage, …) through the one
 * telemetry ingest path: the figures land in device_metrics' own columns, uptime and the collection interval in
 * extra_metrics.
 */
export async function ingestAgentTelemetry(
  ctx: Context,
  samples: readonly AgentTelemetrySample[],
  options: IngestOptions = {},
): Promise<{ device_id: string; saved_count: number }> {
  const device = await reportingDevice(
    ctx,
    samples.map((s) => s.device_id),
  );
  const mapped = samples.map((s) => {
    const extra: Record<string, unknown> = { source: "agent_telemetry" };
    if (s.uptime_seconds != null) extra.uptime_seconds = s.uptime_seconds;
    if (s.collection_interval_seconds != null) extra.collection_interval_seconds = s.collection_interval_seconds;
    return {
      device_id: s.device_id,
      timestamp: s.timestamp ?? null,
      cpu_percent: s.cpu_usage,
      memory_percent: s.memory_usage,
      disk_percent: s.disk_usage,
      network_latency_ms: s.network_latency_ms ?? null,
      extra_metrics: extra,
    };
  });
  const { count } = await ingestMetrics(ctx, device.deviceId, mapped, options);
  return { device_id: device.deviceId, saved_count: count };
}
