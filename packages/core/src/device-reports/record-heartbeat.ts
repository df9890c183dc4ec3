import type { Context } from "../context.ts";
import { parseTime } from "../telemetry/ingest-metrics.ts";
import { storeMetrics } from "../telemetry/metrics.repository.ts";
import { reportingDevice } from "./reporting-device.ts";

/**
 * `POST /agent/heartbeat`: the device is alive. Moves last_seen forward (never back) and brings a device the
 * gap detector had marked offline back online, with a state-history row — the telemetry path without samples.
 */
export async function recordHeartbeat(
  ctx: Context,
  input: { device_id: string; timestamp?: string | null },
): Promise<{ device_id: string; last_heartbeat_at: string }> {
  const device = await reportingDevice(ctx, [input.device_id]);
  const now = ctx.clock.now();
  const at = input.timestamp ? parseTime(input.timestamp, "timestamp", now) : now;
  await storeMetrics(ctx.db, [], new Map([[device.deviceId, at]]), 0, {
    reason: "Heartbeat received",
    source: "heartbeat",
  });
  return { device_id: device.deviceId, last_heartbeat_at: at.toISOString() };
}
